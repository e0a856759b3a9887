import Crypto
public import Foundation
public import JWTKit
import Synchronization

/// A DPoP proof (RFC 9449 §4): a JWT signed by the client's own key, whose public half it carries in its header.
///
/// Rotor checks proofs at login and refresh, and resource services (RotorVerifier) at every request with a
/// DPoP-bound token; both use ``verify(_:method:url:accessToken:now:lifetime:replays:)``.
public struct DPoPProof: Sendable, Equatable {
    /// The only accepted `typ`.
    public static let type = "dpop+jwt"
    /// The algorithms a proof may use (asymmetric only, RFC 9449 §4.2).
    public static let algorithms: [String] = ["ES256", "EdDSA"]

    /// The RFC 7638 thumbprint of the proof's key (what `cnf.jkt` binds a token to).
    public var thumbprint: String
    /// The proof's unique id.
    public var jti: String
    /// When the client made it.
    public var issuedAt: Date

    /// Why a proof was refused.
    public enum Rejection: Error, Sendable, Equatable {
        /// Not a compact JWS with a JSON header and payload.
        case malformed
        /// `typ` is not `dpop+jwt`.
        case wrongType
        /// `alg` is not an accepted asymmetric algorithm, or does not fit the key.
        case algorithmNotAllowed
        /// The header's `jwk` is missing, private, or not a P-256 / Ed25519 public key.
        case badKey
        /// The signature does not verify with the header's key.
        case badSignature
        /// `htm` is not the request's method.
        case wrongMethod
        /// `htu` is not the request's URL (scheme, host, port and path).
        case wrongURL
        /// `iat` is too far from now.
        case stale
        /// The `jti` was seen already.
        case replayed
        /// `ath` is missing or is not the hash of the access token presented with it.
        case wrongAccessTokenHash
        /// The proof's key is not the one the session is bound to.
        case wrongKey
        /// Too many proofs were seen within their lifetime to remember one more: the request should be retried a
        /// little later (a flood is refused; remembered proofs are never forgotten early).
        case tooManyProofs
    }

    /// The longest `jti` accepted: a UUID or 16 to 32 random bytes in base64url fit well inside it.
    public static let maximumJTIBytes = 128

    private struct Header: Decodable {
        var typ: String?
        var alg: String?
        var jwk: PublicKey?
    }

    /// A public JWK as a proof carries it.
    struct PublicKey: Decodable {
        var kty: String?
        var crv: String?
        var x: String?
        var y: String?
        var d: String?
    }

    /// The claims of a proof (RFC 9449 §4.2): what a client signs and what a server reads.
    public struct Claims: JWTPayload, Equatable {
        /// A unique id, for replay detection.
        public var jti: String
        /// The HTTP method of the request.
        public var htm: String
        /// The request URL, without query and fragment.
        public var htu: String
        /// When the proof was made, in seconds since 1970.
        public var iat: Int64
        /// The base64url SHA-256 of the access token sent with it (resource requests).
        public var ath: String?

        /// Creates claims.
        public init(jti: String, htm: String, htu: String, iat: Int64, ath: String? = nil) {
            self.jti = jti
            self.htm = htm
            self.htu = htu
            self.iat = iat
            self.ath = ath
        }

        /// Nothing to check when signing.
        public func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// Checks a proof for a request.
    /// - Parameters:
    ///   - proof: The `DPoP` header's value.
    ///   - method: The request's method.
    ///   - url: The request's URL as the client addressed it.
    ///   - accessToken: The access token sent with it (resource requests): `ath` must be its SHA-256.
    ///   - now: The current time.
    ///   - lifetime: How far `iat` may be from now.
    ///   - replays: Where seen `jti`s are remembered.
    /// - Returns: The proof's key thumbprint, `jti` and time.
    /// - Throws: ``Rejection`` naming the first rule broken.
    public static func verify(
        _ proof: String,
        method: String,
        url: String,
        accessToken: String? = nil,
        now: Date,
        lifetime: TimeInterval = 60,
        replays: DPoPReplayCache
    ) async throws(Rejection) -> DPoPProof {
        let parts = proof.split(separator: ".", omittingEmptySubsequences: false)
        guard proof.utf8.count <= 8192, parts.count == 3,
            let headerData = Base64URL.decode(String(parts[0])),
            let header = try? JSONDecoder().decode(Header.self, from: headerData)
        else { throw .malformed }
        guard header.typ?.lowercased() == type else { throw .wrongType }
        guard let alg = header.alg, algorithms.contains(alg) else { throw .algorithmNotAllowed }
        guard let key = header.jwk, key.d == nil, let thumbprint = thumbprint(of: key) else { throw .badKey }
        guard (alg == "ES256" && key.kty == "EC") || (alg == "EdDSA" && key.kty == "OKP") else {
            throw .algorithmNotAllowed
        }
        // jwt-kit checks the signature with the header's own key (named by its thumbprint, as jwt-kit wants a kid).
        let valid: Bool
        do {
            let jwk = try JSONDecoder().decode(
                JWK.self,
                from: JSONEncoder().encode(PublicJWKOut(key, alg: alg, kid: thumbprint))
            )
            let collection = try await JWTKeyCollection().add(jwk: jwk)
            let algorithm = try await collection.getKey(for: JWKIdentifier(string: thumbprint), alg: alg)
            guard let signature = Base64URL.decode(String(parts[2])) else { throw Rejection.malformed }
            valid = try algorithm.verify(signature, signs: Array("\(parts[0]).\(parts[1])".utf8))
        } catch {
            throw .badKey
        }
        guard valid else { throw .badSignature }
        guard let payload = Base64URL.decode(String(parts[1])),
            let claims = try? JSONDecoder().decode(Claims.self, from: payload)
        else { throw .malformed }
        guard !claims.jti.isEmpty, claims.jti.utf8.count <= maximumJTIBytes else { throw .malformed }
        guard claims.htm.uppercased() == method.uppercased() else { throw .wrongMethod }
        guard let expected = normalizedURL(url), normalizedURL(claims.htu) == expected else { throw .wrongURL }
        let issuedAt = Date(timeIntervalSince1970: TimeInterval(claims.iat))
        guard abs(issuedAt.timeIntervalSince(now)) <= lifetime else { throw .stale }
        if let accessToken {
            let hash = Base64URL.encode(SHA256.hash(data: Data(accessToken.utf8)))
            guard claims.ath == hash else { throw .wrongAccessTokenHash }
        }
        switch replays.insert(jti: claims.jti, thumbprint: thumbprint, at: now, lifetime: lifetime) {
        case .fresh: break
        case .replayed: throw .replayed
        case .full: throw .tooManyProofs
        }
        return DPoPProof(thumbprint: thumbprint, jti: claims.jti, issuedAt: issuedAt)
    }

    /// The RFC 7638 SHA-256 thumbprint of a P-256 or Ed25519 public JWK, base64url (nil for any other key).
    static func thumbprint(of key: PublicKey) -> String? {
        let canonical: String
        switch (key.kty, key.crv) {
        case ("EC", "P-256"):
            guard let x = key.x, let y = key.y, Base64URL.decode(x)?.count == 32, Base64URL.decode(y)?.count == 32
            else { return nil }
            canonical = #"{"crv":"P-256","kty":"EC","x":"\#(x)","y":"\#(y)"}"#
        case ("OKP", "Ed25519"):
            guard let x = key.x, Base64URL.decode(x)?.count == 32 else { return nil }
            canonical = #"{"crv":"Ed25519","kty":"OKP","x":"\#(x)"}"#
        default:
            return nil
        }
        return Base64URL.encode(SHA256.hash(data: Data(canonical.utf8)))
    }

    /// The thumbprint of a public JWK given as JSON members (the client's own key).
    public static func thumbprint(kty: String, crv: String, x: String, y: String?) -> String? {
        thumbprint(of: PublicKey(kty: kty, crv: crv, x: x, y: y, d: nil))
    }

    /// `htu` compares without query and fragment (RFC 9449 §4.3), with scheme and host case-insensitive and the
    /// default port dropped.
    static func normalizedURL(_ text: String) -> String? {
        guard var components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = components.host?.lowercased(), !host.isEmpty
        else { return nil }
        components.query = nil
        components.fragment = nil
        let port = components.port.flatMap {
            ($0 == 443 && scheme == "https") || ($0 == 80 && scheme == "http") ? nil : $0
        }
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        return "\(scheme)://\(host)\(port.map { ":\($0)" } ?? "")\(path)"
    }
}

/// The public JWK handed to jwt-kit, with its `alg` so that the key decides the algorithm (docs/dependencies.md, jwt-kit pitfall 2).
private struct PublicJWKOut: Encodable {
    var kty: String?
    var crv: String?
    var x: String?
    var y: String?
    var alg: String
    var kid: String

    init(_ key: DPoPProof.PublicKey, alg: String, kid: String) {
        kty = key.kty
        crv = key.crv
        x = key.x
        y = key.y
        self.alg = alg
        self.kid = kid
    }
}
