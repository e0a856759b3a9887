public import Foundation
import Logging
import PostgresNIO
public import RotorCore

extension PostgresStore: LogoutOutboxStore {
    /// Claims due, unleased notices in one statement; `FOR UPDATE SKIP LOCKED` gives each notice to one of the
    /// instances claiming at once, and the lease keeps it theirs until they finish or die.
    public func claimLogoutNotices(now: Date, leaseUntil: Date, limit: Int) async throws -> [LogoutNotice] {
        let now = now.unixMilliseconds
        return try await client.query(
            """
            UPDATE logout_outbox SET lease_until = \(leaseUntil.unixMilliseconds)
            WHERE id IN (
                SELECT id FROM logout_outbox
                WHERE next_attempt_at <= \(now) AND (lease_until IS NULL OR lease_until <= \(now))
                ORDER BY next_attempt_at LIMIT \(Int64(limit))
                FOR UPDATE SKIP LOCKED
            )
            RETURNING *
            """,
            logger: logger
        ).rows().map { row in
            LogoutNotice(
                id: try row.value("id"),
                clientId: try row.value("client_id"),
                userId: try row.value("user_id"),
                sessionId: try row.value("session_id"),
                ssoSessionId: try row.value("sso_session_id", as: String?.self),
                createdAt: try row.date("created_at"),
                attempts: Int(try row.value("attempts", as: Int32.self))
            )
        }
    }

    /// Removes a notice.
    public func deleteLogoutNotice(id: String) async throws {
        try await client.query("DELETE FROM logout_outbox WHERE id = \(id)", logger: logger)
    }

    /// Records a failed attempt and releases the lease until the next one.
    public func postponeLogoutNotice(id: String, attempts: Int, until: Date) async throws {
        try await client.query(
            """
            UPDATE logout_outbox SET attempts = \(Int32(attempts)), next_attempt_at = \(until.unixMilliseconds),
                lease_until = NULL
            WHERE id = \(id)
            """,
            logger: logger
        )
    }

    /// Writes the notices endings owe, inside the ending's transaction.
    static func insertNotices(
        for ended: [SessionRecord],
        reason: SessionEndReason,
        at: Date,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        for session in ended {
            guard let notice = LogoutNotice.owed(for: session, reason: reason, at: at) else { continue }
            try await connection.query(
                """
                INSERT INTO logout_outbox (id, client_id, user_id, session_id, sso_session_id, created_at,
                    next_attempt_at)
                VALUES (\(notice.id), \(notice.clientId), \(notice.userId), \(notice.sessionId),
                    \(notice.ssoSessionId), \(notice.createdAt.unixMilliseconds), \(notice.createdAt.unixMilliseconds))
                """,
                logger: logger
            )
        }
    }
}
