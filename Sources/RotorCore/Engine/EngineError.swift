/// Everything the engine refuses, in its own words. `RotorAPI` maps each case to a status and an error code in
/// one place; any other error is a fault (500, no details).
public enum EngineError: Error, Sendable, Equatable {
    /// A field is missing or unacceptable.
    case invalidField(name: String, reason: String)
    /// Unknown email or wrong password (one answer for both).
    case invalidCredentials
    /// A refresh token was refused.
    case invalidGrant(GrantFailure)
    /// An access token was refused, or its user no longer exists or is disabled.
    case invalidToken
    /// The right password for a disabled account.
    case accountDisabled
    /// The email address is in use.
    case emailTaken
    /// A client with this id is registered already.
    case clientExists
    /// No such resource for this caller (another user's session reads the same).
    case notFound
    /// The caller lacks the role the action needs.
    case forbidden
    /// Too many failed logins (or client authentications) for the key; try again after this many seconds.
    case rateLimited(retryAfter: Int)
    /// Too many password checks wait already; try again after this many seconds.
    case overloaded(retryAfter: Int)
    /// The token is bound to a DPoP key, and the request carried no proof by that key.
    case dpopProofRequired
    /// Client authentication failed (unknown client, wrong secret, another method than the registered one);
    /// `basic` when the request used HTTP Basic, which the answer then challenges (RFC 6749 §5.2).
    case invalidClient(basic: Bool)
    /// The client is not registered for this grant.
    case unauthorizedClient
    /// A `client_credentials` or device authorization request asked for what its client may not have.
    case grantRefused(GrantRefusal)
    /// A device code polled before it may be redeemed, or one that never will be (RFC 8628 §3.5).
    case devicePoll(DevicePollRefusal)
    /// A user code typed at `/device` that names no pending device authorization.
    case invalidUserCode
    /// The access token lacks the scope the route needs (`openid` for userinfo).
    case insufficientScope
}
