public import Foundation

/// Which sessions a ``SessionEnding`` starts from.
public enum SessionAnchor: Sendable, Equatable {
    /// The live session whose current, unused refresh token has this hash. An unknown, used or ended token
    /// resolves to nothing, and then nothing changes (logout is no oracle).
    case currentToken(hash: Data)
    /// A live session of a user, by id (another user's session does not resolve).
    case session(id: String, userId: String)
    /// No session: every live session of a user.
    case user(id: String)
    /// An SSO session (live or not): it ends, and so does every live session issued under it, whatever the
    /// scope (RP-initiated logout).
    case ssoSession(id: String)
}

/// Which of the user's sessions end, relative to the anchor.
public enum SessionScope: String, Sendable, Equatable, CaseIterable {
    /// The anchor session only.
    case local
    /// Every live session of the user but the anchor.
    case others
    /// Every live session of the user.
    case global
}

/// A change to the account made in the same transaction as the endings.
public enum AccountChange: Sendable, Equatable {
    /// A new password hash.
    case passwordHash(String)
    /// A new (normalized) email; a taken one is ``StoreError/emailTaken`` and nothing changes.
    case email(String)
    /// Disabled (a time) or enabled (nil).
    case disabled(Date?)
}

/// An event an ending records about the user and its anchor session, once the store has resolved them.
public struct EndingEvent: Sendable, Equatable {
    /// The event type (``AuditEventType``).
    public var type: String
    /// Its cause, if any.
    public var cause: String?

    /// Creates an event.
    public init(type: String, cause: String? = nil) {
        self.type = type
        self.cause = cause
    }
}

/// One atomic "end sessions" operation: logout of any scope, revocation by the user or an admin, and the security
/// events (password or email change, disabling) that end every session and may start a new one. The user comes
/// from the anchor (a token resolves to its owner), so nothing is left for a store to fill in.
public struct SessionEnding: Sendable {
    /// Where the selection starts, and whose sessions these are.
    public var anchor: SessionAnchor
    /// Which sessions end.
    public var scope: SessionScope
    /// The cause recorded on each ended session.
    public var reason: SessionEndReason
    /// When.
    public var at: Date
    /// The account change, if any.
    public var accountChange: AccountChange?
    /// Events about the user and the anchor session, recorded with the resolved ids.
    public var events: [EndingEvent]
    /// The client that asked (recorded on every event).
    public var client: ClientInfo
    /// A session to start once the others have ended, with its first token's hash.
    public var newSession: (session: SessionRecord, firstTokenHash: Data, event: AuditEvent)?
    /// The user's ``UserRecord/securityStamp`` as the caller read it: when set, nothing happens and the store throws
    /// ``StoreError/accountChanged`` if the account changed since (two password changes racing: one wins).
    public var expectedStamp: Int64?

    /// Creates a request.
    public init(
        anchor: SessionAnchor,
        scope: SessionScope,
        reason: SessionEndReason,
        at: Date,
        accountChange: AccountChange? = nil,
        events: [EndingEvent] = [],
        client: ClientInfo = ClientInfo(),
        newSession: (session: SessionRecord, firstTokenHash: Data, event: AuditEvent)? = nil,
        expectedStamp: Int64? = nil
    ) {
        self.anchor = anchor
        self.scope = scope
        self.reason = reason
        self.at = at
        self.accountChange = accountChange
        self.events = events
        self.client = client
        self.newSession = newSession
        self.expectedStamp = expectedStamp
    }
}

extension SessionEnding {
    /// Whether the user's SSO sessions end too: every ending of all of a user's sessions (logout `global`, a
    /// password or email change, a disabled account, an admin's revocation of everything) also ends the sign-in at
    /// Rotor, or the next `/oauth/authorize` would start new sessions without a password.
    public var endsSSOSessions: Bool { scope == .global }

    /// The SSO session an RP-initiated logout starts from, if that is the anchor.
    public var ssoSessionAnchor: String? {
        if case .ssoSession(let id) = anchor { id } else { nil }
    }

    /// The events a store records once it knows the user, the anchor session and the sessions that ended: a
    /// `session_revoked` with the cause for each ended session — except the acting one when the request brings its
    /// own events, which then speak for it — then the request's events, completed with the user and the anchor.
    /// The policy lives here so that both stores record the same.
    /// - Parameters:
    ///   - ended: The sessions that ended.
    ///   - userId: The resolved user.
    ///   - anchorId: The resolved anchor session, if any.
    /// - Returns: The events, in the order to record them.
    public func eventsToRecord(ended: [SessionRecord], userId: String, anchorId: String?) -> [AuditEvent] {
        var recorded: [AuditEvent] = []
        for session in ended where session.id != anchorId || events.isEmpty {
            recorded.append(
                AuditEvent(
                    type: AuditEventType.sessionRevoked,
                    at: at,
                    userId: userId,
                    sessionId: session.id,
                    client: client,
                    cause: reason.rawValue
                )
            )
        }
        for event in events {
            recorded.append(
                AuditEvent(
                    type: event.type,
                    at: at,
                    userId: userId,
                    sessionId: anchorId,
                    client: client,
                    cause: event.cause
                )
            )
        }
        return recorded
    }
}

/// What a ``SessionEnding`` did.
public struct SessionEndingResult: Sendable, Equatable {
    /// Whether the anchor resolved (false: nothing changed).
    public var resolved: Bool
    /// The user concerned.
    public var userId: String?
    /// The sessions that ended.
    public var ended: [SessionRecord]

    /// Creates a result.
    public init(resolved: Bool, userId: String?, ended: [SessionRecord]) {
        self.resolved = resolved
        self.userId = userId
        self.ended = ended
    }
}

/// How long ended and expired data is kept before `prune` deletes it.
public struct PrunePolicy: Sendable, Equatable {
    /// The current time.
    public var now: Date
    /// Ended or expired sessions are kept this long, so that a client coming back learns why its session ended.
    public var endedSessionRetention: TimeInterval
    /// Used plain refresh tokens (issued before positioned ones) are kept this long after use, for reuse
    /// detection; older ones would have expired unused anyway (it is the idle lifetime).
    public var usedTokenRetention: TimeInterval
    /// Used positioned tokens are kept only this long (past the grace window, for its replays): afterwards their
    /// tag still tells reuse, so a session's rows do not pile up with its refreshes.
    public var taggedUsedTokenRetention: TimeInterval
    /// Audit events are kept this long.
    public var eventRetention: TimeInterval
    /// Failed-login records are kept this long (longer than any rate-limit window).
    public var failureRetention: TimeInterval
    /// Retired signing keys are kept this long after retirement (the access TTL plus the leeway: every token they
    /// signed has expired by then).
    public var retiredKeyRetention: TimeInterval
    /// Authorization codes are kept this long after they expire, so that a late replay of a leaked one still ends
    /// the session it started.
    public var codeRetention: TimeInterval

    /// Creates a policy.
    public init(
        now: Date,
        endedSessionRetention: TimeInterval,
        usedTokenRetention: TimeInterval,
        taggedUsedTokenRetention: TimeInterval? = nil,
        eventRetention: TimeInterval,
        failureRetention: TimeInterval,
        retiredKeyRetention: TimeInterval,
        codeRetention: TimeInterval = 86_400
    ) {
        self.now = now
        self.endedSessionRetention = endedSessionRetention
        self.usedTokenRetention = usedTokenRetention
        self.taggedUsedTokenRetention = taggedUsedTokenRetention ?? usedTokenRetention
        self.eventRetention = eventRetention
        self.failureRetention = failureRetention
        self.retiredKeyRetention = retiredKeyRetention
        self.codeRetention = codeRetention
    }
}

/// What `prune` deleted.
public struct PruneReport: Sendable, Equatable {
    /// Sessions deleted.
    public var sessions: Int
    /// Refresh-token rows deleted (with their sessions or on their own).
    public var refreshTokens: Int
    /// Audit events deleted.
    public var events: Int
    /// Failed-login records deleted.
    public var loginFailures: Int
    /// Retired signing keys deleted.
    public var signingKeys: Int

    /// Creates a report.
    public init(
        sessions: Int = 0,
        refreshTokens: Int = 0,
        events: Int = 0,
        loginFailures: Int = 0,
        signingKeys: Int = 0
    ) {
        self.sessions = sessions
        self.refreshTokens = refreshTokens
        self.events = events
        self.loginFailures = loginFailures
        self.signingKeys = signingKeys
    }
}
