public import Foundation
import PostgresNIO
public import RotorCore

extension PostgresStore: KeyStore {
    /// Serializes key installations across instances (the advisory lock of a transaction).
    static let keyLockKey: Int64 = 0x726F_746F_725F_6B

    /// All signing keys, newest first.
    public func signingKeys() async throws -> [SigningKeyRecord] {
        try await client.query(
            "SELECT * FROM signing_keys ORDER BY retired_at IS NOT NULL, created_at DESC, kid",
            logger: logger
        ).rows().map { try $0.signingKeyRecord() }
    }

    /// Compare-and-swap of the current key of `key`'s algorithm, in one transaction under an advisory lock, so that instances starting
    /// or rotating together agree on one key.
    public func installSigningKey(
        _ key: SigningKeyRecord,
        replacing expectedCurrent: String?
    ) async throws
        -> [SigningKeyRecord]
    {
        try await transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.keyLockKey))", logger: logger)
            let current = try await connection.query(
                "SELECT kid FROM signing_keys WHERE retired_at IS NULL AND algorithm = \(key.algorithm)",
                logger: logger
            ).first()?.value("kid", as: String.self)
            if current == expectedCurrent {
                try await connection.query(
                    """
                    UPDATE signing_keys SET retired_at = \(key.createdAt.unixMilliseconds)
                    WHERE retired_at IS NULL AND algorithm = \(key.algorithm)
                    """,
                    logger: logger
                )
                try await connection.query(
                    """
                    INSERT INTO signing_keys (kid, algorithm, private_key, created_at)
                    VALUES (\(key.kid), \(key.algorithm), \(key.privateKey), \(key.createdAt.unixMilliseconds))
                    """,
                    logger: logger
                )
            }
            return try await connection.query(
                "SELECT * FROM signing_keys ORDER BY retired_at IS NOT NULL, created_at DESC, kid",
                logger: logger
            ).rows().map { try $0.signingKeyRecord() }
        }
    }

    /// Replaces a stored private key.
    public func updatePrivateKey(kid: String, privateKey: Data) async throws {
        try await client.query("UPDATE signing_keys SET private_key = \(privateKey) WHERE kid = \(kid)", logger: logger)
    }
}

extension PostgresStore: AuditStore {
    /// The newest events of a user, newest first.
    public func events(userId: String, limit: Int) async throws -> [AuditEvent] {
        try await client.query(
            "SELECT * FROM audit_events WHERE user_id = \(userId) ORDER BY id DESC LIMIT \(Int64(limit))",
            logger: logger
        ).rows().map { try $0.auditEvent() }
    }

    /// Records one event.
    public func record(_ event: AuditEvent) async throws {
        try await client.withConnection { connection in try await Self.insert(event, on: connection, logger: logger) }
    }
}

extension PostgresStore: SecretStore {
    /// Inserts the candidate unless the name exists (`ON CONFLICT DO NOTHING`: of instances starting together,
    /// one wins), then reads what is stored.
    public func secret(named name: String, orInsert candidate: Data) async throws -> Data {
        try await transaction { connection in
            try await connection.query(
                """
                INSERT INTO secrets (name, value, created_at) VALUES (\(name), \(candidate), \(Date().unixMilliseconds))
                ON CONFLICT (name) DO NOTHING
                """,
                logger: logger
            )
            let row = try await connection.query("SELECT value FROM secrets WHERE name = \(name)", logger: logger)
                .first()
            return try row?.value("value", as: Data.self) ?? candidate
        }
    }
}
