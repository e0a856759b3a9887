public import Foundation

/// Errors a store reports that the engine must tell apart from faults.
public enum StoreError: Error, Sendable, Equatable {
    /// The email address already belongs to another account.
    case emailTaken
    /// The account's password, email or disabled flag changed (or it was deleted) since it was read: the session
    /// that was to start on that reading does not.
    case accountChanged
    /// A client with this id is registered already.
    case clientExists
}

/// Accounts. Every method is atomic on its own.
public protocol UserStore: Sendable {
    /// Inserts a new account.
    /// - Throws: ``StoreError/emailTaken`` when the email is in use; any other error is a fault.
    func createUser(_ user: UserRecord) async throws
    /// Finds an account by normalized email.
    func user(email: String) async throws -> UserRecord?
    /// Finds an account by id.
    func user(id: String) async throws -> UserRecord?
    /// Replaces an account's password hash (a re-hash at higher parameters).
    func updatePasswordHash(userId: String, passwordHash: String) async throws
    /// Replaces an account's roles.
    func setRoles(userId: String, roles: [String]) async throws
    /// All accounts, by email (for the admin commands).
    func users() async throws -> [UserRecord]
}

/// Registered clients (apps) and their secrets. Every method is atomic on its own; the metadata is stored as the
/// engine gives it (JSON), never interpreted by the store.
public protocol ClientStore: Sendable {
    /// Inserts a client with its secrets.
    /// - Throws: ``StoreError/clientExists`` when the id is taken.
    func createClient(_ client: ClientRecord) async throws
    /// A client by id, with its secrets.
    func client(id: String) async throws -> ClientRecord?
    /// Every client, by id.
    func clients() async throws -> [ClientRecord]
    /// Deletes a client and its secrets. - Returns: Whether there was one.
    func deleteClient(id: String) async throws -> Bool
    /// Adds a secret to a client; its other secrets stop working at `retiringOthersAt` (or earlier, if they were
    /// to already), and secrets that expired before `secret.createdAt` are deleted.
    /// - Returns: Whether the client exists.
    func addClientSecret(clientId: String, _ secret: ClientSecretRecord, retiringOthersAt: Date) async throws -> Bool
    /// Records that a client used a `private_key_jwt` assertion, unless it did already: of two instances
    /// presented the same assertion at once, exactly one is told it is the first.
    /// - Parameters:
    ///   - jtiHash: SHA-256 of the assertion's `jti`.
    ///   - expiresAt: Until when the `jti` is remembered (the assertion's expiry plus the leeway).
    ///   - now: The current time: a `jti` remembered until before it is free again.
    /// - Returns: Whether this is the first use.
    func useClientAssertion(clientId: String, jtiHash: Data, expiresAt: Date, now: Date) async throws -> Bool
}

/// What a refresh asks the store to do, atomically.
public struct RotationRequest: Sendable {
    /// SHA-256 of the presented token.
    public var presentedHash: Data
    /// SHA-256 of the child to store if the decision is to rotate.
    public var childHash: Data
    /// The child, sealed under a key derived from the presented token (``ChildTokenSeal``).
    public var sealedChild: Data
    /// The current time.
    public var now: Date
    /// The grace window (`ROTOR_REUSE_GRACE`).
    public var grace: TimeInterval
    /// The idle lifetime (`ROTOR_REFRESH_TTL`) the rotation restarts.
    public var refreshTTL: TimeInterval
    /// The device id that came with the refresh.
    public var deviceId: String?
    /// The thumbprint of the verified DPoP proof that came with the refresh, if any.
    public var dpopThumbprint: String?
    /// The client that refreshes.
    public var client: ClientInfo
    /// The OAuth client that refreshes, as authenticated: a session issued to another one is refused.
    public var clientId: String
    /// Where the presented token stands, when it is positioned and its tag verified: if the store has no row for
    /// its hash (pruned after use), the session and generation it names decide instead.
    public var position: RefreshTokenPosition?

    /// Creates a rotation request.
    public init(
        presentedHash: Data,
        childHash: Data,
        sealedChild: Data,
        now: Date,
        grace: TimeInterval,
        refreshTTL: TimeInterval,
        deviceId: String?,
        dpopThumbprint: String? = nil,
        client: ClientInfo,
        clientId: String = ClientRegistration.builtInClientId,
        position: RefreshTokenPosition? = nil
    ) {
        self.clientId = clientId
        self.presentedHash = presentedHash
        self.childHash = childHash
        self.sealedChild = sealedChild
        self.now = now
        self.grace = grace
        self.refreshTTL = refreshTTL
        self.deviceId = deviceId
        self.dpopThumbprint = dpopThumbprint
        self.client = client
        self.position = position
    }
}

/// What a store did with a ``RotationRequest``: the ``RotationStateMachine`` decision and the resulting state.
public enum RotationOutcome: Sendable, Equatable {
    /// Rotated: the child was stored; the session as it is now, and its user's roles.
    case rotated(SessionRecord, roles: [String])
    /// A grace replay: the sealed child stored when the presented token was rotated.
    case replayed(SessionRecord, roles: [String], sealedChild: Data)
    /// Refused; the session (if any) was changed as the failure requires (ended on reuse or expiry).
    case refused(GrantFailure, userId: String?)
    /// Refused because the session ran out just now; the store recorded its end with this cause.
    case expired(SessionEndReason, userId: String)
}

/// Sessions and their refresh tokens. Every method is one atomic transaction: the engine never sees one.
public protocol SessionStore: Sendable {
    /// Stores a new session with its first refresh token and the login event. When `cap` says some of the user's
    /// live sessions must make room (``SessionCap/excess(live:)``), the least recently used ones end in the same
    /// transaction, each recording ``SessionCap/event(evicting:for:)``, so the cap holds by construction.
    /// - Parameter accountStamp: The user's ``UserRecord/securityStamp`` as read when the password was checked.
    /// - Returns: The sessions evicted.
    /// - Throws: ``StoreError/accountChanged`` when the user is disabled or the stamp is no longer that.
    @discardableResult
    func createSession(
        _ session: SessionRecord,
        firstTokenHash: Data,
        event: AuditEvent,
        cap: SessionCap,
        accountStamp: Int64
    ) async throws -> [SessionRecord]
    /// Applies the rotation rule to the presented token: loads it and its session, asks
    /// ``RotationStateMachine/decide(_:)``, applies the decision, commits, then answers.
    func rotate(_ request: RotationRequest) async throws -> RotationOutcome
    /// Ends sessions of one user in one transaction, with an optional account change and an optional new
    /// session (see ``SessionEnding``). Each ended session gets a `session_revoked` event with its cause, except the
    /// acting session, for which the request's own events speak.
    /// - Returns: What was ended; nothing at all when the anchor did not resolve.
    func endSessions(_ request: SessionEnding) async throws -> SessionEndingResult
    /// The session and generation of the refresh token with this hash, used or not (for a plain token, whose
    /// child is positioned); nil when there is no such row.
    func tokenPosition(hash: Data) async throws -> (sessionId: String, generation: Int)?
    /// The live session whose current, unused refresh token has this hash (introspection; reads only).
    func liveSession(currentTokenHash: Data, now: Date) async throws -> SessionRecord?
    /// The live sessions of a user at `now`, newest first.
    func liveSessions(userId: String, now: Date) async throws -> [SessionRecord]
    /// Finds a session by id.
    func session(id: String) async throws -> SessionRecord?
    /// Sessions that ended at or after `since` (for the revocation feed), oldest first.
    func sessionsEnded(since: Date) async throws -> [(id: String, endedAt: Date)]
}

/// Signing keys, shared by every instance on the store.
public protocol KeyStore: Sendable {
    /// All signing keys, newest first.
    func signingKeys() async throws -> [SigningKeyRecord]
    /// Makes `key` the current signing key of its algorithm if that algorithm's current one is still
    /// `expectedCurrent` (nil: there is none), retiring that one at `key.createdAt` — a compare-and-swap, so that
    /// instances starting or rotating together agree on one key per algorithm.
    /// - Returns: All keys after the call, newest first.
    func installSigningKey(
        _ key: SigningKeyRecord,
        replacing expectedCurrent: String?
    ) async throws
        -> [SigningKeyRecord]
    /// Replaces the stored private key of `kid` (sealing keys at rest once a master key is set).
    func updatePrivateKey(kid: String, privateKey: Data) async throws
}

/// Secrets every instance shares (the refresh-token tag key), made once by whichever instance comes first.
public protocol SecretStore: Sendable {
    /// The secret stored under `name`; when there is none yet, `candidate` is stored and returned. Of instances
    /// asking at once, one candidate wins and all get it.
    func secret(named name: String, orInsert candidate: Data) async throws -> Data
}

/// The audit trail.
public protocol AuditStore: Sendable {
    /// The newest events of a user, newest first.
    func events(userId: String, limit: Int) async throws -> [AuditEvent]
    /// Records one event on its own.
    func record(_ event: AuditEvent) async throws
}

/// One limit a guarded attempt must be under: at most `limit` failures under `key` in the last `window` seconds.
public struct ThrottleRule: Sendable, Equatable {
    /// The counted key (an account's email, a client IP), see ``LoginThrottlePolicy``.
    public var key: String
    /// How far back failures count.
    public var window: TimeInterval
    /// How many failures the window allows.
    public var limit: Int

    /// Creates a rule.
    public init(key: String, window: TimeInterval, limit: Int) {
        self.key = key
        self.window = window
        self.limit = limit
    }
}

/// What ``LoginThrottleStore/reserveAttempt(_:at:)`` did.
public struct AttemptReservation: Sendable, Equatable {
    /// The rows recorded for the attempt (one per rule), or empty when a rule was at its limit and nothing was
    /// recorded.
    public var ids: [Int64]
    /// Per key: the failures in its window, the reservation included, and the oldest of them.
    public var counts: [String: FailureCount]

    /// Whether the attempt may go on.
    public var isReserved: Bool { !ids.isEmpty }

    /// Creates a reservation.
    public init(ids: [Int64], counts: [String: FailureCount]) {
        self.ids = ids
        self.counts = counts
    }
}

/// How many failures a key has in its window (attempts still being checked included), and when the oldest of
/// them happened.
public struct FailureCount: Sendable, Equatable {
    /// The number of failures, attempts in flight included.
    public var count: Int
    /// How many of them are attempts still in flight (reserved, not yet settled or released).
    public var pending: Int
    /// The oldest one's time.
    public var oldest: Date

    /// Creates a count.
    public init(count: Int, pending: Int = 0, oldest: Date) {
        self.count = count
        self.pending = pending
        self.oldest = oldest
    }
}

/// Failed password checks, counted per key (an account's email, a client IP) for the brute-force limits.
///
/// An attempt is counted as a failure *before* its password is hashed (a reservation) and forgiven afterwards if
/// it succeeds, so that N attempts sent at once are judged as if one by one: the check and the record are one
/// atomic step, on one instance or many.
public protocol LoginThrottleStore: Sendable {
    /// Atomically, against every other reservation on the store: when every rule's key has fewer than `limit`
    /// failures in its window (attempts in flight included), records one attempt in flight at `at` under each key;
    /// otherwise records nothing.
    /// - Returns: The recorded rows and the counts (including them).
    func reserveAttempt(_ rules: [ThrottleRule], at: Date) async throws -> AttemptReservation
    /// Turns a reservation into failures (the password was wrong): no longer in flight.
    func settleAttempt(_ ids: [Int64]) async throws
    /// Forgets a reservation (the attempt succeeded, or never ran), and every failure of the `clearing` keys.
    func releaseAttempt(_ ids: [Int64], clearing keys: [String]) async throws
}

/// Deletes what has expired (`rotor prune`, and periodically inside `serve`).
public protocol PruneStore: Sendable {
    /// Deletes expired and ended sessions (with their tokens), old used tokens, old events and old failures.
    func prune(_ policy: PrunePolicy) async throws -> PruneReport
}

/// A store that can tell whether it is reachable (`GET /readyz`).
public protocol StoreHealth: Sendable {
    /// Throws when the store cannot serve requests.
    func checkReady() async throws
}

/// Everything the engine needs from a store.
public typealias RotorStore = UserStore & SessionStore & KeyStore & SecretStore & AuditStore & LoginThrottleStore
    & ClientStore & AuthorizationCodeStore & SSOSessionStore & ConsentStore & LogoutOutboxStore
    & DeviceAuthorizationStore & PruneStore & StoreHealth
