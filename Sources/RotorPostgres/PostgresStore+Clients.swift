public import Foundation
import PostgresNIO
public import RotorCore

extension PostgresStore: ClientStore {
    /// Inserts a client and its secrets in one transaction; a taken id is ``StoreError/clientExists``.
    public func createClient(_ client: ClientRecord) async throws {
        let metadata = try client.metadata.storedForm()
        do {
            try await transaction { connection in
                try await connection.query(
                    """
                    INSERT INTO clients (id, metadata, created_at)
                    VALUES (\(client.id), \(metadata), \(client.createdAt.unixMilliseconds))
                    """,
                    logger: logger
                )
                for secret in client.secrets { try await insert(secret, clientId: client.id, on: connection) }
            }
        } catch  where Self.isUniqueViolation(error) {
            throw StoreError.clientExists
        }
    }

    /// A client by id, with its secrets.
    public func client(id: String) async throws -> ClientRecord? {
        guard let row = try await client.query("SELECT * FROM clients WHERE id = \(id)", logger: logger).first()
        else { return nil }
        return try await clientRecord(row)
    }

    /// Every client, by id.
    public func clients() async throws -> [ClientRecord] {
        // Two queries, not one per client: the secrets of all clients, grouped here.
        var secrets: [String: [ClientSecretRecord]] = [:]
        for row in try await client.query("SELECT * FROM client_secrets ORDER BY created_at DESC", logger: logger)
            .rows()
        {
            secrets[try row.value("client_id", as: String.self), default: []].append(try Self.secretRecord(row))
        }
        return try await client.query("SELECT * FROM clients ORDER BY id", logger: logger).rows().map { row in
            try Self.clientRecord(row, secrets: secrets[try row.value("id", as: String.self)] ?? [])
        }
    }

    /// Deletes a client; its secrets go with it (foreign key cascade).
    public func deleteClient(id: String) async throws -> Bool {
        try await client.query("DELETE FROM clients WHERE id = \(id) RETURNING id", logger: logger).first() != nil
    }

    /// Adds a secret and retires the others, in one transaction under the client's row lock.
    public func addClientSecret(
        clientId: String,
        _ secret: ClientSecretRecord,
        retiringOthersAt: Date
    ) async throws
        -> Bool
    {
        try await transaction { connection in
            guard
                try await connection.query("SELECT id FROM clients WHERE id = \(clientId) FOR UPDATE", logger: logger)
                    .first() != nil
            else { return false }
            let now = secret.createdAt.unixMilliseconds
            let retire = retiringOthersAt.unixMilliseconds
            try await connection.query(
                """
                DELETE FROM client_secrets
                WHERE client_id = \(clientId) AND expires_at IS NOT NULL AND expires_at <= \(now)
                """,
                logger: logger
            )
            try await connection.query(
                """
                UPDATE client_secrets SET expires_at = \(retire)
                WHERE client_id = \(clientId) AND (expires_at IS NULL OR expires_at > \(retire))
                """,
                logger: logger
            )
            try await insert(secret, clientId: clientId, on: connection)
            return true
        }
    }

    /// Records an assertion's `jti` unless it is remembered still: the primary key makes one of two concurrent
    /// inserts wait for the other and then find the row taken.
    public func useClientAssertion(clientId: String, jtiHash: Data, expiresAt: Date, now: Date) async throws -> Bool {
        let rows = try await client.query(
            """
            INSERT INTO client_assertions (client_id, jti_hash, expires_at)
            VALUES (\(clientId), \(jtiHash), \(expiresAt.unixMilliseconds))
            ON CONFLICT (client_id, jti_hash) DO UPDATE SET expires_at = excluded.expires_at
            WHERE client_assertions.expires_at <= \(now.unixMilliseconds)
            RETURNING 1 AS used
            """,
            logger: logger
        ).rows()
        return !rows.isEmpty
    }

    private func insert(
        _ secret: ClientSecretRecord,
        clientId: String,
        on connection: PostgresConnection
    )
        async throws
    {
        try await connection.query(
            """
            INSERT INTO client_secrets (hash, client_id, created_at, expires_at)
            VALUES (\(secret.hash), \(clientId), \(secret.createdAt.unixMilliseconds),
                \(secret.expiresAt?.unixMilliseconds))
            """,
            logger: logger
        )
    }

    private func clientRecord(_ row: PostgresRandomAccessRow) async throws -> ClientRecord {
        let id = try row.value("id", as: String.self)
        let secrets = try await client.query(
            "SELECT * FROM client_secrets WHERE client_id = \(id) ORDER BY created_at DESC",
            logger: logger
        ).rows().map(Self.secretRecord)
        return try Self.clientRecord(row, secrets: secrets)
    }

    private static func clientRecord(
        _ row: PostgresRandomAccessRow,
        secrets: [ClientSecretRecord]
    ) throws
        -> ClientRecord
    {
        ClientRecord(
            id: try row.value("id", as: String.self),
            metadata: try ClientMetadata(storedForm: try row.value("metadata", as: String.self)),
            createdAt: try row.date("created_at"),
            secrets: secrets
        )
    }

    private static func secretRecord(_ row: PostgresRandomAccessRow) throws -> ClientSecretRecord {
        ClientSecretRecord(
            hash: try row.value("hash", as: Data.self),
            createdAt: try row.date("created_at"),
            expiresAt: try row.optionalDate("expires_at")
        )
    }
}
