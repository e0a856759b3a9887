public import Foundation

/// The brute-force limits of SPEC §7: failures counted per account and per client IP in sliding windows.
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

    /// Creates a policy; the defaults are SPEC §7's.
    public init(accountLimit: Int = 5, accountWindow: TimeInterval = 900, ipLimit: Int = 20, ipWindow: TimeInterval = 60) {
        self.accountLimit = accountLimit
        self.accountWindow = accountWindow
        self.ipLimit = ipLimit
        self.ipWindow = ipWindow
    }

    /// The throttle key of an account.
    static func accountKey(_ email: String) -> String { "account:\(email)" }
    /// The throttle key of a client IP.
    static func ipKey(_ ip: String) -> String { "ip:\(ip)" }
}
