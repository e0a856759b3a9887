/// Why a refresh token or an authorization code was refused. Every case answers `401 invalid_grant`; the case picks the description.
public enum GrantFailure: Sendable, Equatable, Error {
    /// No such token, or not a Rotor refresh token at all.
    case unknownToken
    /// The session has ended, for the reason given.
    case sessionEnded(SessionEndReason)
    /// The token had already been used: the session is now revoked.
    case reuseDetected
    /// The session is bound to another device.
    case bindingMismatch
    /// An authorization code that is unknown, used, expired, or presented with another client, redirect URI or
    /// PKCE verifier: one answer for all, so that the answer says nothing about the code.
    case invalidCode
    /// A device code that is unknown, of another client, or redeemed already (RFC 8628 §3.5).
    case invalidDeviceCode

    /// The `error_description` a client sees. It names the cause (an explainable logout) but no secret.
    public var description: String {
        switch self {
        case .unknownToken: "The refresh token is invalid."
        case .sessionEnded(let reason): "The session has ended: \(reason.rawValue)."
        case .reuseDetected: "The refresh token was already used; the session has been revoked: reuse_detected."
        case .bindingMismatch: "The refresh token is bound to another device."
        case .invalidCode:
            "The authorization code is invalid, expired or used, or was issued to another client or redirect URI."
        case .invalidDeviceCode: "The device code is invalid, was issued to another client, or was used already."
        }
    }
}
