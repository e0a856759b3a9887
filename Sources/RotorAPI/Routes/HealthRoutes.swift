import Hummingbird
import Logging
import NIOCore
import RotorCore
import RotorProtocol

/// `GET /healthz` (the process answers), `GET /readyz` (the store answers too) and `GET /metrics` (Prometheus).
struct HealthRoutes: Sendable {
    let store: any StoreHealth
    let metricsText: (@Sendable () -> String)?

    func register(on router: APIRouter) {
        router.get("/healthz") { _, _ in
            try JSONResponse.make(HealthResponse(status: "ok"))
        }
        router.get("/readyz") { _, context in
            do {
                try await store.checkReady()
                return try JSONResponse.make(HealthResponse(status: "ok"))
            } catch {
                context.logger.error("store not ready", metadata: ["error_type": "\(type(of: error))"])
                return try JSONResponse.make(HealthResponse(status: "unavailable"), status: .serviceUnavailable)
            }
        }
        if let metricsText {
            router.get("/metrics") { _, _ in
                Response(
                    status: .ok,
                    headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                    body: .init(byteBuffer: ByteBuffer(string: metricsText()))
                )
            }
        }
    }
}
