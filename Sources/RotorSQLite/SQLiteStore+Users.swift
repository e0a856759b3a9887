import Foundation
import GRDB
public import RotorCore

extension SQLiteStore: UserStore {
    /// Inserts an account; a taken email is ``StoreError/emailTaken``.
    public func createUser(_ user: UserRecord) async throws {
        do {
            try await pool.write { db in
                try db.run(
                    sql: """
                        INSERT INTO users (id, email, password_hash, created_at, disabled_at, roles)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        user.id, user.email, user.passwordHash, user.createdAt.unixMilliseconds,
                        user.disabledAt?.unixMilliseconds, user.roles.joined(separator: " "),
                    ]
                )
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw StoreError.emailTaken
        }
    }

    /// Finds an account by normalized email.
    public func user(email: String) async throws -> UserRecord? {
        try await pool.read { db in
            try db.row(sql: "SELECT * FROM users WHERE email = ?", arguments: [email])?.userRecord
        }
    }

    /// Finds an account by id.
    public func user(id: String) async throws -> UserRecord? {
        // One SELECT is its own read transaction; GRDB's `read` would add a BEGIN and a COMMIT around it (2 % of a
        // `GET /v1/me`, which reads the account on every call).
        try await pool.unsafeRead { db in
            try db.row(sql: "SELECT * FROM users WHERE id = ?", arguments: [id])?.userRecord
        }
    }

    /// Replaces a password hash.
    public func updatePasswordHash(userId: String, passwordHash: String) async throws {
        try await pool.write { db in
            try db.run(
                sql: "UPDATE users SET password_hash = ? WHERE id = ?",
                arguments: [passwordHash, userId]
            )
        }
    }

    /// Replaces an account's roles.
    public func setRoles(userId: String, roles: [String]) async throws {
        try await pool.write { db in
            try db.run(
                sql: "UPDATE users SET roles = ? WHERE id = ?",
                arguments: [roles.joined(separator: " "), userId]
            )
        }
    }

    /// All accounts, by email.
    public func users() async throws -> [UserRecord] {
        try await pool.read { db in
            try db.rows(sql: "SELECT * FROM users ORDER BY email").map(\.userRecord)
        }
    }
}
