import Foundation
import Logging
import RotorCore
import RotorServer
import RotorTestSupport
import RotorVerifier

/// A real Rotor on loopback whose issuer is its own URL (so that DPoP proofs and the JWKS address it exactly).
enum RotorFixture {
    static func run<T: Sendable>(
        on store: StoreKind = .sqlite,
        clock: any RotorClock = SystemClock(),
        configure: @escaping @Sendable (inout ServerConfiguration) -> Void = { _ in },
        _ body: @Sendable (TestHTTP, String, TestDatabase) async throws -> T
    ) async throws -> T {
        // The port is chosen before the server binds it (the issuer names it), so another test's socket may take it
        // in between: then the server cannot start, and another port is tried.
        var attempt = 0
        while true {
            attempt += 1
            let port = try FreePort.find()
            let issuer = "http://127.0.0.1:\(port)"
            do {
                return try await InProcessServer.run(
                    on: store,
                    clock: clock,
                    configure: { configuration in
                        configuration.port = port
                        configuration.engine.issuer = issuer
                        configuration.engine.audience = issuer
                        configure(&configuration)
                    }
                ) { http, database in
                    try await body(http, issuer, database)
                }
            } catch  where attempt < 3 && Self.isBindFailure(error) {
                continue
            }
        }
    }

    /// Whether the server failed to start because its port was taken.
    static func isBindFailure(_ error: any Error) -> Bool {
        error is InProcessServerError || "\(error)".contains("Address already in use")
    }

    /// A verifier for that Rotor, reading the revocation feed every `poll` seconds when running.
    static func verifier(issuer: String, poll: TimeInterval = 1) -> AccessTokenVerifier {
        var configuration = VerifierConfiguration(issuer: issuer, revocations: .init(pollInterval: poll))
        configuration.minimumKeyAge = 1
        configuration.unknownKeyRefetchInterval = 1
        return AccessTokenVerifier(configuration: configuration, logger: InProcessServer.quietLogger)
    }

    /// Runs `body` while the verifier runs as a service (reading the revocation feed).
    static func running<T: Sendable>(_ verifier: AccessTokenVerifier, _ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await verifier.run() }
            defer { group.cancelAll() }
            return try await body()
        }
    }
}
