/// Why a session ended: recorded with the session and shown in `invalid_grant` descriptions (explainable logouts).
public enum SessionEndReason: String, Sendable, Codable, CaseIterable {
    /// The user logged out.
    case logout
    /// A refresh token of the session was reused.
    case reuseDetected = "reuse_detected"
    /// The refresh token went unused for `ROTOR_REFRESH_TTL`.
    case idleTimeout = "idle_timeout"
    /// The session reached `ROTOR_SESSION_MAX_AGE`.
    case absoluteTimeout = "absolute_timeout"
    /// The user changed their password.
    case passwordChange = "password_change"
    /// The user changed their email address.
    case emailChange = "email_change"
    /// An administrator revoked it.
    case admin
    /// The user was disabled.
    case userDisabled = "user_disabled"
    /// The per-user session cap ended the least recently used session.
    case evicted
    /// The person withdrew a client's access on the account page.
    case consentWithdrawn = "consent_withdrawn"
}
