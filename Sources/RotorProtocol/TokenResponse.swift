/// The answer of login and refresh (docs/protocol.md): a fresh access token and the session's refresh token.
public struct TokenResponse: Codable, Sendable, Equatable {
    /// The signed access token (a JWT with `typ: at+jwt`).
    public var accessToken: String
    /// `Bearer` (or `DPoP` for a DPoP-bound session).
    public var tokenType: String
    /// Seconds until the access token expires.
    public var expiresIn: Int
    /// The opaque refresh token; absent in cookie mode, where it travels in a cookie.
    public var refreshToken: String?
    /// Seconds until the refresh token stops working: the smaller of the idle and the absolute expiry.
    public var refreshTokenExpiresIn: Int
    /// The id of the session (the token family) these tokens belong to.
    public var sessionId: String
    /// The OpenID Connect ID token, for a client's code grant with scope `openid`.
    public var idToken: String?
    /// The granted scopes, for a client's grants (RFC 6749 §5.1).
    public var scope: String?

    /// Creates a token response.
    public init(
        accessToken: String,
        tokenType: String = "Bearer",
        expiresIn: Int,
        refreshToken: String?,
        refreshTokenExpiresIn: Int,
        sessionId: String,
        idToken: String? = nil,
        scope: String? = nil
    ) {
        self.idToken = idToken
        self.scope = scope
        self.accessToken = accessToken
        self.tokenType = tokenType
        self.expiresIn = expiresIn
        self.refreshToken = refreshToken
        self.refreshTokenExpiresIn = refreshTokenExpiresIn
        self.sessionId = sessionId
    }

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
        case refreshToken = "refresh_token"
        case refreshTokenExpiresIn = "refresh_token_expires_in"
        case sessionId = "session_id"
        case idToken = "id_token"
        case scope
    }
}

/// The answer of the `client_credentials` grant (RFC 6749 §4.4.3): an access token only, since no person is
/// present to hold a session.
public struct MachineTokenResponse: Codable, Sendable, Equatable {
    /// The signed access token (`sub` and `client_id` are the client id; no `sid`).
    public var accessToken: String
    /// `Bearer`.
    public var tokenType: String
    /// Seconds until the access token expires.
    public var expiresIn: Int
    /// The granted scopes, space-separated.
    public var scope: String

    /// Creates the answer.
    public init(accessToken: String, tokenType: String = "Bearer", expiresIn: Int, scope: String) {
        self.accessToken = accessToken
        self.tokenType = tokenType
        self.expiresIn = expiresIn
        self.scope = scope
    }

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
        case scope
    }
}
