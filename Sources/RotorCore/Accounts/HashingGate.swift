/// Caps how many password hashes run at once and queues the rest in order.
///
/// scrypt is CPU- and memory-bound: letting every login hash at once would only slow all of them and multiply
/// the memory (16 MiB each). Waiters resume first come, first served.
actor HashingGate {
    private let limit: Int
    private var running = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private let report: @Sendable (Int) -> Void

    init(limit: Int, report: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.limit = max(1, limit)
        self.report = report
    }

    /// How many hashes wait for a slot right now.
    var queueDepth: Int { waiters.count }

    func acquire() async {
        if running < limit {
            running += 1
            report(waiters.count)
            return
        }
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
