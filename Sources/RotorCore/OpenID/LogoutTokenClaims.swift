public import JWTKit

/// The claims of a back-channel logout token (Back-Channel Logout 1.0 §2.4), signed with `typ: logout+jwt` so that
/// it is neither an ID token nor an access token to anyone.
public struct LogoutTokenClaims: JWTPayload, Equatable {
    /// The issuer.
    public var iss: String
    /// The client.
    public var aud: String
    /// Issue time.
    public var iat: Int
    /// Two minutes after issue.
    public var exp: Int
    /// The notice's id, the same at every attempt (a client may ignore repeats).
    public var jti: String
    /// The person.
    public var sub: String
    /// The SSO session, as in the ID tokens.
    public var sid: String?
    /// `{"http://schemas.openid.net/event/backchannel-logout": {}}`.
    public var events: [String: [String: String]]

    /// The `typ` header.
    public static let type = "logout+jwt"
    /// The event that names a logout token.
    public static let event = "http://schemas.openid.net/event/backchannel-logout"
    /// How long a logout token is valid.
    public static let lifetime = 120

    /// Creates claims.
    public init(iss: String, aud: String, iat: Int, jti: String, sub: String, sid: String?) {
        self.iss = iss
        self.aud = aud
        self.iat = iat
        self.exp = iat + Self.lifetime
        self.jti = jti
        self.sub = sub
        self.sid = sid
        self.events = [Self.event: [:]]
    }

    /// Nothing to check: Rotor only signs these.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}
