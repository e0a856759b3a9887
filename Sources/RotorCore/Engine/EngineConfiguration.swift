public import Foundation

/// The token settings of docs/operations.md that the engine applies.
public struct EngineConfiguration: Sendable, Equatable {
    /// `iss` of access tokens (`ROTOR_ISSUER`).
    public var issuer: String
    /// `aud` of access tokens (`ROTOR_AUDIENCE`, default: the issuer).
    public var audience: String
    /// `ROTOR_ACCESS_TTL`.
    public var accessTTL: TimeInterval
    /// `ROTOR_REFRESH_TTL`: idle lifetime, restarted by each rotation.
    public var refreshTTL: TimeInterval
    /// `ROTOR_SESSION_MAX_AGE`: absolute lifetime, never extended.
    public var sessionMaxAge: TimeInterval
    /// `ROTOR_REUSE_GRACE`: how long a used token may be replayed for its unused child.
    public var reuseGrace: TimeInterval
    /// `client_id` of access tokens.
    public var clientId: String
    /// Clock skew tolerated when verifying access tokens.
    public var leeway: TimeInterval
    /// `ROTOR_MAX_SESSIONS_PER_USER`: a login beyond it ends the user's least recently used session (`evicted`).
    public var maxSessionsPerUser: Int
    /// The brute-force limits.
    public var throttle: LoginThrottlePolicy
    /// How long ended sessions stay (so that a returning client learns why), before `prune` deletes them.
    public var endedSessionRetention: TimeInterval
    /// How long audit events stay.
    public var eventRetention: TimeInterval
    /// `ROTOR_SSO_IDLE`: an SSO session unused this long ends (each authorization request restarts it).
    public var ssoIdleTTL: TimeInterval
    /// `ROTOR_SSO_MAX_AGE`: an SSO session ends this long after the password was typed, used or not.
    public var ssoMaxAge: TimeInterval

    /// Creates a configuration with docs/operations.md's defaults.
    public init(
        issuer: String = "http://127.0.0.1:8080",
        audience: String? = nil,
        accessTTL: TimeInterval = 900,
        refreshTTL: TimeInterval = 2_592_000,
        sessionMaxAge: TimeInterval = 7_776_000,
        reuseGrace: TimeInterval = 10,
        clientId: String = "rotor",
        leeway: TimeInterval = 30,
        maxSessionsPerUser: Int = 100,
        throttle: LoginThrottlePolicy = LoginThrottlePolicy(),
        endedSessionRetention: TimeInterval = 7 * 86_400,
        eventRetention: TimeInterval = 90 * 86_400,
        ssoIdleTTL: TimeInterval = 86_400,
        ssoMaxAge: TimeInterval = 7 * 86_400
    ) {
        self.issuer = issuer
        self.audience = audience ?? issuer
        self.accessTTL = accessTTL
        self.refreshTTL = refreshTTL
        self.sessionMaxAge = sessionMaxAge
        self.reuseGrace = reuseGrace
        self.clientId = clientId
        self.leeway = leeway
        self.maxSessionsPerUser = maxSessionsPerUser
        self.throttle = throttle
        self.endedSessionRetention = endedSessionRetention
        self.eventRetention = eventRetention
        self.ssoIdleTTL = ssoIdleTTL
        self.ssoMaxAge = ssoMaxAge
    }

    /// What `prune` keeps and deletes at `now`.
    public func prunePolicy(now: Date) -> PrunePolicy {
        PrunePolicy(
            now: now,
            endedSessionRetention: endedSessionRetention,
            usedTokenRetention: refreshTTL,
            taggedUsedTokenRetention: min(refreshTTL, max(3_600, 2 * reuseGrace)),
            eventRetention: eventRetention,
            failureRetention: max(throttle.accountWindow, throttle.ipWindow) * 2,
            retiredKeyRetention: keyPublicationWindow
        )
    }

    /// How long a retired signing key stays in the JWKS: until every token it signed has expired.
    public var keyPublicationWindow: TimeInterval {
        accessTTL + leeway
    }
}
