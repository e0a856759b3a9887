/// Caps how many password hashes run at once, queues a bounded number of the rest in order, and refuses beyond.
///
/// scrypt is CPU- and memory-bound: letting every login hash at once would only slow all of them and multiply
/// the memory (16 MiB each). An unbounded queue would let a burst of requests hold memory and sockets for as long
/// as it likes, and make every later login wait behind it: past `maxWaiting`, ``acquire()`` throws at once and the
/// caller answers `503` with `Retry-After`. Waiters resume first come, first served.
actor HashingGate {
    private let limit: Int
    private let maxWaiting: Int
    private var running = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var peakRunning = 0
    private let report: @Sendable (Int) -> Void

    init(limit: Int, maxWaiting: Int, report: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.limit = max(1, limit)
        self.maxWaiting = max(0, maxWaiting)
        self.report = report
    }

    /// How many hashes wait for a slot right now.
    var queueDepth: Int { waiters.count }

    /// The most hashes that ever ran at once (tests hold the cap to it).
    var peak: Int { peakRunning }

    /// Takes a slot, waiting in line for one when all are busy.
    /// - Throws: ``PasswordHasherBusy`` when the line is full.
    func acquire() async throws(PasswordHasherBusy) {
        if running < limit {
            running += 1
            peakRunning = max(peakRunning, running)
            report(waiters.count)
            return
        }
        guard waiters.count < maxWaiting else { throw PasswordHasherBusy() }
        await withCheckedContinuation {
            waiters.append($0)
            report(waiters.count)
        }
    }

    func release() {
        if waiters.isEmpty {
            running -= 1
        } else {
            // The slot passes straight to the next waiter: `running` stays the same.
            waiters.removeFirst().resume()
            report(waiters.count)
        }
    }
}

/// Every hashing slot is busy and the line for them is full: the caller should try again shortly.
public struct PasswordHasherBusy: Error, Sendable, Equatable {
    /// Creates the error.
    public init() {}
}
