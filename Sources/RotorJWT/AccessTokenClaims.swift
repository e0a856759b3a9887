public import Foundation
public import JWTKit

/// The claims of a Rotor access token: the RFC 9068 profile plus `sid`, `scope` and `roles` (docs/protocol.md).
///
/// A person's token names their session in `sid`; a machine's (`client_credentials`) has no session, so no
/// `sid`, and its `sub` is the client id. Dates are whole seconds so that they encode as integer NumericDates.
public struct AccessTokenClaims: JWTPayload, Equatable {
    /// The issuer: Rotor's public base URL.
    public var iss: IssuerClaim
    /// The user id, or for a machine token the client id.
    public var sub: SubjectClaim
    /// The audience the token is meant for (default: the issuer).
    public var aud: AudienceClaim
    /// Expiry; `exp - iat` is the access TTL.
    public var exp: ExpirationClaim
    /// Issue time.
    public var iat: IssuedAtClaim
    /// A unique id for this token.
    public var jti: IDClaim
    /// The session (token family) the token was issued for; nil for a machine token, which has none.
    public var sid: String?
    /// The OAuth client id (`rotor` by default).
    public var clientId: String
    /// Space-separated scopes; may be empty.
    public var scope: String
    /// The user's roles.
    public var roles: [String]
    /// The DPoP key the token is bound to (RFC 9449 §6: `cnf.jkt`), for DPoP sessions only.
    public var cnf: Confirmation?
    /// Not valid before (Rotor does not set it; verifiers honour it when another issuer does).
    public var nbf: NotBeforeClaim?

    /// Creates claims.
    public init(
        iss: String,
        sub: String,
        aud: [String],
        exp: Date,
        iat: Date,
        jti: String,
        sid: String?,
        clientId: String,
        scope: String,
        roles: [String],
        cnf: Confirmation? = nil
    ) {
        self.iss = IssuerClaim(value: iss)
        self.sub = SubjectClaim(value: sub)
        self.aud = AudienceClaim(value: aud)
        self.exp = ExpirationClaim(value: exp)
        self.iat = IssuedAtClaim(value: iat)
        self.jti = IDClaim(value: jti)
        self.sid = sid
        self.clientId = clientId
        self.scope = scope
        self.roles = roles
        self.cnf = cnf
    }

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, iat, jti, sid, scope, roles, cnf, nbf
        case clientId = "client_id"
    }

    /// Signature checks only: jwt-kit calls this after the signature verified. The claim rules need
    /// configuration (issuer, audience, clock), so ``AccessTokenRules`` applies them instead.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// The `cnf` (confirmation) claim of a sender-constrained token (RFC 7800, RFC 9449).
public struct Confirmation: Codable, Sendable, Equatable {
    /// The RFC 7638 SHA-256 thumbprint of the DPoP public key, base64url.
    public var jkt: String

    /// Creates a confirmation.
    public init(jkt: String) {
        self.jkt = jkt
    }
}
