import Crypto
public import Foundation
public import JWTKit
import RotorJWT

/// The claims of an ID token (OpenID Connect Core §2): who signed in, for which client, when, and in which SSO
/// session. Signed with `typ: JWT`, so that no verifier of access tokens (`at+jwt`) takes one, nor the reverse.
public struct IDTokenClaims: JWTPayload, Equatable {
    /// The issuer.
    public var iss: String
    /// The user id.
    public var sub: String
    /// The client id.
    public var aud: String
    /// The authorized party: the client id again.
    public var azp: String
    /// Expiry, as the access token issued with it.
    public var exp: Int
    /// Issue time.
    public var iat: Int
    /// When the person last typed their password.
    public var authTime: Int
    /// The authorization request's `nonce`.
    public var nonce: String?
    /// The SSO session (what back-channel logout tokens name).
    public var sid: String?
    /// The left half of the access token's hash (§3.1.3.6).
    public var atHash: String?
    /// With scope `email`.
    public var email: String?
    /// With scope `email`: false until Rotor verifies addresses.
    public var emailVerified: Bool?

    /// Creates claims.
    public init(
        iss: String,
        sub: String,
        aud: String,
        exp: Int,
        iat: Int,
        authTime: Int,
        nonce: String?,
        sid: String?,
        atHash: String?,
        email: String?,
        emailVerified: Bool?
    ) {
        self.iss = iss
        self.sub = sub
        self.aud = aud
        self.azp = aud
        self.exp = exp
        self.iat = iat
        self.authTime = authTime
        self.nonce = nonce
        self.sid = sid
        self.atHash = atHash
        self.email = email
        self.emailVerified = emailVerified
    }

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, azp, exp, iat, nonce, sid, email
        case authTime = "auth_time"
        case atHash = "at_hash"
        case emailVerified = "email_verified"
    }

    /// The `typ` header of ID tokens.
    public static let type = "JWT"

    /// `at_hash`: base64url of the left half of the access token's hash, with the hash of the signing algorithm
    /// (SHA-256 for RS256 and ES256; SHA-512 for Ed25519, as the OpenID Foundation's EdDSA guidance says).
    public static func atHash(of accessToken: String, algorithm: SigningAlgorithm) -> String {
        let bytes = Data(accessToken.utf8)
        let digest: [UInt8] =
            switch algorithm {
            case .rs256, .es256: Array(SHA256.hash(data: bytes))
            case .eddsa: Array(SHA512.hash(data: bytes))
            }
        return Base64URL.encode(Array(digest.prefix(digest.count / 2)))
    }

    /// Nothing to check here: Rotor signs ID tokens and never accepts one as a credential.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}
