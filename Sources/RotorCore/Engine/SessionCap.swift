public import Foundation

/// The rule for a user's live sessions when one more is created: how many may be live, and what each session that
/// makes room records. The stores only find the sessions (least recently used first, then the oldest) and end them
/// in the login's transaction, so the cap holds by construction on every store.
public struct SessionCap: Sendable, Equatable {
    /// At most this many live sessions per user; `Int.max` for no cap (a session that replaces another).
    public var maxLive: Int

    /// A cap of `maxLive` live sessions.
    public init(maxLive: Int) { self.maxLive = maxLive }

    /// No cap.
    public static let none = SessionCap(maxLive: .max)

    /// How many live sessions must end so that one more fits: 0 while there is room.
    public func excess(live: Int) -> Int {
        guard maxLive < .max else { return 0 }
        return max(0, live - max(maxLive, 1) + 1)
    }

    /// The event a session ended to make room records: revoked, cause `evicted`, by the client that logged in.
    public func event(evicting victim: SessionRecord, for newSession: SessionRecord) -> AuditEvent {
        AuditEvent(
            type: AuditEventType.sessionRevoked,
            at: newSession.createdAt,
            userId: victim.userId,
            sessionId: victim.id,
            client: newSession.createdBy,
            cause: SessionEndReason.evicted.rawValue
        )
    }
}
