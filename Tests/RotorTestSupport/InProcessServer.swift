import Foundation
import Hummingbird
import HummingbirdTesting
public import Logging
public import RotorCore
public import RotorServer
import ServiceLifecycle

/// A real Rotor server in the test process: built by the composition root, listening on 127.0.0.1 on a free
/// port, over a SQLite file in a temporary folder.
public enum InProcessServer {
    /// Settings for tests: the production defaults, but a cheap scrypt so that suites stay fast (the OWASP setting
    /// has its own test), and port 0.
    public static func configuration(databasePath: String) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.database = .sqlite(path: databasePath)
        configuration.port = 0
        configuration.scrypt = ScryptParameters(logN: 10, blockSize: 8, parallelism: 1)
        return configuration
    }

    /// A logger that drops everything (tests assert on answers, not log lines).
    public static let quietLogger = Logger(label: "rotor-test") { _ in SwiftLogNoOpLogHandler() }

    /// Starts a server on a fresh database of `kind`, runs `body` against it, and shuts it down, also on failure.
    /// - Parameters:
    ///   - kind: The store.
    ///   - transport: Real HTTP over loopback (the default), or straight into the router.
    ///   - clock: The server's clock.
    ///   - logger: The server's logger.
    ///   - configure: Changes to the test settings.
    ///   - body: The test, given an HTTP client and the database.
    public static func run<T: Sendable>(
        on kind: StoreKind,
        transport: Transport = .loopback,
        clock: any RotorClock = SystemClock(),
        logger: Logger = quietLogger,
        configure: (inout ServerConfiguration) -> Void = { _ in },
        _ body: @Sendable (TestHTTP, TestDatabase) async throws -> T
    ) async throws -> T {
        try await TestDatabase.with(kind) { database in
            var configuration = Self.configuration(databasePath: "unused")
            configuration.database = database.location
            configure(&configuration)
            return try await serve(configuration, transport: transport, clock: clock, logger: logger) { http in
                try await body(http, database)
            }
        }
    }

    /// Starts a server, runs `body` against it, and shuts it down, also on failure.
    /// - Parameters:
    ///   - transport: Real HTTP over loopback (the default), or straight into the router.
    ///   - clock: The server's clock.
    ///   - logger: The server's logger.
    ///   - configure: Changes to the test settings.
    ///   - body: The test, given an HTTP client and the database file's path.
    public static func run<T: Sendable>(
        transport: Transport = .loopback,
        clock: any RotorClock = SystemClock(),
        logger: Logger = quietLogger,
        configure: (inout ServerConfiguration) -> Void = { _ in },
        _ body: @Sendable (TestHTTP, String) async throws -> T
    ) async throws -> T {
        try await TemporaryDirectory.with { directory in
            let path = directory.path("rotor.sqlite")
            var configuration = Self.configuration(databasePath: path)
            configure(&configuration)
            return try await serve(configuration, transport: transport, clock: clock, logger: logger) { http in
                try await body(http, path)
            }
        }
    }

    private static func serve<T: Sendable>(
        _ configuration: ServerConfiguration,
        transport: Transport,
        clock: any RotorClock,
        logger: Logger,
        _ body: @Sendable (TestHTTP) async throws -> T
    ) async throws -> T {
        // The store's services (PostgreSQL's pool) run around the server, as in `rotor serve`.
        try await withOpenStore(configuration.database, logger: logger) { store in
            switch transport {
            case .loopback:
                return try await serve(configuration, store: store, clock: clock, logger: logger, body)
            case .router:
                // The application's own services (prune, key refresh) run around the test, as they would in a server.
                let app = try await makeServer(configuration: configuration, store: store, logger: logger, clock: clock)
                return try await app.test(.router) { client in try await body(TestHTTP(router: client)) }
            }
        }
    }

    private static func serve<T: Sendable>(
        _ configuration: ServerConfiguration,
        store: any RotorStore,
        clock: any RotorClock,
        logger: Logger,
        _ body: @Sendable (TestHTTP) async throws -> T
    ) async throws -> T {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = try await makeServer(configuration: configuration, store: store, logger: logger, clock: clock) {
            port in
            continuation.yield(port)
        }
        let group = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger)
        )
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                // A server that cannot start (its port taken by another test's socket) ends the wait for its port.
                defer { continuation.finish() }
                try await group.run()
            }
            var port = 0
            for await bound in ports {
                port = bound
                break
            }
            guard port != 0 else {
                try await tasks.waitForAll()
                throw InProcessServerError.didNotStart
            }
            do {
                let value = try await body(TestHTTP(port: port))
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return value
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }
}

/// Why a test server is not there.
public enum InProcessServerError: Error {
    /// It stopped before it listened (its start failed).
    case didNotStart
}
