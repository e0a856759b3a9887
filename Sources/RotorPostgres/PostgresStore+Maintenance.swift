public import Foundation
import PostgresNIO
public import RotorCore

extension PostgresStore: LoginThrottleStore {
    /// Counts and records in one transaction that holds an advisory lock on each key (taken in key order, so two
    /// reservations never deadlock): reservations for one key are serialised across every instance, and an
    /// attacker spreading guesses over instances meets the same counts.
    public func reserveAttempt(_ rules: [ThrottleRule], at: Date) async throws -> AttemptReservation {
        try await transaction { connection in
            for key in Set(rules.map(\.key)).sorted() {
                try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\(key), 7))", logger: logger)
            }
            var counts: [String: FailureCount] = [:]
            var allowed = true
            for rule in rules {
                let since = at.addingTimeInterval(-rule.window).unixMilliseconds
                let row = try await connection.query(
                    """
                    SELECT COUNT(*) AS n, COUNT(*) FILTER (WHERE pending) AS pending, MIN(at) AS oldest
                    FROM login_failures WHERE key = \(rule.key) AND at > \(since)
                    """,
                    logger: logger
                ).first()
                let count = Int(try row?.value("n", as: Int64.self) ?? 0)
                let pending = Int(try row?.value("pending", as: Int64.self) ?? 0)
                let oldest = try row?.value("oldest", as: Int64?.self).map(Date.init(unixMilliseconds:)) ?? at
                counts[rule.key] = FailureCount(count: count, pending: pending, oldest: oldest)
                if count >= rule.limit { allowed = false }
            }
            guard allowed else { return AttemptReservation(ids: [], counts: counts) }
            var ids: [Int64] = []
            for rule in rules {
                let row = try await connection.query(
                    """
                    INSERT INTO login_failures (key, at, pending) VALUES (\(rule.key), \(at.unixMilliseconds), true)
                    RETURNING id
                    """,
                    logger: logger
                ).first()
                if let id = try row?.value("id", as: Int64.self) { ids.append(id) }
                counts[rule.key]?.count += 1
                counts[rule.key]?.pending += 1
            }
            return AttemptReservation(ids: ids, counts: counts)
        }
    }

    /// Marks the reservation's rows as failures.
    public func settleAttempt(_ ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        try await client.query("UPDATE login_failures SET pending = false WHERE id = ANY(\(ids))", logger: logger)
    }

    /// Deletes the reservation's rows and the cleared keys' failures in one transaction.
    public func releaseAttempt(_ ids: [Int64], clearing keys: [String]) async throws {
        guard !ids.isEmpty || !keys.isEmpty else { return }
        try await transaction { connection in
            for id in ids {
                try await connection.query("DELETE FROM login_failures WHERE id = \(id)", logger: logger)
            }
            for key in keys {
                try await connection.query("DELETE FROM login_failures WHERE key = \(key)", logger: logger)
            }
        }
    }
}

extension PostgresStore: PruneStore {
    /// Deletes expired and ended data, in bounded batches (`FOR UPDATE SKIP LOCKED`), so that a prune never holds
    /// locks long enough to stall refreshes, and two instances pruning at once share the work.
    public func prune(_ policy: PrunePolicy) async throws -> PruneReport {
        let now = policy.now.unixMilliseconds
        func before(_ retention: TimeInterval) -> Int64 { now - Int64(retention * 1000) }
        let sessionCutoff = before(policy.endedSessionRetention)
        var report = PruneReport()
        // Tokens go with their sessions (ON DELETE CASCADE); count them first.
        report.refreshTokens += try await deleteInBatches(
            """
            WITH doomed AS (
                SELECT id FROM sessions
                WHERE (ended_at IS NOT NULL AND ended_at < \(sessionCutoff))
                   OR LEAST(idle_expires_at, absolute_expires_at) < \(sessionCutoff)
                LIMIT 500 FOR UPDATE SKIP LOCKED
            ), tokens AS (
                SELECT count(*) AS n FROM refresh_tokens WHERE session_id IN (SELECT id FROM doomed)
            ), gone AS (
                DELETE FROM sessions WHERE id IN (SELECT id FROM doomed) RETURNING 1
            )
            SELECT (SELECT count(*) FROM gone) AS deleted, (SELECT n FROM tokens) AS extra
            """,
            counting: &report.sessions
        )
        let usedCutoff = before(policy.usedTokenRetention)
        let taggedCutoff = before(policy.taggedUsedTokenRetention)
        var usedTokens = 0
        _ = try await deleteInBatches(
            """
            WITH gone AS (
                DELETE FROM refresh_tokens WHERE hash IN (
                    SELECT hash FROM refresh_tokens
                    WHERE used_at IS NOT NULL AND (used_at < \(usedCutoff) OR (tagged AND used_at < \(taggedCutoff)))
                    LIMIT 1000 FOR UPDATE SKIP LOCKED
                ) RETURNING 1
            )
            SELECT count(*) AS deleted, 0::bigint AS extra FROM gone
            """,
            counting: &usedTokens
        )
        report.refreshTokens += usedTokens
        _ = try await deleteInBatches(
            """
            WITH gone AS (
                DELETE FROM audit_events WHERE id IN (
                    SELECT id FROM audit_events WHERE at < \(before(policy.eventRetention))
                    LIMIT 1000 FOR UPDATE SKIP LOCKED
                ) RETURNING 1
            )
            SELECT count(*) AS deleted, 0::bigint AS extra FROM gone
            """,
            counting: &report.events
        )
        _ = try await deleteInBatches(
            """
            WITH gone AS (
                DELETE FROM login_failures WHERE id IN (
                    SELECT id FROM login_failures WHERE at < \(before(policy.failureRetention))
                    LIMIT 1000 FOR UPDATE SKIP LOCKED
                ) RETURNING 1
            )
            SELECT count(*) AS deleted, 0::bigint AS extra FROM gone
            """,
            counting: &report.loginFailures
        )
        let keys = try await client.query(
            """
            DELETE FROM signing_keys WHERE retired_at IS NOT NULL AND retired_at < \(before(policy.retiredKeyRetention))
            RETURNING kid
            """,
            logger: logger
        ).rows()
        report.signingKeys = keys.count
        try await client.query(
            "DELETE FROM authorization_codes WHERE expires_at < \(before(policy.codeRetention))",
            logger: logger
        )
        try await client.query(
            "DELETE FROM device_authorizations WHERE expires_at < \(before(policy.codeRetention))",
            logger: logger
        )
        try await client.query(
            "DELETE FROM client_assertions WHERE expires_at < \(policy.now.unixMilliseconds)",
            logger: logger
        )
        let ssoCutoff = before(policy.endedSessionRetention)
        try await client.query(
            """
            DELETE FROM sso_sessions
            WHERE ended_at < \(ssoCutoff) OR idle_expires_at < \(ssoCutoff) OR absolute_expires_at < \(ssoCutoff)
            """,
            logger: logger
        )
        return report
    }

    /// Runs a batch delete until it deletes nothing; each batch is its own statement (and transaction).
    /// - Returns: The sum of the batches' `extra` column.
    private func deleteInBatches(_ query: PostgresQuery, counting deleted: inout Int) async throws -> Int {
        var extra = 0
        for _ in 0..<100_000 {
            guard let row = try await retrying({ try await client.query(query, logger: logger).first() }) else { break }
            let count = Int(try row.value("deleted", as: Int64.self))
            extra += Int(try row.value("extra", as: Int64?.self) ?? 0)
            deleted += count
            if count == 0 { break }
        }
        return extra
    }

    /// Row counts of the growing tables, for tests that hold the store to bounded growth.
    package func rowCounts() async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in ["users", "sessions", "refresh_tokens", "audit_events", "login_failures"] {
            counts[table] = Int(
                try await client.query(PostgresQuery(unsafeSQL: "SELECT count(*) AS n FROM \(table)"), logger: logger)
                    .first()?.value("n", as: Int64.self) ?? 0
            )
        }
        return counts
    }
}
