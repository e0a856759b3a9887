import Logging
import ServiceLifecycle

/// Runs a piece of work on a timer while `serve` runs: the periodic prune (the store stays bounded without a cron
/// job) and the signing-key refresh (a rotation made elsewhere takes effect within one interval).
struct PeriodicService: Service {
    /// Named in the log line when the work fails.
    let name: String
    let interval: Duration
    let logger: Logger
    let work: @Sendable () async throws -> Void

    func run() async throws {
        // Sleeping is cancelled at graceful shutdown; returning then is the normal end of this service.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                do {
                    try await work()
                } catch {
                    logger.error("\(name) failed", metadata: ["error_type": "\(type(of: error))"])
                }
            }
        }
    }
}
