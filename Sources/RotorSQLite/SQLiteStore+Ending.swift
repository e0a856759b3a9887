public import Foundation
import GRDB
public import RotorCore

extension SQLiteStore {
    /// Logout of any scope, revocations and security events, in one `BEGIN IMMEDIATE` transaction.
    public func endSessions(_ request: SessionEnding) async throws -> SessionEndingResult {
        do {
            return try await pool.write { db in try Self.endSessions(request, db: db) }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw StoreError.emailTaken
        }
    }

    /// The live session of a current refresh token.
    public func liveSession(currentTokenHash: Data, now: Date) async throws -> SessionRecord? {
        let at = now.unixMilliseconds
        return try await pool.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT s.* FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
                    WHERE t.hash = ? AND t.used_at IS NULL AND t.generation = s.generation
                      AND \(LiveSessionSQL.condition("s"))
                    """,
                arguments: [currentTokenHash, at]
            )?.sessionRecord
        }
    }

    /// The live sessions of a user, newest first.
    public func liveSessions(userId: String, now: Date) async throws -> [SessionRecord] {
        let at = now.unixMilliseconds
        return try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM sessions WHERE user_id = ? AND \(LiveSessionSQL.condition())
                    ORDER BY created_at DESC, id
                    """,
                arguments: [userId, at]
            ).map(\.sessionRecord)
        }
    }

    private static func endSessions(_ request: SessionEnding, db: Database) throws -> SessionEndingResult {
        let now = request.at.unixMilliseconds
        let live = LiveSessionSQL.condition()

        // Resolve the user and the anchor session.
        var userId: String?
        var anchorId: String?
        switch request.anchor {
        case .currentToken(let hash):
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT s.id, s.user_id FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
                        WHERE t.hash = ? AND t.used_at IS NULL AND t.generation = s.generation
                          AND \(LiveSessionSQL.condition("s"))
                        """,
                    arguments: [hash, now]
                )
            else { return SessionEndingResult(resolved: false, userId: nil, ended: []) }
            userId = row["user_id"]
            anchorId = row["id"]
        case .session(let id, let owner):
            userId = owner
            let isLive =
                try Bool.fetchOne(
                    db,
                    sql: "SELECT 1 FROM sessions WHERE id = ? AND user_id = ? AND \(live)",
                    arguments: [id, owner, now]
                ) ?? false
            if request.scope == .local && !isLive {
                return SessionEndingResult(resolved: false, userId: owner, ended: [])
            }
            anchorId = id
        case .user(let id):
            userId = id
        case .ssoSession(let id):
            userId = try String.fetchOne(db, sql: "SELECT user_id FROM sso_sessions WHERE id = ?", arguments: [id])
        }
        guard let userId, try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE id = ?", arguments: [userId]) ?? false
        else { return SessionEndingResult(resolved: false, userId: nil, ended: []) }
        if let expected = request.expectedStamp { try checkStamp(userId: userId, expected: expected, db: db) }

        // Every account change raises the security stamp: logins and changes in flight that read it before fail.
        switch request.accountChange {
        case .passwordHash(let hash)?:
            try db.execute(
                sql: "UPDATE users SET password_hash = ?, security_stamp = security_stamp + 1 WHERE id = ?",
                arguments: [hash, userId]
            )
        case .email(let email)?:
            try db.execute(
                sql: "UPDATE users SET email = ?, security_stamp = security_stamp + 1 WHERE id = ?",
                arguments: [email, userId]
            )
        case .disabled(let at)?:
            try db.execute(
                sql: "UPDATE users SET disabled_at = ?, security_stamp = security_stamp + 1 WHERE id = ?",
                arguments: [at?.unixMilliseconds, userId]
            )
        case nil:
            break
        }

        // Select the sessions to end. A user anchor with scope `local` selects none (an account change alone).
        let selection: (String, StatementArguments)?
        if let id = request.ssoSessionAnchor {
            try db.run(
                sql: "UPDATE sso_sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL",
                arguments: [now, request.reason.rawValue, id]
            )
            selection = ("sso_session_id = ? AND user_id = ?", [id, userId])
        } else {
            switch (request.scope, anchorId) {
            case (.local, let id?): selection = ("id = ? AND user_id = ?", [id, userId])
            case (.local, nil): selection = nil
            case (.others, let id?): selection = ("user_id = ? AND id <> ?", [userId, id])
            case (.others, nil), (.global, _): selection = ("user_id = ?", [userId])
            }
        }
        var ended: [SessionRecord] = []
        if let (condition, arguments) = selection {
            ended = try Row.fetchAll(
                db,
                sql: "SELECT * FROM sessions WHERE \(condition) AND \(live) ORDER BY created_at",
                arguments: arguments + [now]
            ).map(\.sessionRecord)
        }
        for session in ended {
            try end(sessionId: session.id, reason: request.reason, at: now, db: db)
        }
        if request.endsSSOSessions { try endSSOSessions(userId: userId, reason: request.reason, at: now, db: db) }
        for event in request.eventsToRecord(ended: ended, userId: userId, anchorId: anchorId) {
            try insert(event, db: db)
        }
        if let (session, hash, event) = request.newSession {
            // The sessions just ended no longer count against the cap.
            _ = try insert(session, firstTokenHash: hash, event: event, cap: .none, db: db)
        }
        let endedAt = request.at
        return SessionEndingResult(
            resolved: true,
            userId: userId,
            ended: ended.map {
                var record = $0
                record.endedAt = endedAt
                record.endReason = request.reason
                return record
            }
        )
    }
}
