public import Foundation
import GRDB
public import RotorCore

extension SQLiteStore: SessionStore {
    /// Stores a new session, its first refresh token and the login event in one transaction, ending the sessions
    /// that ``SessionCap`` says must make room.
    @discardableResult
    public func createSession(
        _ session: SessionRecord,
        firstTokenHash: Data,
        event: AuditEvent,
        cap: SessionCap,
        accountStamp: Int64
    ) async throws -> [SessionRecord] {
        try await pool.write { db in
            try Self.checkStamp(userId: session.userId, expected: accountStamp, db: db)
            return try Self.insert(
                session,
                firstTokenHash: firstTokenHash,
                event: event,
                cap: cap,
                db: db
            )
        }
    }

    /// Throws ``StoreError/accountChanged`` unless the user exists, is enabled and still has this stamp.
    static func checkStamp(userId: String, expected: Int64, db: Database) throws {
        let row = try db.row(sql: "SELECT security_stamp, disabled_at FROM users WHERE id = ?", arguments: [userId])
        guard let row, row["security_stamp"] as Int64 == expected, row["disabled_at"] as Int64? == nil else {
            throw StoreError.accountChanged
        }
    }

    static func insert(
        _ session: SessionRecord,
        firstTokenHash: Data,
        event: AuditEvent,
        cap: SessionCap,
        db: Database
    ) throws -> [SessionRecord] {
        let now = session.createdAt.unixMilliseconds
        var evicted: [SessionRecord] = []
        if cap != .none {
            let live =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM sessions WHERE user_id = ? AND \(LiveSessionSQL.condition())
                        """,
                    arguments: [session.userId, now]
                ) ?? 0
            let excess = cap.excess(live: live)
            if excess > 0 {
                evicted = try db.rows(
                    sql: """
                        SELECT * FROM sessions WHERE user_id = ? AND \(LiveSessionSQL.condition())
                        ORDER BY last_used_at, created_at LIMIT ?
                        """,
                    arguments: [session.userId, now, excess]
                ).map(\.sessionRecord)
            }
            for victim in evicted {
                try end(sessionId: victim.id, reason: .evicted, at: now, db: db)
                try insert(cap.event(evicting: victim, for: session), db: db)
            }
        }
        try db.run(
            sql: """
                INSERT INTO sessions (id, user_id, client_id, scope, created_at, last_used_at, idle_expires_at,
                    absolute_expires_at, generation, device_id, device_name, created_ip, created_user_agent,
                    last_ip, last_user_agent, dpop_jkt, audience, sso_session_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                session.id, session.userId, session.clientId, session.scope,
                session.createdAt.unixMilliseconds, session.lastUsedAt.unixMilliseconds,
                session.idleExpiresAt.unixMilliseconds, session.absoluteExpiresAt.unixMilliseconds,
                session.deviceId, session.deviceName, session.createdBy.ip, session.createdBy.userAgent,
                session.lastUsedBy.ip, session.lastUsedBy.userAgent, session.dpopThumbprint,
                session.audience?.joined(separator: " "), session.ssoSessionId,
            ]
        )
        try db.run(
            sql: "INSERT INTO refresh_tokens (hash, session_id, generation, issued_at, tagged) VALUES (?, ?, 0, ?, 1)",
            arguments: [firstTokenHash, session.id, now]
        )
        try insert(event, db: db)
        return evicted
    }

    /// Loads the presented token and its session, decides with ``RotationStateMachine``, and applies the
    /// decision, atomically; answers only once the transaction is durable. Concurrent rotations share one
    /// transaction and one fsync (``GroupCommit``).
    public func rotate(_ request: RotationRequest) async throws -> RotationOutcome {
        try await rotations.submit(request)
    }

    /// One rotation inside a transaction (a savepoint of a group commit).
    static func rotate(_ request: RotationRequest, db: Database) throws -> RotationOutcome {
        do {
            let token = try db.row(
                sql: "SELECT session_id, generation, used_at, sealed_child FROM refresh_tokens WHERE hash = ?",
                arguments: [request.presentedHash]
            )
            // No row: a positioned token whose row was pruned is still known by its (verified) position.
            let sessionId = token.map { $0["session_id"] as String } ?? request.position?.sessionId
            if let token, let position = request.position,
                position.sessionId != token["session_id"] || position.generation != token["generation"]
            {
                return .refused(.unknownToken, userId: nil)
            }
            let sessionRow = try sessionId.flatMap { id in
                try db.row(
                    sql: "SELECT s.*, u.roles FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?",
                    arguments: [id]
                )
            }
            guard let sessionRow else { return .refused(.unknownToken, userId: nil) }
            var session = sessionRow.sessionRecord
            let roles = (sessionRow["roles"] as String).split(separator: " ").map(String.init)
            let generation: Int = token?["generation"] ?? request.position?.generation ?? 0
            let presented: RotationStateMachine.PresentedToken =
                token.map { .init(generation: generation, usedAt: $0.optionalDate("used_at")) }
                ?? .recognisedByTag(generation: generation)
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
                try Self.insert(
                    AuditEvent(
                        type: type,
                        at: request.now,
                        userId: session.userId,
                        sessionId: session.id,
                        client: request.client,
                        cause: cause?.rawValue
                    ),
                    db: db
                )
            }
            // The engine's plan says what to write and what to answer; this store only carries it out.
            let plan = RotationPlan(decision)
            if plan.steps.contains(.rotate), token == nil { return .refused(.unknownToken, userId: session.userId) }
            for step in plan.steps {
                switch step {
                case .endSession(let reason):
                    try Self.end(sessionId: session.id, reason: reason, at: now, db: db)
                case .record(let type, let cause):
                    try record(type, cause)
                case .rotate:
                    let idle = min(request.now.addingTimeInterval(request.refreshTTL), session.absoluteExpiresAt)
                    try db.run(
                        sql: "UPDATE refresh_tokens SET used_at = ?, sealed_child = ? WHERE hash = ?",
                        arguments: [now, request.sealedChild, request.presentedHash]
                    )
                    try db.run(
                        sql: """
                            INSERT INTO refresh_tokens (hash, session_id, generation, issued_at, tagged)
                            VALUES (?, ?, ?, ?, 1)
                            """,
                        arguments: [request.childHash, session.id, generation + 1, now]
                    )
                    try db.run(
                        sql: """
                            UPDATE sessions SET generation = ?, last_used_at = ?, idle_expires_at = ?, last_ip = ?,
                                last_user_agent = ?
                            WHERE id = ?
                            """,
                        arguments: [
                            generation + 1, now, idle.unixMilliseconds, request.client.ip, request.client.userAgent,
                            session.id,
                        ]
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
                guard let sealed = token?["sealed_child"] as Data? else {
                    return .refused(.unknownToken, userId: session.userId)
                }
                return .replayed(session, roles: roles, sealedChild: sealed)
            case .rotated:
                return .rotated(session, roles: roles)
            }
        }
    }

    /// The session and generation of a token's row.
    public func tokenPosition(hash: Data) async throws -> (sessionId: String, generation: Int)? {
        try await pool.read { db in
            try db.row(sql: "SELECT session_id, generation FROM refresh_tokens WHERE hash = ?", arguments: [hash])
                .map { (sessionId: $0["session_id"], generation: $0["generation"]) }
        }
    }

    /// Sessions that ended at or after `since`, oldest first.
    public func sessionsEnded(since: Date) async throws -> [(id: String, endedAt: Date)] {
        try await pool.read { db in
            try db.rows(
                sql: "SELECT id, ended_at FROM sessions WHERE ended_at >= ? ORDER BY ended_at",
                arguments: [since.unixMilliseconds]
            ).map { (id: $0["id"], endedAt: $0.date("ended_at")) }
        }
    }

    /// Finds a session by id.
    public func session(id: String) async throws -> SessionRecord? {
        try await pool.read { db in
            try db.row(sql: "SELECT * FROM sessions WHERE id = ?", arguments: [id])?.sessionRecord
        }
    }

    static func end(sessionId: String, reason: SessionEndReason, at: Int64, db: Database) throws {
        // Every ending of a session comes through here: the back-channel logout it owes is written with it.
        guard
            let ended = try db.row(
                sql: """
                    UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL
                    RETURNING *
                    """,
                arguments: [at, reason.rawValue, sessionId]
            )?.sessionRecord,
            let notice = LogoutNotice.owed(for: ended, reason: reason, at: Date(unixMilliseconds: at))
        else { return }
        try insert(notice, db: db)
    }

    static func insert(_ event: AuditEvent, db: Database) throws {
        try db.run(
            sql: """
                INSERT INTO audit_events (user_id, session_id, type, at, ip, user_agent, cause)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                event.userId, event.sessionId, event.type, event.at.unixMilliseconds, event.client.ip,
                event.client.userAgent, event.cause,
            ]
        )
    }
}
