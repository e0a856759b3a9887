public import Foundation
import Logging
import PostgresNIO
public import RotorCore

extension PostgresStore {
    /// Logout of any scope, revocations and security events, in one transaction. The user's row is locked first,
    /// so that endings and logins of one user on several instances take turns.
    public func endSessions(_ request: SessionEnding) async throws -> SessionEndingResult {
        do {
            return try await transaction { connection in
                try await Self.endSessions(request, on: connection, logger: logger)
            }
        } catch  where Self.isUniqueViolation(error) {
            throw StoreError.emailTaken
        }
    }

    /// The live session of a current refresh token.
    public func liveSession(currentTokenHash: Data, now: Date) async throws -> SessionRecord? {
        let at = now.unixMilliseconds
        return try await client.query(
            """
            SELECT s.* FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
            WHERE t.hash = \(currentTokenHash) AND t.used_at IS NULL AND t.generation = s.generation
              AND \(unescaped: LiveSessionSQL.condition("s", at: at))
            """,
            logger: logger
        ).first()?.sessionRecord()
    }

    /// The live sessions of a user, newest first.
    public func liveSessions(userId: String, now: Date) async throws -> [SessionRecord] {
        let at = now.unixMilliseconds
        return try await client.query(
            """
            SELECT * FROM sessions
            WHERE user_id = \(userId) AND \(unescaped: LiveSessionSQL.condition(at: at))
            ORDER BY created_at DESC, id
            """,
            logger: logger
        ).rows().map { try $0.sessionRecord() }
    }

    private static func endSessions(
        _ request: SessionEnding,
        on connection: PostgresConnection,
        logger: Logger
    )
        async throws -> SessionEndingResult
    {
        let now = request.at.unixMilliseconds
        let nothing = SessionEndingResult(resolved: false, userId: nil, ended: [])

        // Resolve the user and the anchor session.
        var userId: String?
        var anchorId: String?
        switch request.anchor {
        case .currentToken(let hash):
            guard
                let row = try await connection.query(
                    """
                    SELECT s.id, s.user_id FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
                    WHERE t.hash = \(hash) AND t.used_at IS NULL AND t.generation = s.generation
                      AND \(unescaped: LiveSessionSQL.condition("s", at: now))
                    """,
                    logger: logger
                ).first()
            else { return nothing }
            userId = try row.value("user_id")
            anchorId = try row.value("id")
        case .session(let id, let owner):
            userId = owner
            anchorId = id
        case .user(let id):
            userId = id
        case .ssoSession(let id):
            userId = try await connection.query("SELECT user_id FROM sso_sessions WHERE id = \(id)", logger: logger)
                .first()?.value("user_id", as: String.self)
        }
        guard let userId,
            try await lockUser(userId, expectedStamp: request.expectedStamp, on: connection, logger: logger)
        else { return nothing }
        if case .session(let id, _) = request.anchor, request.scope == .local {
            let live = try await connection.query(
                """
                SELECT 1 FROM sessions WHERE id = \(id) AND user_id = \(userId) AND \(unescaped: LiveSessionSQL.condition(at: now))
                """,
                logger: logger
            ).first()
            if live == nil { return SessionEndingResult(resolved: false, userId: userId, ended: []) }
        }

        // Every account change raises the security stamp: logins and changes in flight that read it before fail.
        switch request.accountChange {
        case .passwordHash(let hash)?:
            try await connection.query(
                "UPDATE users SET password_hash = \(hash), security_stamp = security_stamp + 1 WHERE id = \(userId)",
                logger: logger
            )
        case .email(let email)?:
            try await connection.query(
                "UPDATE users SET email = \(email), security_stamp = security_stamp + 1 WHERE id = \(userId)",
                logger: logger
            )
        case .disabled(let at)?:
            try await connection.query(
                """
                UPDATE users SET disabled_at = \(at?.unixMilliseconds), security_stamp = security_stamp + 1
                WHERE id = \(userId)
                """,
                logger: logger
            )
        case nil:
            break
        }

        // End the selected sessions in one statement. A user anchor with scope `local` selects none.
        let reason = request.reason.rawValue
        var selection: PostgresQuery?
        switch (request.scope, anchorId) {
        case _ where request.ssoSessionAnchor != nil:
            let id = request.ssoSessionAnchor ?? ""
            try await connection.query(
                """
                UPDATE sso_sessions SET ended_at = \(now), end_reason = \(reason)
                WHERE id = \(id) AND ended_at IS NULL
                """,
                logger: logger
            )
            selection = """
                UPDATE sessions SET ended_at = \(now), end_reason = \(reason)
                WHERE user_id = \(userId) AND sso_session_id = \(id)
                  AND \(unescaped: LiveSessionSQL.condition(at: now))
                RETURNING *
                """
        case (.local, let id?):
            selection = """
                UPDATE sessions SET ended_at = \(now), end_reason = \(reason)
                WHERE user_id = \(userId) AND id = \(id)
                  AND \(unescaped: LiveSessionSQL.condition(at: now))
                RETURNING *
                """
        case (.local, nil):
            selection = nil
        case (.others, let id?):
            selection = """
                UPDATE sessions SET ended_at = \(now), end_reason = \(reason)
                WHERE user_id = \(userId) AND id <> \(id)
                  AND \(unescaped: LiveSessionSQL.condition(at: now))
                RETURNING *
                """
        case (.others, nil), (.global, _):
            selection = """
                UPDATE sessions SET ended_at = \(now), end_reason = \(reason)
                WHERE user_id = \(userId)
                  AND \(unescaped: LiveSessionSQL.condition(at: now))
                RETURNING *
                """
        }
        var ended: [SessionRecord] = []
        if let selection {
            ended = try await connection.query(selection, logger: logger).rows().map { try $0.sessionRecord() }
                .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        }
        try await insertNotices(for: ended, reason: request.reason, at: request.at, on: connection, logger: logger)
        if request.endsSSOSessions {
            try await Self.endSSOSessions(
                userId: userId,
                reason: request.reason,
                at: now,
                on: connection,
                logger: logger
            )
        }
        for event in request.eventsToRecord(ended: ended, userId: userId, anchorId: anchorId) {
            try await insert(event, on: connection, logger: logger)
        }
        if let (session, hash, event) = request.newSession {
            // The sessions just ended no longer count against the cap.
            _ = try await insert(
                session,
                firstTokenHash: hash,
                event: event,
                cap: .none,
                on: connection,
                logger: logger
            )
        }
        return SessionEndingResult(resolved: true, userId: userId, ended: ended)
    }
}
