import Foundation
import Synchronization

/// The JOSE header of a token as received, read before any key is touched so that `typ`, `alg`, `kid` and the
/// dangerous key-carrying members are judged first (RFC 8725 §3.1, §3.11; docs/dependencies.md, jwt-kit pitfalls).
public struct AccessTokenHeader: Decodable, Sendable, Equatable {
    /// The signature algorithm named by the token.
    public var alg: String?
    /// The token type; must be `at+jwt` for access tokens.
    public var typ: String?
    /// The signing key's id.
    public var kid: String?
    /// An embedded key (never trusted).
    public var jwk: JSONValuePresence?
    /// A key URL (never trusted).
    public var jku: JSONValuePresence?
    /// A certificate URL (never trusted).
    public var x5u: JSONValuePresence?
    /// An embedded certificate chain (never trusted).
    public var x5c: JSONValuePresence?

    /// Parses the header segment of a compact JWS.
    /// - Parameter token: The whole compact token `header.payload.signature`.
    /// - Returns: The decoded header, or nil when the token is not three base64url segments with a JSON header.
    public static func parse(_ token: String) -> AccessTokenHeader? {
        let parts = token.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        return parse(segment: parts[0])
    }

    /// Parses a header segment (base64url of the header's JSON).
    ///
    /// Every token signed by one key carries the same header bytes, so the last few segments read are remembered:
    /// the same bytes always read the same way, and a hit skips the base64 and `JSONDecoder` work.
    /// - Parameter segment: The segment's bytes, before the first `.`.
    /// - Returns: The decoded header, or nil when it is not base64url of a JSON object.
    public static func parse(segment: some Collection<UInt8>) -> AccessTokenHeader? {
        // Only plain base64url is remembered, so that the text key stands for exactly these bytes.
        let key = segment.allSatisfy(Base64URL.isAlphabet) ? String(decoding: segment, as: UTF8.self) : nil
        if let key, let known = recent.withLock({ $0[key] }) { return known }
        guard let data = Base64URL.decode(utf8: segment),
            let header = try? JSONDecoder().decode(AccessTokenHeader.self, from: data)
        else { return nil }
        guard let key else { return header }
        recent.withLock { recent in
            // A handful of keys are published at a time; anything past that is churn, and starts over.
            if recent.count >= 32 { recent.removeAll(keepingCapacity: true) }
            recent[key] = header
        }
        return header
    }

    private static let recent = Mutex<[String: AccessTokenHeader]>([:])
}

/// Records only that a JSON member was present, whatever its value.
public struct JSONValuePresence: Decodable, Sendable, Equatable {
    /// Accepts any JSON value.
    public init(from decoder: any Decoder) throws {}
}
