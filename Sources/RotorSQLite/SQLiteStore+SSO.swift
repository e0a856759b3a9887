public import Foundation
import GRDB
public import RotorCore

extension SQLiteStore: SSOSessionStore {
    /// Starts an SSO session and records the sign-in, in one transaction with the account-stamp check.
    public func createSSOSession(
        _ session: SSOSessionRecord,
        hash: Data,
        event: AuditEvent,
        accountStamp: Int64
    )
        async throws
    {
        try await pool.write { db in
            try Self.checkStamp(userId: session.userId, expected: accountStamp, db: db)
            try db.run(
                sql: """
                    INSERT INTO sso_sessions (id, hash, user_id, auth_time, created_at, last_used_at, idle_expires_at,
                        absolute_expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    session.id, hash, session.userId, session.authTime.unixMilliseconds,
                    session.createdAt.unixMilliseconds, session.lastUsedAt.unixMilliseconds,
                    session.idleExpiresAt.unixMilliseconds, session.absoluteExpiresAt.unixMilliseconds,
                ]
            )
            try Self.insert(event, db: db)
        }
    }

    /// Restarts the idle lifetime of the live SSO session with this cookie hash and returns it.
    public func useSSOSession(hash: Data, now: Date, idleExpiresAt: Date) async throws -> SSOSessionRecord? {
        try await pool.write { db in
            let now = now.unixMilliseconds
            try db.run(
                sql: """
                    UPDATE sso_sessions SET last_used_at = ?, idle_expires_at = min(?, absolute_expires_at)
                    WHERE hash = ? AND ended_at IS NULL AND idle_expires_at > ? AND absolute_expires_at > ?
                    """,
                arguments: [now, idleExpiresAt.unixMilliseconds, hash, now, now]
            )
            guard db.changesCount > 0 else { return nil }
            return try db.row(sql: "SELECT * FROM sso_sessions WHERE hash = ?", arguments: [hash]).map(Self.ssoRecord)
        }
    }

    /// An SSO session by id.
    public func ssoSession(id: String) async throws -> SSOSessionRecord? {
        try await pool.read { db in
            try db.row(sql: "SELECT * FROM sso_sessions WHERE id = ?", arguments: [id]).map(Self.ssoRecord)
        }
    }

    /// Ends every live SSO session of a user (inside an ending's transaction).
    static func endSSOSessions(userId: String, reason: SessionEndReason, at now: Int64, db: Database) throws {
        try db.run(
            sql: "UPDATE sso_sessions SET ended_at = ?, end_reason = ? WHERE user_id = ? AND ended_at IS NULL",
            arguments: [now, reason.rawValue, userId]
        )
    }

    static func ssoRecord(_ row: Row) -> SSOSessionRecord {
        SSOSessionRecord(
            id: row["id"],
            userId: row["user_id"],
            authTime: row.date("auth_time"),
            createdAt: row.date("created_at"),
            lastUsedAt: row.date("last_used_at"),
            idleExpiresAt: row.date("idle_expires_at"),
            absoluteExpiresAt: row.date("absolute_expires_at"),
            endedAt: row.optionalDate("ended_at"),
            endReason: (row["end_reason"] as String?).flatMap(SessionEndReason.init(rawValue:))
        )
    }
}
