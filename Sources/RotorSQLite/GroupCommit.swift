import GRDB
import Synchronization

/// Group commit: concurrent writes of one kind share one `BEGIN IMMEDIATE` transaction and so one fsync.
///
/// With `synchronous=FULL` every commit waits for the disk (~0.2 ms here), which caps one writer at a few thousand
/// commits a second. Requests that arrive while a batch is being written wait for the next batch; each runs in its
/// own savepoint, in arrival order, so a later request sees what an earlier one wrote (two refreshes of one token
/// in one batch still rotate once) and a failing request rolls back alone. Every caller is answered only after
/// its batch has committed: durability is the same as one transaction per request.
final class GroupCommit<Request: Sendable, Outcome: Sendable>: Sendable {
    private struct Pending: Sendable {
        let request: Request
        let continuation: CheckedContinuation<Outcome, any Error>
    }

    private struct State: Sendable {
        var pending: [Pending] = []
        var draining = false
        var batches = 0
        var requests = 0
    }

    /// How many transactions were committed, and how many requests they carried.
    var statistics: (batches: Int, requests: Int) {
        state.withLock { ($0.batches, $0.requests) }
    }

    private let state = Mutex(State())
    private let pool: DatabasePool
    private let maxBatch: Int
    private let apply: @Sendable (Request, Database) throws -> Outcome

    /// - Parameters:
    ///   - pool: The database.
    ///   - maxBatch: The most requests one transaction takes.
    ///   - apply: One request's work, run inside a savepoint of the batch's transaction.
    init(pool: DatabasePool, maxBatch: Int = 128, apply: @escaping @Sendable (Request, Database) throws -> Outcome) {
        self.pool = pool
        self.maxBatch = maxBatch
        self.apply = apply
    }

    /// Queues a request and waits until its batch is durable.
    func submit(_ request: Request) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            let startDraining = state.withLock { state in
                state.pending.append(Pending(request: request, continuation: continuation))
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if startDraining {
                Task { await self.drain() }
            }
        }
    }

    /// Writes batches until nothing is pending; only one drain runs at a time.
    private func drain() async {
        while true {
            let batch: [Pending] = state.withLock { state in
                guard !state.pending.isEmpty else {
                    state.draining = false
                    return []
                }
                let count = min(maxBatch, state.pending.count)
                let batch = Array(state.pending.prefix(count))
                state.pending.removeFirst(count)
                return batch
            }
            if batch.isEmpty { return }
            let apply = self.apply
            do {
                let results: [Result<Outcome, any Error>] = try await pool.write { db in
                    batch.map { item in
                        Result {
                            var outcome: Outcome?
                            try db.inSavepoint {
                                outcome = try apply(item.request, db)
                                return .commit
                            }
                            guard let outcome else { throw GroupCommitError.noOutcome }
                            return outcome
                        }
                    }
                }
                state.withLock {
                    $0.batches += 1
                    $0.requests += batch.count
                }
                for (item, result) in zip(batch, results) {
                    item.continuation.resume(with: result)
                }
            } catch {
                // The transaction itself failed (the disk, a busy database): nothing of the batch was written.
                for item in batch {
                    item.continuation.resume(throwing: error)
                }
            }
        }
    }
}

/// A savepoint that ended without an outcome (cannot happen: `apply` returns or throws).
enum GroupCommitError: Error {
    case noOutcome
}
