import Hummingbird
import Logging
import RotorCore
import RotorProtocol

/// `GET /healthz` (the process answers) and `GET /readyz` (the store answers too).
struct HealthRoutes: Sendable {
    let store: any StoreHealth

    func register(on router: Router<AppRequestContext>) {
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
    }
}
