import Logging
import RotorCore
import ServiceLifecycle

/// Re-reads the signing keys on a timer, so that `rotor keys rotate` (or another instance's rotation) takes
/// effect within one interval, and retired keys leave the JWKS once every token they signed has expired.
struct KeyRefreshService: Service {
    let keys: KeyRing
    let store: any RotorStore
    let clock: any RotorClock
    let interval: Duration
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                let before = keys.currentKid
                do {
                    try await keys.refresh(from: store, now: clock.now())
                } catch {
                    logger.error("signing keys could not be re-read", metadata: ["error_type": "\(type(of: error))"])
                }
                if keys.currentKid != before {
                    logger.notice("signing key rotated", metadata: ["kid": "\(keys.currentKid)"])
                }
            }
        }
    }
}
