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

/// The answer of `POST /oauth/device_authorization` (RFC 8628 §3.2).
public struct DeviceAuthorizationResponse: Codable, Sendable, Equatable {
    /// The device's secret to poll `/oauth/token` with.
    public var deviceCode: String
    /// The code the person types, `XXXX-XXXX`.
    public var userCode: String
    /// Where the person types it: `<issuer>/device`.
    public var verificationURI: String
    /// The same with the code filled in (for a link or a QR code).
    public var verificationURIComplete: String
    /// Seconds until both codes expire.
    public var expiresIn: Int
    /// Seconds to wait between polls.
    public var interval: Int

    /// Creates the answer.
    public init(
        deviceCode: String,
        userCode: String,
        verificationURI: String,
        verificationURIComplete: String,
        expiresIn: Int,
        interval: Int
    ) {
        self.deviceCode = deviceCode
        self.userCode = userCode
        self.verificationURI = verificationURI
        self.verificationURIComplete = verificationURIComplete
        self.expiresIn = expiresIn
        self.interval = interval
    }

    enum CodingKeys: String, CodingKey {
        case deviceCode = "device_code"
        case userCode = "user_code"
        case verificationURI = "verification_uri"
        case verificationURIComplete = "verification_uri_complete"
        case expiresIn = "expires_in"
        case interval
    }
}
