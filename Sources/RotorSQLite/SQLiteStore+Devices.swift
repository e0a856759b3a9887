public import Foundation
import GRDB
public import RotorCore

extension SQLiteStore: DeviceAuthorizationStore {
    /// Stores a new authorization; its user code may take over only the row of an expired one.
    public func insertDeviceAuthorization(_ record: DeviceAuthorizationRecord) async throws -> Bool {
        try await pool.write { db in
            try db.run(
                sql: """
                    INSERT INTO device_authorizations (device_code_hash, user_code_hash, client_id, scope, resources,
                        created_at, expires_at, poll_interval, state)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending')
                    ON CONFLICT (user_code_hash) DO UPDATE SET device_code_hash = excluded.device_code_hash,
                        client_id = excluded.client_id, scope = excluded.scope, resources = excluded.resources,
                        created_at = excluded.created_at, expires_at = excluded.expires_at,
                        poll_interval = excluded.poll_interval, last_polled_at = NULL, state = 'pending',
                        user_id = NULL, auth_time = NULL, sso_session_id = NULL, decided_at = NULL,
                        session_id = NULL, replayed_at = NULL
                    WHERE device_authorizations.expires_at <= excluded.created_at
                    """,
                arguments: [
                    record.deviceCodeHash, record.userCodeHash, record.clientId, record.scopes.joined(separator: " "),
                    record.resources.joined(separator: " "), record.createdAt.unixMilliseconds,
                    record.expiresAt.unixMilliseconds, record.interval,
                ]
            )
            return db.changesCount > 0
        }
    }

    /// The pending, unexpired authorization with this user code.
    public func pendingDeviceAuthorization(userCodeHash: Data, now: Date) async throws -> DeviceAuthorizationRecord? {
        try await pool.read { db in
            try db.row(
                sql: """
                    SELECT * FROM device_authorizations
                    WHERE user_code_hash = ? AND state = 'pending' AND expires_at > ?
                    """,
                arguments: [userCodeHash, now.unixMilliseconds]
            ).map(Self.deviceRecord)
        }
    }

    /// Records the decision on an authorization still pending and unexpired.
    public func decideDeviceAuthorization(userCodeHash: Data, _ decision: DeviceDecision) async throws -> Bool {
        try await pool.write { db in
            try db.run(
                sql: """
                    UPDATE device_authorizations
                    SET state = ?, user_id = ?, auth_time = ?, sso_session_id = ?, decided_at = ?
                    WHERE user_code_hash = ? AND state = 'pending' AND expires_at > ?
                    """,
                arguments: [
                    decision.approved
                        ? DeviceAuthorizationState.approved.rawValue
                        : DeviceAuthorizationState.denied.rawValue,
                    decision.userId, decision.authTime.unixMilliseconds, decision.ssoSessionId,
                    decision.at.unixMilliseconds, userCodeHash, decision.at.unixMilliseconds,
                ]
            )
            return db.changesCount > 0
        }
    }

    /// One poll, decided and recorded in one write transaction (SQLite's single writer orders them).
    public func pollDeviceAuthorization(
        deviceCodeHash: Data,
        clientId: String,
        now: Date
    ) async throws -> (record: DeviceAuthorizationRecord, poll: DevicePoll)? {
        try await pool.write { db in
            guard
                let row = try db.row(
                    sql: "SELECT * FROM device_authorizations WHERE device_code_hash = ? AND client_id = ?",
                    arguments: [deviceCodeHash, clientId]
                )
            else { return nil }
            let record = Self.deviceRecord(row)
            let (poll, write) = record.poll(at: now)
            let at = now.unixMilliseconds
            try db.run(
                sql: """
                    UPDATE device_authorizations SET last_polled_at = ?, poll_interval = ?, state = ?,
                        replayed_at = coalesce(replayed_at, ?)
                    WHERE device_code_hash = ?
                    """,
                arguments: [at, write.interval, write.state.rawValue, write.replayed ? at : nil, deviceCodeHash]
            )
            return (record, poll)
        }
    }

    /// Records the session a redeemed authorization started, unless its device code was presented again first.
    public func attachDeviceSession(deviceCodeHash: Data, sessionId: String) async throws -> Bool {
        try await pool.write { db in
            try db.run(
                sql: """
                    UPDATE device_authorizations SET session_id = ?
                    WHERE device_code_hash = ? AND replayed_at IS NULL
                    """,
                arguments: [sessionId, deviceCodeHash]
            )
            return db.changesCount > 0
        }
    }

    static func deviceRecord(_ row: Row) -> DeviceAuthorizationRecord {
        DeviceAuthorizationRecord(
            deviceCodeHash: row["device_code_hash"],
            userCodeHash: row["user_code_hash"],
            clientId: row["client_id"],
            scopes: (row["scope"] as String).split(separator: " ").map(String.init),
            resources: (row["resources"] as String).split(separator: " ").map(String.init),
            createdAt: Date(unixMilliseconds: row["created_at"]),
            expiresAt: Date(unixMilliseconds: row["expires_at"]),
            interval: row["poll_interval"],
            lastPolledAt: (row["last_polled_at"] as Int64?).map(Date.init(unixMilliseconds:)),
            state: DeviceAuthorizationState(rawValue: row["state"]) ?? .redeemed,
            userId: row["user_id"],
            authTime: (row["auth_time"] as Int64?).map(Date.init(unixMilliseconds:)),
            ssoSessionId: row["sso_session_id"],
            sessionId: row["session_id"]
        )
    }
}
