public import CoreMetrics
import Synchronization

/// The engine's counters, through swift-metrics with an injected factory (Prometheus in `serve`; a no-op by
/// default). Labels carry outcomes and causes only: never a user id, a session id or a token.
public struct EngineMetrics: Sendable {
    /// How a refresh ended.
    public enum RefreshOutcome: String, Sendable {
        /// A new child was issued.
        case rotated
        /// The same child was returned inside the grace window.
        case grace
        /// Reuse was detected and the session revoked.
        case reuse
        /// Unknown token, or its session had ended or expired.
        case invalid
        /// The session is bound to another device.
        case bindingMismatch = "binding_mismatch"
    }

    /// How a login ended.
    public enum LoginOutcome: String, Sendable {
        /// A session started.
        case success
        /// Unknown email or wrong password.
        case invalidCredentials = "invalid_credentials"
        /// The right password for a disabled account.
        case disabled
        /// Refused by the brute-force limits.
        case rateLimited = "rate_limited"
    }

    /// What became of a back-channel logout attempt.
    public enum BackchannelOutcome: String, Sendable {
        /// The client answered 2xx.
        case delivered
        /// It failed and will be tried again.
        case retried
        /// Its retry window passed.
        case givenUp = "given_up"
    }

    /// How a `client_credentials` request ended, once its client authenticated.
    public enum MachineTokenOutcome: String, Sendable {
        /// An access token was issued.
        case issued
        /// Refused: a grant, a scope or a resource the client may not have.
        case refused
    }

    private let factory: any MetricsFactory
    private let counters = Counters()

    /// Metrics that go nowhere.
    public static let none = EngineMetrics(factory: NOOPMetricsHandler.instance)

    /// Creates the metrics on a factory.
    public init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// Counts a refresh by outcome (`rotor_refreshes_total{outcome}`).
    public func refresh(_ outcome: RefreshOutcome) {
        counter("rotor_refreshes_total", "outcome", outcome.rawValue).increment()
    }

    /// Counts a login by outcome (`rotor_logins_total{outcome}`).
    public func login(_ outcome: LoginOutcome) {
        counter("rotor_logins_total", "outcome", outcome.rawValue).increment()
    }

    /// Counts sessions that ended, by cause (`rotor_sessions_ended_total{cause}`).
    public func sessionsEnded(_ cause: SessionEndReason, count: Int = 1) {
        guard count > 0 else { return }
        counter("rotor_sessions_ended_total", "cause", cause.rawValue).increment(by: count)
    }

    /// Counts back-channel logout attempts by outcome (`rotor_backchannel_logouts_total{outcome}`).
    public func backchannelLogout(_ outcome: BackchannelOutcome) {
        counter("rotor_backchannel_logouts_total", "outcome", outcome.rawValue).increment()
    }

    /// Counts `client_credentials` grants by outcome (`rotor_machine_tokens_total{outcome}`).
    public func machineToken(_ outcome: MachineTokenOutcome) {
        counter("rotor_machine_tokens_total", "outcome", outcome.rawValue).increment()
    }

    /// Records how many password hashes wait for a slot (`rotor_password_hash_queue_depth`).
    public func hashQueueDepth(_ depth: Int) {
        Gauge(label: "rotor_password_hash_queue_depth", factory: factory).record(depth)
    }

    /// The counter of `label` with one dimension, made once per value (the Prometheus factory's registry lookup
    /// on every call was a measured share of a grant); every value is one of the enums above, so the set is small.
    private func counter(_ label: String, _ dimension: String, _ value: String) -> Counter {
        counters.counter(label, dimension, value, factory: factory)
    }
}

/// The engine's counters, each made once.
private final class Counters: Sendable {
    private let made = Mutex<[String: Counter]>([:])

    func counter(_ label: String, _ dimension: String, _ value: String, factory: any MetricsFactory) -> Counter {
        let key = label + "\u{0}" + value
        if let found = made.withLock({ $0[key] }) { return found }
        let counter = Counter(label: label, dimensions: [(dimension, value)], factory: factory)
        made.withLock { $0[key] = counter }
        return counter
    }
}
