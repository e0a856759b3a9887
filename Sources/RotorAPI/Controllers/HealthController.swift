import Hummingbird
import Logging
import NIOCore
import RotorCore
import RotorProtocol

/// `GET /healthz` (the process answers), `GET /readyz` (the store answers too) and `GET /metrics` (Prometheus).
struct HealthController: Sendable {
    let store: any StoreHealth
    let metricsText: (@Sendable () -> String)?

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("healthz", use: live)
        routes.get("readyz", use: ready)
        if metricsText != nil { routes.get("metrics", use: metrics) }
        return routes
    }

    @Sendable func live(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make(HealthResponse(status: "ok"))
    }

    @Sendable func ready(_ request: Request, context: AppRequestContext) async throws -> Response {
        do {
            try await store.checkReady()
            return try JSONResponse.make(HealthResponse(status: "ok"))
        } catch {
            context.logger.error("store not ready", metadata: ["error_type": "\(type(of: error))"])
            return try JSONResponse.make(HealthResponse(status: "unavailable"), status: .serviceUnavailable)
        }
    }

    @Sendable func metrics(_ request: Request, context: AppRequestContext) async throws -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: metricsText?() ?? ""))
        )
    }
}
