public import Foundation

/// The brute-force limits of docs/protocol.md: failures counted per account and per client IP in sliding windows.
/// Once a key reaches its limit, logins for it answer `429` — even with the right password — until its oldest
/// failure leaves the window; otherwise the limit would tell an attacker which guess was right.
public struct LoginThrottlePolicy: Sendable, Equatable {
    /// Failures allowed per account in ``accountWindow`` (5).
    public var accountLimit: Int
    /// The account window (15 minutes).
    public var accountWindow: TimeInterval
    /// Failures allowed per client IP in ``ipWindow`` (20).
    public var ipLimit: Int
    /// The IP window (1 minute).
    public var ipWindow: TimeInterval

    /// Creates a policy; the defaults are docs/protocol.md's.
    public init(
        accountLimit: Int = 5,
        accountWindow: TimeInterval = 900,
        ipLimit: Int = 20,
        ipWindow: TimeInterval = 60
    ) {
        self.accountLimit = accountLimit
        self.accountWindow = accountWindow
        self.ipLimit = ipLimit
        self.ipWindow = ipWindow
    }

    /// The throttle key of an account.
    static func accountKey(_ email: String) -> String { "account:\(email)" }
    /// The throttle key of a client IP.
    static func ipKey(_ ip: String) -> String { "ip:\(ip)" }
    /// The throttle key of sign-ups from a client IP (each costs a hash, like a failed login).
    static func signUpKey(_ ip: String) -> String { "signup:\(ip)" }

    /// The limits a password check is under: the account's (when known) and the client IP's (when known).
    func rules(email: String?, ip: String?) -> [ThrottleRule] {
        var rules: [ThrottleRule] = []
        if let email {
            rules.append(ThrottleRule(key: Self.accountKey(email), window: accountWindow, limit: accountLimit))
        }
        if let ip { rules.append(ThrottleRule(key: Self.ipKey(ip), window: ipWindow, limit: ipLimit)) }
        return rules
    }

    /// The limit of sign-ups from one IP: the IP limit of failed logins, in the same window.
    func signUpRule(ip: String) -> ThrottleRule {
        ThrottleRule(key: Self.signUpKey(ip), window: ipWindow, limit: ipLimit)
    }

    /// Seconds until every rule at its limit has room again: until the oldest failure of each full key leaves its
    /// window (reservations never let a key go past its limit, so the oldest is the one that frees a place). A key
    /// full only because attempts are in flight gets a second: they settle as soon as their hashes are done.
    func retryAfter(_ rules: [ThrottleRule], counts: [String: FailureCount], now: Date) -> Int {
        var seconds = 1
        for rule in rules {
            guard let count = counts[rule.key], count.count >= rule.limit, count.count - count.pending >= rule.limit
            else { continue }
            let free = count.oldest.addingTimeInterval(rule.window).timeIntervalSince(now)
            seconds = max(seconds, Int(free.rounded(.up)))
        }
        return seconds
    }
}
