public import Foundation

/// How ``RotorClient`` retries a refresh whose answer was lost (a dropped connection, a timeout).
///
/// Rotor may have rotated before the answer was lost. Sending the same refresh token again brings the same new
/// token back, but only within Rotor's grace window (`ROTOR_REUSE_GRACE`, 10 s by default). After that window the
/// same token counts as reuse, and reuse ends the session. So every retry has to be sent before `window` has passed
/// since the first attempt, and `window` must stay below the server's grace. With the defaults no retry starts
/// later than 7 s after the first attempt (a retry needs a second of the 8 s left), which leaves a 10 s grace at
/// least 3 s for the network.
public struct RefreshRetry: Sendable, Equatable {
    /// At most this many refresh requests for one refresh (the first included).
    public var attempts: Int
    /// How long one attempt may wait for its answer, in whole seconds (at least 1; Foundation on Linux truncates
    /// a request's timeout to seconds). It is also cut to what is left of `window`.
    public var attemptTimeout: TimeInterval
    /// No retry starts, and none waits, later than this many seconds after the first attempt started; a retry
    /// starts only with at least a second of the window left.
    public var window: TimeInterval

    /// Creates a policy. The defaults (3 attempts of up to 3 s within 8 s) fit Rotor's default 10 s grace.
    public init(attempts: Int = 3, attemptTimeout: TimeInterval = 3, window: TimeInterval = 8) {
        self.attempts = max(1, attempts)
        self.attemptTimeout = max(1, attemptTimeout.rounded(.down))
        self.window = window
    }
}
