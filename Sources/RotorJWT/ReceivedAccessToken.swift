public import Foundation
public import JWTKit

/// An access token as received, split once: its header is read for the rules to judge before any key is touched,
/// and its signature is then checked with jwt-kit's algorithm for the key the `kid` names. Rotor's key ring and
/// RotorVerifier both verify through it, so the two can never disagree on what a valid token is.
public struct ReceivedAccessToken: Sendable {
    /// The JOSE header.
    public let header: AccessTokenHeader
    private let utf8: [UInt8]
    private let firstDot: Int
    private let secondDot: Int

    /// The longest token accepted: Rotor's are under 1 kB; a bound keeps hostile input cheap.
    public static let maximumLength = 8192

    /// Splits a compact JWS and reads its header.
    /// - Parameter token: `header.payload.signature`.
    /// - Throws: ``AccessTokenRejection/malformed`` for anything but three base64url segments with a JSON header.
    public init(_ token: String) throws(AccessTokenRejection) {
        let utf8 = Array(token.utf8)
        guard utf8.count <= Self.maximumLength,
            let firstDot = utf8.firstIndex(of: UInt8(ascii: ".")),
            let secondDot = utf8[(firstDot + 1)...].firstIndex(of: UInt8(ascii: ".")),
            firstDot > 0, secondDot > firstDot + 1, secondDot < utf8.count - 1,
            !utf8[(secondDot + 1)...].contains(UInt8(ascii: ".")),
            let header = AccessTokenHeader.parse(segment: utf8[..<firstDot])
        else { throw .malformed }
        self.header = header
        self.utf8 = utf8
        self.firstDot = firstDot
        self.secondDot = secondDot
    }

    /// Checks the signature with `algorithm`, then reads the claims.
    /// - Parameter algorithm: jwt-kit's algorithm for the key the header's `kid` names (the caller has matched the
    ///   header's `alg` to that key).
    /// - Returns: The claims, not yet judged by ``AccessTokenRules/checkClaims(_:now:)``.
    /// - Throws: ``AccessTokenRejection/badSignature``, or ``AccessTokenRejection/malformed`` for claims that are
    ///   not Rotor's.
    public func claims(verifiedBy algorithm: some JWTAlgorithm) throws(AccessTokenRejection) -> AccessTokenClaims {
        guard let signature = Base64URL.decode(utf8: utf8[(secondDot + 1)...]) else { throw .malformed }
        guard (try? algorithm.verify(signature, signs: utf8[..<secondDot])) == true else { throw .badSignature }
        guard let payload = Base64URL.decode(utf8: utf8[(firstDot + 1)..<secondDot]),
            let claims = AccessTokenClaims.decode(json: payload)
        else { throw .malformed }
        return claims
    }
}

extension AccessTokenClaims {
    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()

    /// Decodes a payload: Rotor's own form directly (``AccessTokenClaimsReader``), any other with `JSONDecoder`.
    /// - Parameter json: The payload's JSON.
    /// - Returns: The claims, or nil when the JSON is not a Rotor access token's.
    public static func decode(json: Data) -> AccessTokenClaims? {
        if let claims = AccessTokenClaimsReader.read(json) { return claims }
        return try? decoder.decode(AccessTokenClaims.self, from: json)
    }
}
