import CoreMetrics
import Synchronization

/// The request counter and timer of each route, method and status, made once: building them through the
/// Prometheus factory on every request (its registry's lock and label lookup) cost 1.7 % of a
/// `client_credentials` grant (docs/benchmarks.md).
final class RequestMetricHandles: Sendable {
    private struct Key: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    /// More combinations than Rotor's routes can make: beyond, handles are made per request and not kept, so
    /// that a client inventing methods cannot grow this without bound.
    static let capacity = 4_096

    private let handles = Mutex<[Key: (Counter, Timer)]>([:])

    /// The counter (`rotor_http_requests_total`) and timer (`rotor_http_request_duration_seconds`) of one answer.
    func of(route: String, method: String, status: Int, factory: any MetricsFactory) -> (Counter, Timer) {
        let key = Key(route: route, method: method, status: status)
        if let found = handles.withLock({ $0[key] }) { return found }
        let dimensions = [("route", route), ("method", method)]
        let made = (
            Counter(
                label: "rotor_http_requests_total",
                dimensions: dimensions + [("status", String(status))],
                factory: factory
            ),
            Timer(
                label: "rotor_http_request_duration_seconds",
                dimensions: dimensions,
                preferredDisplayUnit: .seconds,
                factory: factory
            )
        )
        handles.withLock { handles in
            if handles.count < Self.capacity { handles[key] = made }
        }
        return made
    }
}
