import Logging
import RotorCore
import ServiceLifecycle

/// Prunes expired data on a timer while `serve` runs, so that the store stays bounded without a cron job.
struct PruneService: Service {
    let engine: TokenEngine
    let interval: Duration
    let logger: Logger

    func run() async throws {
        // Sleeping is cancelled at graceful shutdown; returning then is the normal end of this service.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                do {
                    _ = try await engine.prune()
                } catch {
                    logger.error("prune failed", metadata: ["error_type": "\(type(of: error))"])
                }
            }
        }
    }
}
