import Foundation
import PostgresNIO
public import RotorCore

extension PostgresStore: UserStore {
    /// Inserts an account; a taken email is ``StoreError/emailTaken``.
    public func createUser(_ user: UserRecord) async throws {
        do {
            try await client.query(
                """
                INSERT INTO users (id, email, password_hash, created_at, disabled_at, roles)
                VALUES (\(user.id), \(user.email), \(user.passwordHash), \(user.createdAt.unixMilliseconds),
                        \(user.disabledAt?.unixMilliseconds), \(user.roles.joined(separator: " ")))
                """,
                logger: logger
            )
        } catch  where Self.isUniqueViolation(error) {
            throw StoreError.emailTaken
        }
    }

    /// Finds an account by normalized email.
    public func user(email: String) async throws -> UserRecord? {
        try await client.query("SELECT * FROM users WHERE email = \(email)", logger: logger).first()?.userRecord()
    }

    /// Finds an account by id.
    public func user(id: String) async throws -> UserRecord? {
        try await client.query("SELECT * FROM users WHERE id = \(id)", logger: logger).first()?.userRecord()
    }

    /// Replaces a password hash.
    public func updatePasswordHash(userId: String, passwordHash: String) async throws {
        try await client.query("UPDATE users SET password_hash = \(passwordHash) WHERE id = \(userId)", logger: logger)
    }

    /// Replaces an account's roles.
    public func setRoles(userId: String, roles: [String]) async throws {
        try await client.query(
            "UPDATE users SET roles = \(roles.joined(separator: " ")) WHERE id = \(userId)",
            logger: logger
        )
    }

    /// All accounts, by email.
    public func users() async throws -> [UserRecord] {
        try await client.query("SELECT * FROM users ORDER BY email", logger: logger).rows().map { try $0.userRecord() }
    }
}
