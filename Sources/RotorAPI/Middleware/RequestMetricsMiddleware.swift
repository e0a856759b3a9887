public import CoreMetrics
import Dispatch
public import Hummingbird
import Logging
import RotorCore

/// Counts and times every request by route pattern and status (`rotor_http_requests_total`,
/// `rotor_http_request_duration_seconds`), answers with `X-Request-Id`, and logs one structured line per request.
///
/// The route label is the matched pattern (`/v1/sessions/{id}`), never the path itself, so no id or token can
/// become a label; unmatched paths share the label `unmatched`.
public struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    private let factory: any MetricsFactory
    private let handles = RequestMetricHandles()

    /// Creates the middleware on a metrics factory.
    public init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// Times the request, then counts and logs its answer.
    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        let start = DispatchTime.now().uptimeNanoseconds
        // Hummingbird's request id, which every line logged through the context carries already (`hb.request.id`),
        // when the log handler keeps metadata; otherwise one of our own. It is not written into the context's
        // logger again: swift-log's StreamLogHandler renders all its metadata anew on every write, which cost 4 % of
        // a token request (docs/benchmarks.md); the lines that need it name it.
        let requestId =
            context.logger[metadataKey: "hb.request.id"]?.description ?? SecureRandom.identifier(byteCount: 8)
        var response = try await next(request, context)
        let route = context.endpointPath ?? "unmatched"
        let method = request.method.rawValue
        let status = response.status.code
        let (counter, timer) = handles.of(route: route, method: method, status: status, factory: factory)
        counter.increment()
        let elapsed = DispatchTime.now().uptimeNanoseconds - start
        timer.recordNanoseconds(Int64(elapsed))
        response.headers[requestIdHeader] = requestId
        context.logger.info(
            "request",
            metadata: [
                "request_id": "\(requestId)", "method": "\(method)", "route": "\(route)", "status": "\(status)",
                "duration_ms": "\(Double(elapsed / 1000) / 1000)",
            ]
        )
        return response
    }
}
