import Synchronization

/// A count that concurrent tasks add to while a test reads it.
public final class Tally: Sendable {
    private let value = Mutex(0)

    /// Creates a tally at zero.
    public init() {}

    /// The count now.
    public var count: Int { value.withLock { $0 } }

    /// Adds one.
    public func add() { value.withLock { $0 += 1 } }
}
