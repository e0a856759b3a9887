import GRDB
import Synchronization

/// Group commit: concurrent writes of one kind share one `BEGIN IMMEDIATE` transaction and so one fsync.
///
/// With `synchronous=FULL` every commit waits for the disk (~0.2 ms here), which caps one writer at a few thousand
/// commits a second. Requests that arrive while a batch is being written wait for the next batch; each runs in its
/// own savepoint, in arrival order, so a later request sees what an earlier one wrote (two refreshes of one token
/// in one batch still rotate once) and a failing request rolls back alone. Every caller is answered only after
/// its batch has committed: durability is the same as one transaction per request.
/// No task is started for it: the request that finds nobody writing becomes the *leader* and writes the batch in its
/// own task; when requests arrived meanwhile, it hands the lead to the oldest of them (whose task then writes the
/// next batch) and returns. So every batch is written by a caller's task, and each caller waits for one batch at
/// most besides its own.
final class GroupCommit<Request: Sendable, Outcome: Sendable>: Sendable {
    /// What a waiting request is woken with.
    private enum Wake: Sendable {
        /// Its batch committed (or failed): this is its result.
        case done(Result<Outcome, any Error>)
        /// The previous leader is done: this request writes the next batch.
        case lead
    }

    private struct Pending: Sendable {
        let request: Request
        let continuation: CheckedContinuation<Wake, Never>
    }

    private struct State: Sendable {
        var pending: [Pending] = []
        var leading = false
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
        let wake = await withCheckedContinuation { (continuation: CheckedContinuation<Wake, Never>) in
            let lead = state.withLock { state in
                state.pending.append(Pending(request: request, continuation: continuation))
                guard !state.leading else { return false }
                state.leading = true
                return true
            }
            if lead { continuation.resume(returning: .lead) }
        }
        switch wake {
        case .done(let result):
            return try result.get()
        case .lead:
            return try await writeBatch().get()
        }
    }

    /// Writes the oldest pending requests (the leader's among them) in one transaction, answers the others, and
    /// passes the lead on to the next pending request, if any.
    private func writeBatch() async -> Result<Outcome, any Error> {
        let batch: [Pending] = state.withLock { state in
            let count = min(maxBatch, state.pending.count)
            let batch = Array(state.pending.prefix(count))
            state.pending.removeFirst(count)
            return batch
        }
        let apply = self.apply
        let results: [Result<Outcome, any Error>]
        do {
            results = try await pool.write { db in
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
        } catch {
            // The transaction itself failed (the disk, a busy database): nothing of the batch was written.
            results = batch.map { _ in .failure(error) }
        }
        // The leader is always the oldest pending request (the first to find nobody leading, or the one the last
        // leader handed over to), so it is first in the batch; it was woken already, the others are woken now.
        for (item, result) in zip(batch, results).dropFirst() {
            item.continuation.resume(returning: .done(result))
        }
        let next: Pending? = state.withLock { state in
            guard let first = state.pending.first else {
                state.leading = false
                return nil
            }
            return first
        }
        next?.continuation.resume(returning: .lead)
        return results.first ?? .failure(GroupCommitError.noOutcome)
    }
}
/// A savepoint that ended without an outcome (cannot happen: `apply` returns or throws).
enum GroupCommitError: Error {
    case noOutcome
}
