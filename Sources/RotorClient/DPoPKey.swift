import Crypto
import Foundation
import JWTKit
import RotorJWT

/// The client's DPoP key (P-256) and the proofs it signs (RFC 9449 §4): one fresh proof per request, bound to its
/// method and URL, and to the access token (`ath`) when one is sent.
struct DPoPKey: Sendable {
    let privateKey: P256.Signing.PrivateKey

    init(rawRepresentation: Data? = nil) throws {
        privateKey =
            try rawRepresentation.map(P256.Signing.PrivateKey.init(rawRepresentation:))
            ?? P256.Signing.PrivateKey()
    }

    var rawRepresentation: Data { privateKey.rawRepresentation }

    private var coordinates: (x: String, y: String) {
        // x9.63: 0x04 ‖ x ‖ y, 32 bytes each.
        let point = privateKey.publicKey.x963Representation
        return (Base64URL.encode(point[1..<33]), Base64URL.encode(point[33..<65]))
    }

    /// The RFC 7638 thumbprint Rotor binds the session to.
    var thumbprint: String {
        let (x, y) = coordinates
        return DPoPProof.thumbprint(kty: "EC", crv: "P-256", x: x, y: y) ?? ""
    }

    /// A proof for one request.
    func proof(method: String, url: URL, accessToken: String? = nil, now: Date = Date()) async throws -> String {
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        components?.query = nil
        components?.fragment = nil
        let (x, y) = coordinates
        var header = JWTHeader()
        header.typ = DPoPProof.type
        header.fields["jwk"] = .object([
            "kty": .string("EC"), "crv": .string("P-256"), "x": .string(x), "y": .string(y),
        ])
        let claims = DPoPProof.Claims(
            jti: Base64URL.encode((0..<16).map { _ in UInt8.random(in: 0...255) }),
            htm: method.uppercased(),
            htu: components?.string ?? url.absoluteString,
            iat: Int64(now.timeIntervalSince1970.rounded(.down)),
            ath: accessToken.map { Base64URL.encode(SHA256.hash(data: Data($0.utf8))) }
        )
        let keys = JWTKeyCollection()
        await keys.add(ecdsa: try ES256PrivateKey(backing: privateKey))
        return try await keys.sign(claims, header: header)
    }
}
