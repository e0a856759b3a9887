public import Foundation
import PostgresNIO
public import RotorCore

extension PostgresStore: AuthorizationCodeStore {
    /// Stores a new code.
    public func insertCode(_ code: AuthorizationCodeRecord) async throws {
        try await client.query(
            """
            INSERT INTO authorization_codes (hash, client_id, user_id, redirect_uri, scope, nonce, code_challenge,
                auth_time, created_at, expires_at, sso_session_id, resources)
            VALUES (\(code.hash), \(code.clientId), \(code.userId), \(code.redirectURI),
                \(code.scopes.joined(separator: " ")), \(code.nonce), \(code.codeChallenge),
                \(code.authTime.unixMilliseconds), \(code.createdAt.unixMilliseconds), \(code.expiresAt.unixMilliseconds),
                \(code.ssoSessionId), \(code.resources.joined(separator: " ")))
            """,
            logger: logger
        )
    }

    /// Marks the code used, or records the replay, under the code's row lock: of two instances redeeming one code
    /// at once, exactly one sees it unused.
    public func useCode(hash: Data, at now: Date) async throws -> CodeUse {
        try await transaction { connection in
            guard
                let row = try await connection.query(
                    "SELECT * FROM authorization_codes WHERE hash = \(hash) FOR UPDATE",
                    logger: logger
                ).first()
            else { return .unknown }
            let record = try Self.codeRecord(row)
            if try row.value("used_at", as: Int64?.self) == nil {
                try await connection.query(
                    "UPDATE authorization_codes SET used_at = \(now.unixMilliseconds) WHERE hash = \(hash)",
                    logger: logger
                )
                return .first(record)
            }
            try await connection.query(
                """
                UPDATE authorization_codes SET replayed_at = coalesce(replayed_at, \(now.unixMilliseconds))
                WHERE hash = \(hash)
                """,
                logger: logger
            )
            return .replayed(record, sessionId: try row.value("session_id", as: String?.self))
        }
    }

    /// Records the session a code started, unless the code was replayed first.
    public func attachSession(codeHash: Data, sessionId: String) async throws -> Bool {
        try await client.query(
            """
            UPDATE authorization_codes SET session_id = \(sessionId)
            WHERE hash = \(codeHash) AND replayed_at IS NULL RETURNING 1
            """,
            logger: logger
        ).first() != nil
    }

    static func codeRecord(_ row: PostgresRandomAccessRow) throws -> AuthorizationCodeRecord {
        AuthorizationCodeRecord(
            hash: try row.value("hash", as: Data.self),
            clientId: try row.value("client_id"),
            userId: try row.value("user_id"),
            redirectURI: try row.value("redirect_uri"),
            scopes: try row.value("scope", as: String.self).split(separator: " ").map(String.init),
            nonce: try row.value("nonce", as: String?.self),
            codeChallenge: try row.value("code_challenge"),
            authTime: try row.date("auth_time"),
            createdAt: try row.date("created_at"),
            expiresAt: try row.date("expires_at"),
            ssoSessionId: try row.value("sso_session_id", as: String?.self),
            resources: try row.value("resources", as: String.self).split(separator: " ").map(String.init)
        )
    }
}
