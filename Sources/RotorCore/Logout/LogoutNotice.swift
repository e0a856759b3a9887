public import Foundation

/// A back-channel logout owed to a client (OpenID Connect Back-Channel Logout 1.0): one of its sessions ended.
/// Written to the store's outbox in the same transaction as the ending, so that no ending is ever lost, and
/// delivered afterwards by whichever instance claims it, never by the request that ended the session.
public struct LogoutNotice: Sendable, Equatable {
    /// Its id: the logout token's `jti`, the same at every attempt.
    public var id: String
    /// The client to tell.
    public var clientId: String
    /// The person (`sub`).
    public var userId: String
    /// The session that ended.
    public var sessionId: String
    /// The SSO session it was issued under (`sid`), if any.
    public var ssoSessionId: String?
    /// When the session ended.
    public var createdAt: Date
    /// Delivery attempts so far.
    public var attempts: Int

    /// Creates a notice.
    public init(
        id: String,
        clientId: String,
        userId: String,
        sessionId: String,
        ssoSessionId: String?,
        createdAt: Date,
        attempts: Int = 0
    ) {
        self.id = id
        self.clientId = clientId
        self.userId = userId
        self.sessionId = sessionId
        self.ssoSessionId = ssoSessionId
        self.createdAt = createdAt
        self.attempts = attempts
    }

    /// The notice owed for a session that ended for `reason`, if one is: every cause but expiry, for a session of
    /// a registered client (not the JSON API's own `rotor`). Whether the client wants it (a
    /// `backchannel_logout_uri`) is decided at delivery, so that the store never reads client metadata.
    public static func owed(for session: SessionRecord, reason: SessionEndReason, at: Date) -> LogoutNotice? {
        guard session.clientId != ClientRegistration.builtInClientId, reason.notifiesClients else { return nil }
        return LogoutNotice(
            id: SecureRandom.identifier(byteCount: 16),
            clientId: session.clientId,
            userId: session.userId,
            sessionId: session.id,
            ssoSessionId: session.ssoSessionId,
            createdAt: at
        )
    }
}

extension SessionEndReason {
    /// Whether a client hears of a session that ended this way: expiry is exempt (the client's own tokens expire
    /// alike); every other cause is someone's decision that the client must follow.
    public var notifiesClients: Bool {
        switch self {
        case .idleTimeout, .absoluteTimeout: false
        default: true
        }
    }
}

/// How the outbox treats a failed delivery: retried with growing pauses for a bounded time, then given up.
public enum LogoutDelivery {
    /// How long a notice is retried before it is given up (`rotor_backchannel_logouts_total{outcome="given_up"}`).
    public static let retryFor: TimeInterval = 3_600
    /// How long an instance holds a claimed notice: another instance takes it over after this if the first died.
    public static let lease: TimeInterval = 30

    /// What to do after a failed attempt.
    public enum Next: Sendable, Equatable {
        /// Try again at this time.
        case retry(at: Date)
        /// Stop: the retry window has passed.
        case giveUp
    }

    /// The next step after attempt number `attempts` (1 for the first) failed: 1, 2, 4 … seconds, at most 5
    /// minutes apart, until an hour after the session ended.
    public static func next(afterFailed attempts: Int, createdAt: Date, now: Date) -> Next {
        let pause = min(300, pow(2, Double(max(0, attempts - 1))))
        let at = now + pause
        return at.timeIntervalSince(createdAt) > retryFor ? .giveUp : .retry(at: at)
    }
}

/// The outbox of back-channel logouts. Notices are inserted by the stores' endings themselves.
public protocol LogoutOutboxStore: Sendable {
    /// Claims up to `limit` notices due at `now` that no live lease holds, leasing them until `leaseUntil`: of
    /// instances claiming at once, each notice goes to one.
    func claimLogoutNotices(now: Date, leaseUntil: Date, limit: Int) async throws -> [LogoutNotice]
    /// Removes a delivered (or given-up) notice.
    func deleteLogoutNotice(id: String) async throws
    /// Records a failed attempt and when to try again.
    func postponeLogoutNotice(id: String, attempts: Int, until: Date) async throws
}
