public import Foundation
import PostgresNIO
public import RotorCore

extension PostgresStore: ConsentStore {
    /// The scopes a user granted a client.
    public func consent(userId: String, clientId: String) async throws -> [String]? {
        try await client.query(
            "SELECT scopes FROM consents WHERE user_id = \(userId) AND client_id = \(clientId)",
            logger: logger
        ).first().map { try $0.value("scopes", as: String.self).split(separator: " ").map(String.init) }
    }

    /// Adds scopes to a grant, under the grant's row lock (two tabs granting at once keep both).
    public func grantConsent(userId: String, clientId: String, scopes: [String], at: Date) async throws {
        try await transaction { connection in
            try await connection.query(
                """
                INSERT INTO consents (user_id, client_id, scopes, granted_at)
                VALUES (\(userId), \(clientId), '', \(at.unixMilliseconds))
                ON CONFLICT (user_id, client_id) DO NOTHING
                """,
                logger: logger
            )
            let before =
                try await connection.query(
                    "SELECT scopes FROM consents WHERE user_id = \(userId) AND client_id = \(clientId) FOR UPDATE",
                    logger: logger
                ).first().map { try $0.value("scopes", as: String.self).split(separator: " ").map(String.init) } ?? []
            let union = (before + scopes.filter { !before.contains($0) }).joined(separator: " ")
            try await connection.query(
                """
                UPDATE consents SET scopes = \(union), granted_at = \(at.unixMilliseconds)
                WHERE user_id = \(userId) AND client_id = \(clientId)
                """,
                logger: logger
            )
        }
    }

    /// Every grant of a user.
    public func consents(userId: String) async throws -> [String: [String]] {
        var grants: [String: [String]] = [:]
        for row in try await client.query(
            "SELECT client_id, scopes FROM consents WHERE user_id = \(userId)",
            logger: logger
        ).rows() {
            grants[try row.value("client_id", as: String.self)] =
                try row.value("scopes", as: String.self).split(separator: " ").map(String.init)
        }
        return grants
    }

    /// Forgets a grant.
    public func withdrawConsent(userId: String, clientId: String) async throws {
        try await client.query(
            "DELETE FROM consents WHERE user_id = \(userId) AND client_id = \(clientId)",
            logger: logger
        )
    }
}
