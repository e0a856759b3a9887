public import Foundation
import Logging
import PostgresNIO
public import RotorCore

extension PostgresStore: SSOSessionStore {
    /// Starts an SSO session and records the sign-in, in one transaction under the user's row lock with the
    /// account-stamp check.
    public func createSSOSession(
        _ session: SSOSessionRecord,
        hash: Data,
        event: AuditEvent,
        accountStamp: Int64
    )
        async throws
    {
        try await transaction { connection in
            try await Self.lockUser(session.userId, expectedStamp: accountStamp, on: connection, logger: logger)
            try await connection.query(
                """
                INSERT INTO sso_sessions (id, hash, user_id, auth_time, created_at, last_used_at, idle_expires_at,
                    absolute_expires_at)
                VALUES (\(session.id), \(hash), \(session.userId), \(session.authTime.unixMilliseconds),
                    \(session.createdAt.unixMilliseconds), \(session.lastUsedAt.unixMilliseconds),
                    \(session.idleExpiresAt.unixMilliseconds), \(session.absoluteExpiresAt.unixMilliseconds))
                """,
                logger: logger
            )
            try await Self.insert(event, on: connection, logger: logger)
        }
    }

    /// Restarts the idle lifetime of the live SSO session with this cookie hash and returns it, in one statement.
    public func useSSOSession(hash: Data, now: Date, idleExpiresAt: Date) async throws -> SSOSessionRecord? {
        let now = now.unixMilliseconds
        return try await client.query(
            """
            UPDATE sso_sessions
            SET last_used_at = \(now), idle_expires_at = LEAST(\(idleExpiresAt.unixMilliseconds), absolute_expires_at)
            WHERE hash = \(hash) AND ended_at IS NULL AND idle_expires_at > \(now) AND absolute_expires_at > \(now)
            RETURNING *
            """,
            logger: logger
        ).first().map(Self.ssoRecord)
    }

    /// An SSO session by id.
    public func ssoSession(id: String) async throws -> SSOSessionRecord? {
        try await client.query("SELECT * FROM sso_sessions WHERE id = \(id)", logger: logger).first()
            .map(Self.ssoRecord)
    }

    /// Ends every live SSO session of a user (inside an ending's transaction).
    static func endSSOSessions(
        userId: String,
        reason: SessionEndReason,
        at now: Int64,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        try await connection.query(
            """
            UPDATE sso_sessions SET ended_at = \(now), end_reason = \(reason.rawValue)
            WHERE user_id = \(userId) AND ended_at IS NULL
            """,
            logger: logger
        )
    }

    static func ssoRecord(_ row: PostgresRandomAccessRow) throws -> SSOSessionRecord {
        SSOSessionRecord(
            id: try row.value("id"),
            userId: try row.value("user_id"),
            authTime: try row.date("auth_time"),
            createdAt: try row.date("created_at"),
            lastUsedAt: try row.date("last_used_at"),
            idleExpiresAt: try row.date("idle_expires_at"),
            absoluteExpiresAt: try row.date("absolute_expires_at"),
            endedAt: try row.optionalDate("ended_at"),
            endReason: try row.value("end_reason", as: String?.self).flatMap(SessionEndReason.init(rawValue:))
        )
    }
}
