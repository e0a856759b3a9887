/// The machine-readable `error` codes of Rotor's HTTP API (docs/protocol.md).
///
/// The raw value is exactly what travels in the `error` field of an ``ErrorBody``.
public enum ErrorCode: String, Codable, Sendable, CaseIterable {
    /// Malformed JSON, a missing or mistyped field, a bad email, a password outside 8…1024 bytes.
    case invalidRequest = "invalid_request"
    /// Login with an unknown email or a wrong password: the same answer for both.
    case invalidCredentials = "invalid_credentials"
    /// A refresh token that is unknown, expired, revoked, reused or bound elsewhere.
    case invalidGrant = "invalid_grant"
    /// An access token that is missing, malformed, expired or of a revoked user.
    case invalidToken = "invalid_token"
    /// The right password for a disabled user.
    case accountDisabled = "account_disabled"
    /// A missing role, or a cookie request from an origin that is not allowed.
    case forbidden
    /// A route or a resource that does not exist (or belongs to someone else).
    case notFound = "not_found"
    /// Sign-up or an email change to an address already in use.
    case emailTaken = "email_taken"
    /// `/v1/admin/clients` with a `client_id` that is registered already.
    case clientExists = "client_exists"
    /// A request body over 64 KiB.
    case payloadTooLarge = "payload_too_large"
    /// A body that is not JSON where JSON is required.
    case unsupportedMediaType = "unsupported_media_type"
    /// Too many failed logins; `Retry-After` says when to try again.
    case rateLimited = "rate_limited"
    /// A fault of the server; the body never says more.
    case serverError = "server_error"
    /// The server is too busy to check a password now (its hashing queue is full); `Retry-After` says when to try
    /// again (RFC 6749 §4.1.2.1 uses the same code).
    case temporarilyUnavailable = "temporarily_unavailable"
    /// `/oauth/token` with a `grant_type` Rotor does not support (RFC 6749 §5.2).
    case unsupportedGrantType = "unsupported_grant_type"
    /// An access token without the scope a route needs (RFC 6750 §3.1): `openid` at userinfo.
    case insufficientScope = "insufficient_scope"
    /// A registered client asking for a grant it is not registered for (RFC 6749 §5.2).
    case unauthorizedClient = "unauthorized_client"
    /// `/oauth/introspect` without the introspection secret, or a client id Rotor does not know (RFC 6749 §5.2).
    case invalidClient = "invalid_client"
    /// A `DPoP` proof that is malformed, stale, replayed, or made for another request (RFC 9449 §5).
    case invalidDPoPProof = "invalid_dpop_proof"
    /// A scope the client may not ask for (RFC 6749 §5.2).
    case invalidScope = "invalid_scope"
    /// A `resource` the client may not ask for (RFC 8707 §2).
    case invalidTarget = "invalid_target"
    /// A device code polled before the person decided (RFC 8628 §3.5).
    case authorizationPending = "authorization_pending"
    /// A device code polled sooner than its interval allows; the interval grew by 5 seconds (RFC 8628 §3.5).
    case slowDown = "slow_down"
    /// The person denied the device (RFC 8628 §3.5), or the consent page's Deny (RFC 6749 §4.1.2.1).
    case accessDenied = "access_denied"
    /// A device code that outlived its 10 minutes (RFC 8628 §3.5).
    case expiredToken = "expired_token"
}
