public import Foundation
import GRDB
public import RotorCore

extension SQLiteStore: LoginThrottleStore {
    /// Failure counts per key since each key's time.
    public func failures(_ queries: [(key: String, since: Date)]) async throws -> [String: (count: Int, oldest: Date)] {
        try await pool.read { db in
            var result: [String: (count: Int, oldest: Date)] = [:]
            for query in queries {
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM login_failures WHERE key = ? AND at > ?",
                    arguments: [query.key, query.since.unixMilliseconds]
                )
                if let row, let oldest = row["oldest"] as Int64?, (row["n"] as Int) > 0 {
                    result[query.key] = (row["n"], Date(unixMilliseconds: oldest))
                }
            }
            return result
        }
    }

    /// Records a failure under every key.
    public func recordFailure(keys: [String], at: Date) async throws {
        try await pool.write { db in
            for key in keys {
                try db.execute(sql: "INSERT INTO login_failures (key, at) VALUES (?, ?)", arguments: [key, at.unixMilliseconds])
            }
        }
    }

    /// Forgets a key's failures.
    public func clearFailures(key: String) async throws {
        // A read first: most logins have no failures, and a read does not take the write lock.
        let any = try await pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM login_failures WHERE key = ? LIMIT 1", arguments: [key]) ?? false
        }
        guard any else { return }
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM login_failures WHERE key = ?", arguments: [key])
        }
    }
}

extension SQLiteStore: PruneStore {
    /// Deletes expired and ended data in one transaction.
    public func prune(_ policy: PrunePolicy) async throws -> PruneReport {
        let now = policy.now.unixMilliseconds
        @Sendable func before(_ retention: TimeInterval) -> Int64 { now - Int64(retention * 1000) }
        return try await pool.write { db in
            var report = PruneReport()
            let tokensBefore = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM refresh_tokens") ?? 0
            let sessionCutoff = before(policy.endedSessionRetention)
            try db.execute(
                sql: """
                    DELETE FROM sessions
                    WHERE (ended_at IS NOT NULL AND ended_at < ?) OR min(idle_expires_at, absolute_expires_at) < ?
                    """,
                arguments: [sessionCutoff, sessionCutoff]
            )
            report.sessions = db.changesCount
            try db.execute(
                sql: "DELETE FROM refresh_tokens WHERE used_at IS NOT NULL AND used_at < ?",
                arguments: [before(policy.usedTokenRetention)]
            )
            let tokensAfter = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM refresh_tokens") ?? 0
            report.refreshTokens = tokensBefore - tokensAfter
            try db.execute(sql: "DELETE FROM audit_events WHERE at < ?", arguments: [before(policy.eventRetention)])
            report.events = db.changesCount
            try db.execute(sql: "DELETE FROM login_failures WHERE at < ?", arguments: [before(policy.failureRetention)])
            report.loginFailures = db.changesCount
            try db.execute(
                sql: "DELETE FROM signing_keys WHERE retired_at IS NOT NULL AND retired_at < ?",
                arguments: [before(policy.retiredKeyRetention)]
            )
            report.signingKeys = db.changesCount
            return report
        }
    }

    /// Row counts of the growing tables, for tests that hold the store to bounded growth.
    package func rowCounts() async throws -> [String: Int] {
        try await pool.read { db in
            var counts: [String: Int] = [:]
            for table in ["users", "sessions", "refresh_tokens", "audit_events", "login_failures"] {
                counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
            }
            return counts
        }
    }
}
