public import Foundation

/// The engine's source of time. Injected so that tests can move time instead of sleeping.
public protocol RotorClock: Sendable {
    /// The current time.
    func now() -> Date
}

/// Wall-clock time.
public struct SystemClock: RotorClock {
    /// Creates the system clock.
    public init() {}

    /// The current wall-clock time.
    public func now() -> Date { Date() }
}
