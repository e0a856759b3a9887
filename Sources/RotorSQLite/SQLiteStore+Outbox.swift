public import Foundation
import GRDB
public import RotorCore

extension SQLiteStore: LogoutOutboxStore {
    /// Claims due, unleased notices in one write transaction (SQLite's single writer: one claimer at a time).
    public func claimLogoutNotices(now: Date, leaseUntil: Date, limit: Int) async throws -> [LogoutNotice] {
        try await pool.write { db in
            let now = now.unixMilliseconds
            let rows = try db.rows(
                sql: """
                    SELECT * FROM logout_outbox
                    WHERE next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
                    ORDER BY next_attempt_at LIMIT ?
                    """,
                arguments: [now, now, limit]
            )
            for row in rows {
                try db.run(
                    sql: "UPDATE logout_outbox SET lease_until = ? WHERE id = ?",
                    arguments: [leaseUntil.unixMilliseconds, row["id"] as String]
                )
            }
            return rows.map { row in
                LogoutNotice(
                    id: row["id"],
                    clientId: row["client_id"],
                    userId: row["user_id"],
                    sessionId: row["session_id"],
                    ssoSessionId: row["sso_session_id"],
                    createdAt: row.date("created_at"),
                    attempts: row["attempts"]
                )
            }
        }
    }

    /// Removes a notice.
    public func deleteLogoutNotice(id: String) async throws {
        try await pool.write { db in try db.run(sql: "DELETE FROM logout_outbox WHERE id = ?", arguments: [id]) }
    }

    /// Records a failed attempt and releases the lease until the next one.
    public func postponeLogoutNotice(id: String, attempts: Int, until: Date) async throws {
        try await pool.write { db in
            try db.run(
                sql: "UPDATE logout_outbox SET attempts = ?, next_attempt_at = ?, lease_until = NULL WHERE id = ?",
                arguments: [attempts, until.unixMilliseconds, id]
            )
        }
    }

    /// Writes the notice an ending owes, inside the ending's transaction.
    static func insert(_ notice: LogoutNotice, db: Database) throws {
        try db.run(
            sql: """
                INSERT INTO logout_outbox (id, client_id, user_id, session_id, sso_session_id, created_at,
                    next_attempt_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                notice.id, notice.clientId, notice.userId, notice.sessionId, notice.ssoSessionId,
                notice.createdAt.unixMilliseconds, notice.createdAt.unixMilliseconds,
            ]
        )
    }
}
