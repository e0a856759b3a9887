public import Foundation
import GRDB
public import RotorCore

extension SQLiteStore: ConsentStore {
    /// The scopes a user granted a client.
    public func consent(userId: String, clientId: String) async throws -> [String]? {
        try await pool.read { db in
            try String.fetchOne(
                db,
                sql: "SELECT scopes FROM consents WHERE user_id = ? AND client_id = ?",
                arguments: [userId, clientId]
            ).map { $0.split(separator: " ").map(String.init) }
        }
    }

    /// Adds scopes to a grant, in one write transaction.
    public func grantConsent(userId: String, clientId: String, scopes: [String], at: Date) async throws {
        try await pool.write { db in
            let before =
                try String.fetchOne(
                    db,
                    sql: "SELECT scopes FROM consents WHERE user_id = ? AND client_id = ?",
                    arguments: [userId, clientId]
                )?.split(separator: " ").map(String.init) ?? []
            let union = (before + scopes.filter { !before.contains($0) }).joined(separator: " ")
            try db.run(
                sql: """
                    INSERT INTO consents (user_id, client_id, scopes, granted_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (user_id, client_id) DO UPDATE SET scopes = excluded.scopes,
                        granted_at = excluded.granted_at
                    """,
                arguments: [userId, clientId, union, at.unixMilliseconds]
            )
        }
    }

    /// Every grant of a user.
    public func consents(userId: String) async throws -> [String: [String]] {
        try await pool.read { db in
            var grants: [String: [String]] = [:]
            for row in try db.rows(sql: "SELECT client_id, scopes FROM consents WHERE user_id = ?", arguments: [userId])
            {
                grants[row["client_id"]] = (row["scopes"] as String).split(separator: " ").map(String.init)
            }
            return grants
        }
    }

    /// Forgets a grant.
    public func withdrawConsent(userId: String, clientId: String) async throws {
        try await pool.write { db in
            try db.run(
                sql: "DELETE FROM consents WHERE user_id = ? AND client_id = ?",
                arguments: [userId, clientId]
            )
        }
    }
}
