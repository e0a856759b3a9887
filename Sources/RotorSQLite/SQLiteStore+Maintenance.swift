public import Foundation
import GRDB
public import RotorCore

extension SQLiteStore: LoginThrottleStore {
    /// Counts and records in one `BEGIN IMMEDIATE` transaction: SQLite's single writer puts every reservation in
    /// one order.
    public func reserveAttempt(_ rules: [ThrottleRule], at: Date) async throws -> AttemptReservation {
        try await pool.write { db in
            var counts: [String: FailureCount] = [:]
            var allowed = true
            for rule in rules {
                let since = at.addingTimeInterval(-rule.window).unixMilliseconds
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) AS n, TOTAL(pending) AS pending, MIN(at) AS oldest FROM login_failures
                        WHERE key = ? AND at > ?
                        """,
                    arguments: [rule.key, since]
                )
                let count: Int = row?["n"] ?? 0
                let pending = Int(row?["pending"] as Double? ?? 0)
                let oldest = (row?["oldest"] as Int64?).map(Date.init(unixMilliseconds:)) ?? at
                counts[rule.key] = FailureCount(count: count, pending: pending, oldest: oldest)
                if count >= rule.limit { allowed = false }
            }
            guard allowed else { return AttemptReservation(ids: [], counts: counts) }
            var ids: [Int64] = []
            for rule in rules {
                try db.execute(
                    sql: "INSERT INTO login_failures (key, at, pending) VALUES (?, ?, 1)",
                    arguments: [rule.key, at.unixMilliseconds]
                )
                ids.append(db.lastInsertedRowID)
                counts[rule.key]?.count += 1
                counts[rule.key]?.pending += 1
            }
            return AttemptReservation(ids: ids, counts: counts)
        }
    }

    /// Marks the reservation's rows as failures.
    public func settleAttempt(_ ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        try await pool.write { db in
            for id in ids {
                try db.execute(sql: "UPDATE login_failures SET pending = 0 WHERE id = ?", arguments: [id])
            }
        }
    }

    /// Deletes the reservation's rows and the cleared keys' failures in one transaction.
    public func releaseAttempt(_ ids: [Int64], clearing keys: [String]) async throws {
        guard !ids.isEmpty || !keys.isEmpty else { return }
        try await pool.write { db in
            for id in ids {
                try db.execute(sql: "DELETE FROM login_failures WHERE id = ?", arguments: [id])
            }
            for key in keys {
                try db.execute(sql: "DELETE FROM login_failures WHERE key = ?", arguments: [key])
            }
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
                sql: """
                    DELETE FROM refresh_tokens
                    WHERE used_at IS NOT NULL AND (used_at < ? OR (tagged = 1 AND used_at < ?))
                    """,
                arguments: [before(policy.usedTokenRetention), before(policy.taggedUsedTokenRetention)]
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
            try db.execute(
                sql: "DELETE FROM authorization_codes WHERE expires_at < ?",
                arguments: [before(policy.codeRetention)]
            )
            try db.execute(
                sql: "DELETE FROM device_authorizations WHERE expires_at < ?",
                arguments: [before(policy.codeRetention)]
            )
            try db.execute(
                sql: "DELETE FROM client_assertions WHERE expires_at < ?",
                arguments: [policy.now.unixMilliseconds]
            )
            let ssoCutoff = before(policy.endedSessionRetention)
            try db.execute(
                sql: """
                    DELETE FROM sso_sessions
                    WHERE ended_at < ? OR idle_expires_at < ? OR absolute_expires_at < ?
                    """,
                arguments: [ssoCutoff, ssoCutoff, ssoCutoff]
            )
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
