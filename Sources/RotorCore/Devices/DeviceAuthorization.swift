public import Foundation

/// A device authorization (RFC 8628 §3.2) as the store keeps it: only the SHA-256 of its two codes, what the device
/// asked for, and where the person's decision and the device's polling stand.
public struct DeviceAuthorizationRecord: Sendable, Equatable {
    /// SHA-256 of the device code (what the device polls with).
    public var deviceCodeHash: Data
    /// SHA-256 of the normalized user code (what the person types).
    public var userCodeHash: Data
    /// The client that asked.
    public var clientId: String
    /// The scopes asked for, each one the client may have.
    public var scopes: [String]
    /// The RFC 8707 resources asked for: the access tokens' `aud` when any.
    public var resources: [String]
    /// When the codes were issued.
    public var createdAt: Date
    /// When they stop working.
    public var expiresAt: Date
    /// The polling interval the device must keep, in seconds (grows with each `slow_down`).
    public var interval: Int
    /// The last poll.
    public var lastPolledAt: Date?
    /// Where it stands.
    public var state: DeviceAuthorizationState
    /// The person who approved or denied it.
    public var userId: String?
    /// When that person last typed their password (`auth_time` of the ID token).
    public var authTime: Date?
    /// The SSO session they decided in: if it ends before the device polls (a password change, a logout), the
    /// approval goes with it.
    public var ssoSessionId: String?
    /// The session its tokens started, once redeemed (a second redemption ends it).
    public var sessionId: String?

    /// Creates a record.
    public init(
        deviceCodeHash: Data,
        userCodeHash: Data,
        clientId: String,
        scopes: [String],
        resources: [String],
        createdAt: Date,
        expiresAt: Date,
        interval: Int,
        lastPolledAt: Date? = nil,
        state: DeviceAuthorizationState = .pending,
        userId: String? = nil,
        authTime: Date? = nil,
        ssoSessionId: String? = nil,
        sessionId: String? = nil
    ) {
        self.deviceCodeHash = deviceCodeHash
        self.userCodeHash = userCodeHash
        self.clientId = clientId
        self.scopes = scopes
        self.resources = resources
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.interval = interval
        self.lastPolledAt = lastPolledAt
        self.state = state
        self.userId = userId
        self.authTime = authTime
        self.ssoSessionId = ssoSessionId
        self.sessionId = sessionId
    }
}

/// The person's answer at `/device`.
public struct DeviceDecision: Sendable, Equatable {
    /// Approved (`true`) or denied.
    public var approved: Bool
    /// Who decided.
    public var userId: String
    /// When they last typed their password.
    public var authTime: Date
    /// The SSO session they decided in.
    public var ssoSessionId: String
    /// When they decided.
    public var at: Date

    /// Creates a decision.
    public init(approved: Bool, userId: String, authTime: Date, ssoSessionId: String, at: Date) {
        self.approved = approved
        self.userId = userId
        self.authTime = authTime
        self.ssoSessionId = ssoSessionId
        self.at = at
    }
}

/// Device authorizations. Every method is one atomic transaction, so that a poll on one instance and a decision
/// on another are ordered.
public protocol DeviceAuthorizationStore: Sendable {
    /// Stores a new authorization.
    /// - Returns: `false` when its user code is taken by a live authorization already (the engine draws another).
    func insertDeviceAuthorization(_ record: DeviceAuthorizationRecord) async throws -> Bool
    /// The pending, unexpired authorization with this user code.
    func pendingDeviceAuthorization(userCodeHash: Data, now: Date) async throws -> DeviceAuthorizationRecord?
    /// Records the person's decision on an authorization that is still pending and unexpired.
    /// - Returns: Whether it was.
    func decideDeviceAuthorization(userCodeHash: Data, _ decision: DeviceDecision) async throws -> Bool
    /// One poll, atomically: decides it with ``DevicePoll/decide(state:expiresAt:lastPolledAt:interval:now:)``
    /// on the stored row, records the poll's time, the grown interval of a `slow_down`, and the redemption of an
    /// `issue` (and a replay on `spent`), so that of two polls at once only one gets the tokens.
    /// - Returns: The row as it was before this poll and the decision, or nil for a device code that is unknown or
    ///   of another client (which changes nothing).
    func pollDeviceAuthorization(
        deviceCodeHash: Data,
        clientId: String,
        now: Date
    ) async throws
        -> (record: DeviceAuthorizationRecord, poll: DevicePoll)?
    /// Records the session a redeemed authorization started, unless the device code was presented again first.
    /// - Returns: `false` after such a replay: the caller ends the session.
    func attachDeviceSession(deviceCodeHash: Data, sessionId: String) async throws -> Bool
}
