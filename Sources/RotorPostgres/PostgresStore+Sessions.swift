public import Foundation
import Logging
import PostgresNIO
public import RotorCore

extension PostgresStore: SessionStore {
    /// Stores a new session, its first refresh token and the login event in one transaction, evicting the least
    /// recently used sessions beyond the cap. The user's row is locked first, so that logins of one user on
    /// several instances take turns and the cap holds exactly.
    @discardableResult
    public func createSession(
        _ session: SessionRecord,
        firstTokenHash: Data,
        event: AuditEvent,
        cap: SessionCap,
        accountStamp: Int64
    ) async throws -> [SessionRecord] {
        try await transaction { connection in
            try await Self.lockUser(session.userId, expectedStamp: accountStamp, on: connection, logger: logger)
            return try await Self.insert(
                session,
                firstTokenHash: firstTokenHash,
                event: event,
                cap: cap,
                on: connection,
                logger: logger
            )
        }
    }

    /// Locks the user's row (logins and endings of one user on several instances take turns) and, when a stamp is
    /// expected, throws ``StoreError/accountChanged`` unless the user is enabled and still has it.
    /// - Returns: Whether the user exists.
    @discardableResult
    static func lockUser(
        _ userId: String,
        expectedStamp: Int64?,
        on connection: PostgresConnection,
        logger: Logger
    )
        async throws -> Bool
    {
        let row = try await connection.query(
            "SELECT security_stamp, disabled_at FROM users WHERE id = \(userId) FOR UPDATE",
            logger: logger
        ).first()
        guard let expectedStamp else { return row != nil }
        guard let row, try row.value("security_stamp", as: Int64.self) == expectedStamp,
            try row.value("disabled_at", as: Int64?.self) == nil
        else { throw StoreError.accountChanged }
        return true
    }

    static func insert(
        _ session: SessionRecord,
        firstTokenHash: Data,
        event: AuditEvent,
        cap: SessionCap,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> [SessionRecord] {
        // The caller holds the user's row lock (``lockUser(_:expectedStamp:on:logger:)``).
        let now = session.createdAt.unixMilliseconds
        var evicted: [SessionRecord] = []
        if cap != .none {
            // Count first: the ids are fetched only when some must go, so a high cap costs one index scan.
            let live =
                try await connection.query(
                    """
                    SELECT count(*) FROM sessions
                    WHERE user_id = \(session.userId) AND \(unescaped: LiveSessionSQL.condition(at: now))
                    """,
                    logger: logger
                ).collect().first?.decode(Int.self) ?? 0
            let excess = cap.excess(live: live)
            if excess > 0 {
                let victims = try await connection.query(
                    """
                    SELECT id FROM sessions
                    WHERE user_id = \(session.userId) AND \(unescaped: LiveSessionSQL.condition(at: now))
                    ORDER BY last_used_at, created_at LIMIT \(excess)
                    """,
                    logger: logger
                ).rows().map { try $0.value("id", as: String.self) }
                for id in victims {
                    let ended = try await end(sessionId: id, reason: .evicted, at: now, on: connection, logger: logger)
                    guard let victim = ended else { continue }
                    evicted.append(victim)
                    try await insert(cap.event(evicting: victim, for: session), on: connection, logger: logger)
                }
            }
        }
        try await connection.query(
            """
            INSERT INTO sessions (id, user_id, client_id, scope, created_at, last_used_at, idle_expires_at,
                absolute_expires_at, generation, device_id, device_name, created_ip, created_user_agent,
                last_ip, last_user_agent, dpop_jkt, audience, sso_session_id)
            VALUES (\(session.id), \(session.userId), \(session.clientId), \(session.scope), \(now),
                \(session.lastUsedAt.unixMilliseconds), \(session.idleExpiresAt.unixMilliseconds),
                \(session.absoluteExpiresAt.unixMilliseconds), 0, \(session.deviceId), \(session.deviceName),
                \(session.createdBy.ip), \(session.createdBy.userAgent), \(session.lastUsedBy.ip),
                \(session.lastUsedBy.userAgent), \(session.dpopThumbprint),
                \(session.audience?.joined(separator: " ")), \(session.ssoSessionId))
            """,
            logger: logger
        )
        try await connection.query(
            """
            INSERT INTO refresh_tokens (hash, session_id, generation, issued_at, tagged)
            VALUES (\(firstTokenHash), \(session.id), 0, \(now), true)
            """,
            logger: logger
        )
        try await insert(event, on: connection, logger: logger)
        return evicted
    }

    /// Applies the rotation rule atomically; answers only once the change is committed (and, with PostgreSQL's
    /// default `synchronous_commit = on`, durable).
    ///
    /// The common case — an unused, current token of a live session, from its bound device — is one statement:
    /// the session row is updated only if its generation is still the token's (a compare-and-swap that
    /// concurrent rotations of one token, through any instance, can win only once), and the same statement marks
    /// the token used and inserts the child. Its condition is exactly the `.rotate` row of
    /// ``RotationStateMachine``. Every other case — and a lost race — goes through ``decide(_:)``, which locks the
    /// session row and lets the state machine decide.
    public func rotate(_ request: RotationRequest) async throws -> RotationOutcome {
        if let rotated = try await retrying({ try await rotateInOneStatement(request) }) {
            return rotated
        }
        return try await transaction { connection in try await Self.decide(request, on: connection, logger: logger) }
    }

    private func rotateInOneStatement(_ request: RotationRequest) async throws -> RotationOutcome? {
        var rows: [PostgresRandomAccessRow] = []
        for try await row in try await client.execute(RotationStatement(request: request), logger: logger) {
            rows.append(row)
        }
        guard let row = rows.first else { return nil }
        let roles = try row.value("roles", as: String.self).split(separator: " ").map(String.init)
        return .rotated(try row.sessionRecord(), roles: roles)
    }

    /// The rotation rule the long way: the session row locked, the token read under that lock, the state machine
    /// deciding, its decision applied, in one transaction.
    static func decide(
        _ request: RotationRequest,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws
        -> RotationOutcome
    {
        let hash = request.presentedHash
        // No row: a positioned token whose row was pruned is still known by its (verified) position.
        let rowSession = try await connection.query(
            "SELECT session_id FROM refresh_tokens WHERE hash = \(hash)",
            logger: logger
        ).first()?.value("session_id", as: String.self)
        guard let sessionId = rowSession ?? request.position?.sessionId,
            let sessionRow = try await connection.query(
                """
                SELECT s.*, u.roles FROM sessions s JOIN users u ON u.id = s.user_id
                WHERE s.id = \(sessionId) FOR UPDATE OF s
                """,
                logger: logger
            ).first()
        else { return .refused(.unknownToken, userId: nil) }
        // Read after the lock: every change to a token happens under its session's lock.
        let token = try await connection.query(
            "SELECT generation, used_at, sealed_child FROM refresh_tokens WHERE hash = \(hash)",
            logger: logger
        ).first()
        if token == nil && rowSession != nil { return .refused(.unknownToken, userId: nil) }

        var session = try sessionRow.sessionRecord()
        let roles = try sessionRow.value("roles", as: String.self).split(separator: " ").map(String.init)
        let presented: RotationStateMachine.PresentedToken
        if let token {
            let generation = Int(try token.value("generation", as: Int32.self))
            if let position = request.position, position.sessionId != sessionId || position.generation != generation {
                return .refused(.unknownToken, userId: nil)
            }
            presented = .init(generation: generation, usedAt: try token.optionalDate("used_at"))
        } else if let position = request.position {
            presented = .recognisedByTag(generation: position.generation)
        } else {
            return .refused(.unknownToken, userId: nil)
        }
        let generation = presented.generation
        let decision = RotationStateMachine.decide(
            .init(
                token: presented,
                session: session.rotationState,
                now: request.now,
                grace: request.grace,
                presentedDeviceId: request.deviceId,
                presentedThumbprint: request.dpopThumbprint,
                presentedClientId: request.clientId
            )
        )
        let now = request.now.unixMilliseconds
        let record = { (type: String, cause: SessionEndReason?) in
            try await insert(
                AuditEvent(
                    type: type,
                    at: request.now,
                    userId: session.userId,
                    sessionId: session.id,
                    client: request.client,
                    cause: cause?.rawValue
                ),
                on: connection,
                logger: logger
            )
        }
        // The engine's plan says what to write and what to answer; this store only carries it out.
        let plan = RotationPlan(decision)
        if plan.steps.contains(.rotate), token == nil { return .refused(.unknownToken, userId: session.userId) }
        for step in plan.steps {
            switch step {
            case .endSession(let reason):
                _ = try await end(sessionId: session.id, reason: reason, at: now, on: connection, logger: logger)
            case .record(let type, let cause):
                try await record(type, cause)
            case .rotate:
                let idle = min(request.now.addingTimeInterval(request.refreshTTL), session.absoluteExpiresAt)
                let next = Int32(generation + 1)
                try await connection.query(
                    """
                    UPDATE refresh_tokens SET used_at = \(now), sealed_child = \(request.sealedChild) WHERE hash = \(hash)
                    """,
                    logger: logger
                )
                try await connection.query(
                    """
                    INSERT INTO refresh_tokens (hash, session_id, generation, issued_at, tagged)
                    VALUES (\(request.childHash), \(session.id), \(next), \(now), true)
                    """,
                    logger: logger
                )
                try await connection.query(
                    """
                    UPDATE sessions SET generation = \(next), last_used_at = \(now),
                        idle_expires_at = \(idle.unixMilliseconds), last_ip = \(request.client.ip),
                        last_user_agent = \(request.client.userAgent)
                    WHERE id = \(session.id)
                    """,
                    logger: logger
                )
                session.generation = generation + 1
                session.lastUsedAt = request.now
                session.idleExpiresAt = idle
                session.lastUsedBy = request.client
            }
        }
        switch plan.answer {
        case .refused(let failure):
            return .refused(failure, userId: session.userId)
        case .expired(let reason):
            return .expired(reason, userId: session.userId)
        case .replayed:
            guard let sealed = try token?.value("sealed_child", as: Data?.self) else {
                return .refused(.unknownToken, userId: session.userId)
            }
            return .replayed(session, roles: roles, sealedChild: sealed)
        case .rotated:
            return .rotated(session, roles: roles)
        }
    }

    /// The session and generation of a token's row.
    public func tokenPosition(hash: Data) async throws -> (sessionId: String, generation: Int)? {
        guard
            let row = try await client.query(
                "SELECT session_id, generation FROM refresh_tokens WHERE hash = \(hash)",
                logger: logger
            ).first()
        else { return nil }
        return (try row.value("session_id", as: String.self), Int(try row.value("generation", as: Int32.self)))
    }

    /// Sessions that ended at or after `since`, oldest first.
    public func sessionsEnded(since: Date) async throws -> [(id: String, endedAt: Date)] {
        try await client.query(
            "SELECT id, ended_at FROM sessions WHERE ended_at >= \(since.unixMilliseconds) ORDER BY ended_at",
            logger: logger
        ).rows().map { (id: try $0.value("id"), endedAt: try $0.date("ended_at")) }
    }

    /// Finds a session by id.
    public func session(id: String) async throws -> SessionRecord? {
        try await client.query("SELECT * FROM sessions WHERE id = \(id)", logger: logger).first()?.sessionRecord()
    }

    /// Ends a live session.
    /// - Returns: The session as it was, if it was live.
    @discardableResult
    static func end(
        sessionId: String,
        reason: SessionEndReason,
        at: Int64,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> SessionRecord? {
        let ended = try await connection.query(
            """
            UPDATE sessions SET ended_at = \(at), end_reason = \(reason.rawValue)
            WHERE id = \(sessionId) AND ended_at IS NULL
            RETURNING *
            """,
            logger: logger
        ).first()?.sessionRecord()
        // The back-channel logout an ending owes is written in its transaction.
        if let ended {
            try await insertNotices(
                for: [ended],
                reason: reason,
                at: Date(unixMilliseconds: at),
                on: connection,
                logger: logger
            )
        }
        return ended
    }

    static func insert(_ event: AuditEvent, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO audit_events (user_id, session_id, type, at, ip, user_agent, cause)
            VALUES (\(event.userId), \(event.sessionId), \(event.type), \(event.at.unixMilliseconds), \(event.client.ip),
                    \(event.client.userAgent), \(event.cause))
            """,
            logger: logger
        )
    }
}
