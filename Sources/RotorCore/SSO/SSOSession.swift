public import Foundation

/// A person's sign-in at Rotor itself (the SSO session): while it lives, `/oauth/authorize` answers any client
/// without a password. Its cookie is a secret the store keeps only as SHA-256; its id is the `sid` of ID tokens and
/// logout tokens.
public struct SSOSessionRecord: Sendable, Equatable {
    /// The id (a lower-case UUID): the `sid` that relying parties see.
    public var id: String
    /// The person.
    public var userId: String
    /// When they last typed their password (`auth_time`).
    public var authTime: Date
    /// When it started.
    public var createdAt: Date
    /// When it was last used by an authorization request.
    public var lastUsedAt: Date
    /// When it ends if unused.
    public var idleExpiresAt: Date
    /// When it ends at the latest.
    public var absoluteExpiresAt: Date
    /// When it ended, or nil while live.
    public var endedAt: Date?
    /// Why it ended.
    public var endReason: SessionEndReason?

    /// Creates a record.
    public init(
        id: String,
        userId: String,
        authTime: Date,
        createdAt: Date,
        lastUsedAt: Date,
        idleExpiresAt: Date,
        absoluteExpiresAt: Date,
        endedAt: Date? = nil,
        endReason: SessionEndReason? = nil
    ) {
        self.id = id
        self.userId = userId
        self.authTime = authTime
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.idleExpiresAt = idleExpiresAt
        self.absoluteExpiresAt = absoluteExpiresAt
        self.endedAt = endedAt
        self.endReason = endReason
    }

    /// Whether it is live at `now`.
    public func isLive(at now: Date) -> Bool {
        endedAt == nil && idleExpiresAt > now && absoluteExpiresAt > now
    }
}

/// SSO sessions. The user-wide endings of ``SessionStore/endSessions(_:)`` (``SessionEnding/endsSSOSessions``)
/// end them in the same transaction.
public protocol SSOSessionStore: Sendable {
    /// Starts an SSO session with its cookie's hash and the sign-in event, unless the account changed since its
    /// stamp was read (then ``StoreError/accountChanged`` and nothing is written).
    func createSSOSession(
        _ session: SSOSessionRecord,
        hash: Data,
        event: AuditEvent,
        accountStamp: Int64
    )
        async throws
    /// The live SSO session whose cookie has this hash, with its idle lifetime restarted until `idleExpiresAt`
    /// (never past its absolute end); nil when unknown, ended or expired.
    func useSSOSession(hash: Data, now: Date, idleExpiresAt: Date) async throws -> SSOSessionRecord?
    /// An SSO session by id, live or not.
    func ssoSession(id: String) async throws -> SSOSessionRecord?
}
