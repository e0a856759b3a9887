/// The grants a client may use at `/oauth/token` (RFC 6749, RFC 8628), named as in RFC 7591's `grant_types`.
public enum GrantType: String, Codable, Sendable, CaseIterable {
    /// The authorization-code grant with PKCE (sign-in through `/oauth/authorize`).
    case authorizationCode = "authorization_code"
    /// The refresh-token grant: the client's sessions rotate like every Rotor session.
    case refreshToken = "refresh_token"
    /// Tokens for the client itself, no person present (confidential clients only).
    case clientCredentials = "client_credentials"
    /// The device authorization grant (RFC 8628).
    case deviceCode = "urn:ietf:params:oauth:grant-type:device_code"
}
