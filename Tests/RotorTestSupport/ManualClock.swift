public import Foundation
public import RotorCore
import Synchronization

/// A clock that only moves when a test moves it.
public final class ManualClock: RotorClock {
    private let current: Mutex<Date>

    /// Starts at `start` (a fixed, whole-second date by default).
    public init(start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        self.current = Mutex(start)
    }

    /// The clock's time.
    public func now() -> Date { current.withLock { $0 } }

    /// Moves the clock forward.
    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    /// Sets the clock.
    public func set(_ date: Date) {
        current.withLock { $0 = date }
    }
}
