public import Foundation
import GRDB
public import RotorCore

extension SQLiteStore: ClientStore {
    /// Inserts a client and its secrets; a taken id is ``StoreError/clientExists``.
    public func createClient(_ client: ClientRecord) async throws {
        let metadata = try client.metadata.storedForm()
        do {
            try await pool.write { db in
                try db.run(
                    sql: "INSERT INTO clients (id, metadata, created_at) VALUES (?, ?, ?)",
                    arguments: [client.id, metadata, client.createdAt.unixMilliseconds]
                )
                for secret in client.secrets { try Self.insert(secret, clientId: client.id, db: db) }
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
            throw StoreError.clientExists
        }
    }

    /// A client by id, with its secrets.
    public func client(id: String) async throws -> ClientRecord? {
        try await pool.read { db in
            guard let row = try db.row(sql: "SELECT * FROM clients WHERE id = ?", arguments: [id]) else { return nil }
            return try Self.client(row, db: db)
        }
    }

    /// Every client, by id.
    public func clients() async throws -> [ClientRecord] {
        try await pool.read { db in
            try db.rows(sql: "SELECT * FROM clients ORDER BY id").map { try Self.client($0, db: db) }
        }
    }

    /// Deletes a client; its secrets go with it (foreign key cascade).
    public func deleteClient(id: String) async throws -> Bool {
        try await pool.write { db in
            try db.run(sql: "DELETE FROM clients WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    /// Adds a secret and retires the others, in one transaction.
    public func addClientSecret(
        clientId: String,
        _ secret: ClientSecretRecord,
        retiringOthersAt: Date
    ) async throws
        -> Bool
    {
        try await pool.write { db in
            guard try db.row(sql: "SELECT id FROM clients WHERE id = ?", arguments: [clientId]) != nil else {
                return false
            }
            let now = secret.createdAt.unixMilliseconds
            try db.run(
                sql: "DELETE FROM client_secrets WHERE client_id = ? AND expires_at IS NOT NULL AND expires_at <= ?",
                arguments: [clientId, now]
            )
            try db.run(
                sql: """
                    UPDATE client_secrets SET expires_at = ?
                    WHERE client_id = ? AND (expires_at IS NULL OR expires_at > ?)
                    """,
                arguments: [retiringOthersAt.unixMilliseconds, clientId, retiringOthersAt.unixMilliseconds]
            )
            try Self.insert(secret, clientId: clientId, db: db)
            return true
        }
    }

    /// Records an assertion's `jti` unless it is remembered still (SQLite's single writer orders two at once).
    public func useClientAssertion(clientId: String, jtiHash: Data, expiresAt: Date, now: Date) async throws -> Bool {
        try await pool.write { db in
            try db.run(
                sql: """
                    INSERT INTO client_assertions (client_id, jti_hash, expires_at) VALUES (?, ?, ?)
                    ON CONFLICT (client_id, jti_hash) DO UPDATE SET expires_at = excluded.expires_at
                    WHERE client_assertions.expires_at <= ?
                    """,
                arguments: [clientId, jtiHash, expiresAt.unixMilliseconds, now.unixMilliseconds]
            )
            return db.changesCount > 0
        }
    }

    static func insert(_ secret: ClientSecretRecord, clientId: String, db: Database) throws {
        try db.run(
            sql: "INSERT INTO client_secrets (hash, client_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
            arguments: [secret.hash, clientId, secret.createdAt.unixMilliseconds, secret.expiresAt?.unixMilliseconds]
        )
    }

    static func client(_ row: Row, db: Database) throws -> ClientRecord {
        let id: String = row["id"]
        let secrets = try db.rows(
            sql: "SELECT * FROM client_secrets WHERE client_id = ? ORDER BY created_at DESC",
            arguments: [id]
        ).map { secret in
            ClientSecretRecord(
                hash: secret["hash"],
                createdAt: Date(unixMilliseconds: secret["created_at"]),
                expiresAt: (secret["expires_at"] as Int64?).map(Date.init(unixMilliseconds:))
            )
        }
        return ClientRecord(
            id: id,
            metadata: try ClientMetadata(storedForm: row["metadata"]),
            createdAt: Date(unixMilliseconds: row["created_at"]),
            secrets: secrets
        )
    }
}
