public import Foundation
import PostgresNIO
public import RotorCore

extension PostgresStore: DeviceAuthorizationStore {
    /// Stores a new authorization; its user code may take over only the row of an expired one.
    public func insertDeviceAuthorization(_ record: DeviceAuthorizationRecord) async throws -> Bool {
        try await client.query(
            """
            INSERT INTO device_authorizations (device_code_hash, user_code_hash, client_id, scope, resources,
                created_at, expires_at, poll_interval, state)
            VALUES (\(record.deviceCodeHash), \(record.userCodeHash), \(record.clientId),
                \(record.scopes.joined(separator: " ")), \(record.resources.joined(separator: " ")),
                \(record.createdAt.unixMilliseconds), \(record.expiresAt.unixMilliseconds), \(record.interval),
                'pending')
            ON CONFLICT (user_code_hash) DO UPDATE SET device_code_hash = excluded.device_code_hash,
                client_id = excluded.client_id, scope = excluded.scope, resources = excluded.resources,
                created_at = excluded.created_at, expires_at = excluded.expires_at,
                poll_interval = excluded.poll_interval, last_polled_at = NULL, state = 'pending', user_id = NULL,
                auth_time = NULL, sso_session_id = NULL, decided_at = NULL, session_id = NULL, replayed_at = NULL
            WHERE device_authorizations.expires_at <= excluded.created_at
            RETURNING 1
            """,
            logger: logger
        ).first() != nil
    }

    /// The pending, unexpired authorization with this user code.
    public func pendingDeviceAuthorization(userCodeHash: Data, now: Date) async throws -> DeviceAuthorizationRecord? {
        try await client.query(
            """
            SELECT * FROM device_authorizations
            WHERE user_code_hash = \(userCodeHash) AND state = 'pending' AND expires_at > \(now.unixMilliseconds)
            """,
            logger: logger
        ).first().map(Self.deviceRecord)
    }

    /// Records the decision on an authorization still pending and unexpired (one statement: of two decisions at
    /// once, on any instances, one wins).
    public func decideDeviceAuthorization(userCodeHash: Data, _ decision: DeviceDecision) async throws -> Bool {
        let state = decision.approved ? DeviceAuthorizationState.approved : .denied
        let at = decision.at.unixMilliseconds
        return try await client.query(
            """
            UPDATE device_authorizations
            SET state = \(state.rawValue), user_id = \(decision.userId),
                auth_time = \(decision.authTime.unixMilliseconds), sso_session_id = \(decision.ssoSessionId),
                decided_at = \(at)
            WHERE user_code_hash = \(userCodeHash) AND state = 'pending' AND expires_at > \(at)
            RETURNING 1
            """,
            logger: logger
        ).first() != nil
    }

    /// One poll, decided and recorded under the row's lock: of two polls at once, on any instances, one gets the
    /// tokens.
    public func pollDeviceAuthorization(
        deviceCodeHash: Data,
        clientId: String,
        now: Date
    ) async throws -> (record: DeviceAuthorizationRecord, poll: DevicePoll)? {
        try await transaction { connection in
            guard
                let row = try await connection.query(
                    """
                    SELECT * FROM device_authorizations
                    WHERE device_code_hash = \(deviceCodeHash) AND client_id = \(clientId) FOR UPDATE
                    """,
                    logger: logger
                ).first()
            else { return nil }
            let record = try Self.deviceRecord(row)
            let (poll, write) = record.poll(at: now)
            let at = now.unixMilliseconds
            let replayedAt: Int64? = write.replayed ? at : nil
            try await connection.query(
                """
                UPDATE device_authorizations SET last_polled_at = \(at), poll_interval = \(write.interval),
                    state = \(write.state.rawValue), replayed_at = coalesce(replayed_at, \(replayedAt))
                WHERE device_code_hash = \(deviceCodeHash)
                """,
                logger: logger
            )
            return (record, poll)
        }
    }

    /// Records the session a redeemed authorization started, unless its device code was presented again first.
    public func attachDeviceSession(deviceCodeHash: Data, sessionId: String) async throws -> Bool {
        try await client.query(
            """
            UPDATE device_authorizations SET session_id = \(sessionId)
            WHERE device_code_hash = \(deviceCodeHash) AND replayed_at IS NULL RETURNING 1
            """,
            logger: logger
        ).first() != nil
    }

    static func deviceRecord(_ row: PostgresRandomAccessRow) throws -> DeviceAuthorizationRecord {
        DeviceAuthorizationRecord(
            deviceCodeHash: try row.value("device_code_hash", as: Data.self),
            userCodeHash: try row.value("user_code_hash", as: Data.self),
            clientId: try row.value("client_id"),
            scopes: try row.value("scope", as: String.self).split(separator: " ").map(String.init),
            resources: try row.value("resources", as: String.self).split(separator: " ").map(String.init),
            createdAt: try row.date("created_at"),
            expiresAt: try row.date("expires_at"),
            interval: try row.value("poll_interval", as: Int.self),
            lastPolledAt: try row.value("last_polled_at", as: Int64?.self).map(Date.init(unixMilliseconds:)),
            state: DeviceAuthorizationState(rawValue: try row.value("state", as: String.self)) ?? .redeemed,
            userId: try row.value("user_id", as: String?.self),
            authTime: try row.value("auth_time", as: Int64?.self).map(Date.init(unixMilliseconds:)),
            ssoSessionId: try row.value("sso_session_id", as: String?.self),
            sessionId: try row.value("session_id", as: String?.self)
        )
    }
}
