import Synchronization

/// A flag that a test sets and clears while other tasks (a relay, a loop of requests) read it.
public final class Flag: Sendable {
    private let value = Mutex(false)

    /// Creates a cleared flag.
    public init() {}

    /// Whether it is set.
    public var isSet: Bool { value.withLock { $0 } }

    /// Sets it.
    public func set() { value.withLock { $0 = true } }

    /// Clears it.
    public func clear() { value.withLock { $0 = false } }
}
