public import Foundation
import GRDB
public import RotorCore

extension SQLiteStore: KeyStore {
    /// All signing keys, newest first.
    public func signingKeys() async throws -> [SigningKeyRecord] {
        try await pool.read { db in try Self.keys(db) }
    }

    /// Compare-and-swap of the current key of `key`'s algorithm, in one transaction.
    public func installSigningKey(
        _ key: SigningKeyRecord,
        replacing expectedCurrent: String?
    ) async throws
        -> [SigningKeyRecord]
    {
        try await pool.write { db in
            let current = try String.fetchOne(
                db,
                sql: "SELECT kid FROM signing_keys WHERE retired_at IS NULL AND algorithm = ?",
                arguments: [key.algorithm]
            )
            if current == expectedCurrent {
                try db.execute(
                    sql: "UPDATE signing_keys SET retired_at = ? WHERE retired_at IS NULL AND algorithm = ?",
                    arguments: [key.createdAt.unixMilliseconds, key.algorithm]
                )
                try db.execute(
                    sql: "INSERT INTO signing_keys (kid, algorithm, private_key, created_at) VALUES (?, ?, ?, ?)",
                    arguments: [key.kid, key.algorithm, key.privateKey, key.createdAt.unixMilliseconds]
                )
            }
            return try Self.keys(db)
        }
    }

    /// Replaces a stored private key.
    public func updatePrivateKey(kid: String, privateKey: Data) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE signing_keys SET private_key = ? WHERE kid = ?", arguments: [privateKey, kid])
        }
    }

    private static func keys(_ db: Database) throws -> [SigningKeyRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM signing_keys ORDER BY retired_at IS NOT NULL, created_at DESC, kid")
            .map { row in
                SigningKeyRecord(
                    kid: row["kid"],
                    algorithm: row["algorithm"],
                    privateKey: row["private_key"],
                    createdAt: row.date("created_at"),
                    retiredAt: row.optionalDate("retired_at")
                )
            }
    }
}

extension SQLiteStore: AuditStore {
    /// The newest events of a user, newest first.
    public func events(userId: String, limit: Int) async throws -> [AuditEvent] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM audit_events WHERE user_id = ? ORDER BY id DESC LIMIT ?",
                arguments: [userId, limit]
            ).map { row in
                AuditEvent(
                    type: row["type"],
                    at: row.date("at"),
                    userId: row["user_id"],
                    sessionId: row["session_id"],
                    client: ClientInfo(ip: row["ip"], userAgent: row["user_agent"]),
                    cause: row["cause"]
                )
            }
        }
    }

    /// Records one event.
    public func record(_ event: AuditEvent) async throws {
        try await pool.write { db in try Self.insert(event, db: db) }
    }
}

extension SQLiteStore: SecretStore {
    /// Inserts the candidate unless the name exists, then reads what is stored, in one transaction.
    public func secret(named name: String, orInsert candidate: Data) async throws -> Data {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO secrets (name, value, created_at) VALUES (?, ?, ?)",
                arguments: [name, candidate, Date().unixMilliseconds]
            )
            return try Data.fetchOne(db, sql: "SELECT value FROM secrets WHERE name = ?", arguments: [name])
                ?? candidate
        }
    }
}
