public import Foundation
import GRDB
public import RotorCore

extension SQLiteStore: AuthorizationCodeStore {
    /// Stores a new code.
    public func insertCode(_ code: AuthorizationCodeRecord) async throws {
        try await pool.write { db in
            try db.run(
                sql: """
                    INSERT INTO authorization_codes (hash, client_id, user_id, redirect_uri, scope, nonce,
                        code_challenge, auth_time, created_at, expires_at, sso_session_id, resources)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    code.hash, code.clientId, code.userId, code.redirectURI, code.scopes.joined(separator: " "),
                    code.nonce, code.codeChallenge, code.authTime.unixMilliseconds, code.createdAt.unixMilliseconds,
                    code.expiresAt.unixMilliseconds, code.ssoSessionId, code.resources.joined(separator: " "),
                ]
            )
        }
    }

    /// Marks the code used, or records the replay, in one write transaction (SQLite's single writer orders them).
    public func useCode(hash: Data, at now: Date) async throws -> CodeUse {
        try await pool.write { db in
            guard let row = try db.row(sql: "SELECT * FROM authorization_codes WHERE hash = ?", arguments: [hash])
            else { return .unknown }
            let record = Self.codeRecord(row)
            if row["used_at"] as Int64? == nil {
                try db.run(
                    sql: "UPDATE authorization_codes SET used_at = ? WHERE hash = ?",
                    arguments: [now.unixMilliseconds, hash]
                )
                return .first(record)
            }
            try db.run(
                sql: "UPDATE authorization_codes SET replayed_at = coalesce(replayed_at, ?) WHERE hash = ?",
                arguments: [now.unixMilliseconds, hash]
            )
            return .replayed(record, sessionId: row["session_id"])
        }
    }

    /// Records the session a code started, unless the code was replayed first.
    public func attachSession(codeHash: Data, sessionId: String) async throws -> Bool {
        try await pool.write { db in
            try db.run(
                sql: "UPDATE authorization_codes SET session_id = ? WHERE hash = ? AND replayed_at IS NULL",
                arguments: [sessionId, codeHash]
            )
            return db.changesCount > 0
        }
    }

    static func codeRecord(_ row: Row) -> AuthorizationCodeRecord {
        AuthorizationCodeRecord(
            hash: row["hash"],
            clientId: row["client_id"],
            userId: row["user_id"],
            redirectURI: row["redirect_uri"],
            scopes: (row["scope"] as String).split(separator: " ").map(String.init),
            nonce: row["nonce"],
            codeChallenge: row["code_challenge"],
            authTime: Date(unixMilliseconds: row["auth_time"]),
            createdAt: Date(unixMilliseconds: row["created_at"]),
            expiresAt: Date(unixMilliseconds: row["expires_at"]),
            ssoSessionId: row["sso_session_id"],
            resources: (row["resources"] as String).split(separator: " ").map(String.init)
        )
    }
}
