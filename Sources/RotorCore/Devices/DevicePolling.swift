public import Foundation

/// Where a device authorization stands (RFC 8628 §3): waiting for the person, decided, or redeemed.
public enum DeviceAuthorizationState: String, Sendable, Equatable {
    /// Nobody has approved or denied it yet.
    case pending
    /// The person approved it: the next poll gets the tokens.
    case approved
    /// The person denied it.
    case denied
    /// Its tokens were issued: the device code is spent.
    case redeemed
}

/// The answer to one poll of the token endpoint with a device code (RFC 8628 §3.5), as a pure rule.
public enum DevicePoll: Sendable, Equatable {
    /// `authorization_pending`: ask again after the interval.
    case pending
    /// `slow_down`: polled sooner than the interval; from now on the interval is `interval` seconds.
    case slowDown(interval: Int)
    /// `access_denied`.
    case denied
    /// `expired_token`: the codes outlived their lifetime.
    case expired
    /// The tokens, now (the store must then mark the code redeemed, once).
    case issue
    /// `invalid_grant`: the device code was redeemed already.
    case spent

    /// How much a `slow_down` adds to the interval (RFC 8628 §3.5).
    public static let slowDownStep = 5
    /// The longest interval a device is told to keep.
    public static let maximumInterval = 60

    /// Decides a poll.
    /// - Parameters:
    ///   - state: Where the authorization stands.
    ///   - expiresAt: When the codes expire.
    ///   - lastPolledAt: The previous poll, if any.
    ///   - interval: The interval the device was told, in seconds.
    ///   - now: The time of this poll.
    /// - Returns: The answer. Expiry wins over everything but a code already spent, and pacing is judged before
    ///   the state, so that polling fast never tells a device more than `slow_down`.
    public static func decide(
        state: DeviceAuthorizationState,
        expiresAt: Date,
        lastPolledAt: Date?,
        interval: Int,
        now: Date
    ) -> DevicePoll {
        if state == .redeemed { return .spent }
        guard now < expiresAt else { return .expired }
        // A second of slack: a device that waits exactly the interval must not be told to slow down by jitter.
        if let lastPolledAt, now.timeIntervalSince(lastPolledAt) < TimeInterval(interval) - 1 {
            return .slowDown(interval: min(maximumInterval, interval + slowDownStep))
        }
        switch state {
        case .pending: return .pending
        case .approved: return .issue
        case .denied: return .denied
        case .redeemed: return .spent
        }
    }
}

/// What one poll writes back to the stored authorization, so that both stores carry out the same decision.
public struct DevicePollWrite: Sendable, Equatable {
    /// The interval from now on, in seconds.
    public var interval: Int
    /// The state from now on.
    public var state: DeviceAuthorizationState
    /// Whether this poll presented a spent code (the store keeps the first such time).
    public var replayed: Bool

    /// Creates a write.
    public init(interval: Int, state: DeviceAuthorizationState, replayed: Bool) {
        self.interval = interval
        self.state = state
        self.replayed = replayed
    }
}

extension DevicePoll {
    /// What this answer changes besides the time of the last poll, which every poll records.
    /// - Parameters:
    ///   - state: The state the poll was decided on.
    ///   - interval: The interval the poll was decided on.
    public func write(state: DeviceAuthorizationState, interval: Int) -> DevicePollWrite {
        switch self {
        case .slowDown(let slower): DevicePollWrite(interval: slower, state: state, replayed: false)
        case .issue: DevicePollWrite(interval: interval, state: .redeemed, replayed: false)
        case .spent: DevicePollWrite(interval: interval, state: state, replayed: true)
        case .pending, .denied, .expired: DevicePollWrite(interval: interval, state: state, replayed: false)
        }
    }
}

extension DeviceAuthorizationRecord {
    /// A poll of this authorization at `now`: the answer by the pure rule, and what the store writes back. Both
    /// stores call this inside the transaction that read the row.
    public func poll(at now: Date) -> (poll: DevicePoll, write: DevicePollWrite) {
        let poll = DevicePoll.decide(
            state: state,
            expiresAt: expiresAt,
            lastPolledAt: lastPolledAt,
            interval: interval,
            now: now
        )
        return (poll, poll.write(state: state, interval: interval))
    }
}
