public import Logging
import NIOSSL
import PostgresNIO
public import RotorCore
public import ServiceLifecycle

/// Rotor's shared store: one PostgreSQL database that any number of Rotor instances use at once.
///
/// Every method is one transaction (or one statement); rotation is a single statement on the common path, so
/// that a refresh costs one round trip, and a transaction holding the session row under `FOR UPDATE` otherwise.
/// Serialization failures, deadlocks and lock timeouts are retried here, never shown to a client
/// (ory/hydra#3604). Times are stored as Unix milliseconds, as in the SQLite store.
///
/// The store is a `Service`: its ``run()`` runs the connection pool (postgres-nio's `PostgresClient`, which leases
/// connections only while it runs) until graceful shutdown. Run it in a `ServiceGroup` (RotorServer's
/// `withOpenStore` does) before using the store.
public final class PostgresStore: Sendable, Service {
    let client: PostgresClient
    let logger: Logger

    private init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Connects, and migrates the schema (once, even when several instances start together).
    /// - Parameters:
    ///   - url: Where the database is.
    ///   - logger: Where the pool reports connection trouble (never a password or a bound value).
    ///   - maximumConnections: The pool's size.
    /// - Returns: The open store.
    /// - Throws: When the server cannot be reached, refuses the login, or the migration fails.
    public static func connect(
        _ url: PostgresURL,
        logger: Logger,
        maximumConnections: Int = 16
    ) async throws
        -> PostgresStore
    {
        let tlsConfiguration = tlsConfiguration(for: url)
        if url.connectionIsUnverified {
            // libpq's default (`prefer`) is kept, so that existing URLs work, but nobody should run it unknowingly.
            logger.warning(
                "the connection to PostgreSQL is not verified: anyone on the network path can read or change it",
                metadata: [
                    "host": "\(url.host)", "sslmode": "\(url.tls.rawValue)",
                    "fix": "add sslmode=verify-full (and sslrootcert=FILE) to ROTOR_DATABASE_URL",
                ]
            )
        }
        // One connection first, on its own: a wrong address, password or TLS setting fails here at once with
        // the server's answer, where the pool would retry it in the background and start-up would wait forever.
        let probe = try await PostgresConnection.connect(
            configuration: .init(
                host: url.host,
                port: url.port,
                username: url.username,
                password: url.password,
                database: url.database,
                tls: try connectionTLS(for: url, tlsConfiguration)
            ),
            id: 0,
            logger: logger
        )
        var configuration = PostgresClient.Configuration(
            host: url.host,
            port: url.port,
            username: url.username,
            password: url.password,
            database: url.database,
            tls: clientTLS(for: url, tlsConfiguration)
        )
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = 1
        configuration.options.connectTimeout = .seconds(10)
        let store = PostgresStore(
            client: PostgresClient(configuration: configuration, backgroundLogger: logger),
            logger: logger
        )
        // The schema is brought up to date on the probe connection, before the pool runs.
        do {
            try await PostgresMigrations.migrate(on: probe, logger: logger)
            try await probe.close()
        } catch {
            try? await probe.close()
            throw error
        }
        return store
    }

    private static func tlsConfiguration(for url: PostgresURL) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let path = url.rootCertificatePath {
            tls.trustRoots = .file(path)
        }
        tls.certificateVerification =
            switch url.tls {
            case .disable, .prefer, .require: .none
            case .verifyCA: .noHostnameVerification
            case .verifyFull: .fullVerification
            }
        return tls
    }

    private static func clientTLS(for url: PostgresURL, _ tls: TLSConfiguration) -> PostgresClient.Configuration.TLS {
        switch url.tls {
        case .disable: .disable
        case .prefer: .prefer(tls)
        case .require, .verifyCA, .verifyFull: .require(tls)
        }
    }

    private static func connectionTLS(
        for url: PostgresURL,
        _ tls: TLSConfiguration
    ) throws
        -> PostgresConnection.Configuration.TLS
    {
        switch url.tls {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: tls))
        case .require, .verifyCA, .verifyFull: .require(try NIOSSLContext(configuration: tls))
        }
    }

    /// Runs the connection pool until graceful shutdown; then the pool closes and later calls fail.
    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.client.run() }
    }

    /// Runs `body` in one transaction, again from the start when PostgreSQL reports a serialization failure, a
    /// deadlock or a lock timeout (each attempt rolled back whole), up to a bounded number of attempts.
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await retrying {
            do {
                return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
            } catch let error as PostgresTransactionError {
                // What went wrong inside (rolled back by postgres-nio), so that retries and callers see the cause.
                throw error.closureError ?? error.commitError ?? error.beginError ?? error
            }
        }
    }

    /// Runs `body` again while it fails for a reason a retry can fix (see ``transaction(_:)``).
    func retrying<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await body()
            } catch let error as PSQLError where Self.isTransient(error) && attempt < Self.maxAttempts {
                attempt += 1
                // Jittered, growing pauses (1–2 ms, 2–4 ms, …, at most 64 ms) so that the racers spread out.
                let base = min(64, 1 << min(attempt - 1, 6))
                try await Task.sleep(for: .milliseconds(Int.random(in: base...(2 * base))))
                logger.debug("retrying a transaction", metadata: ["sqlstate": "\(Self.sqlState(error) ?? "-")"])
            }
        }
    }

    static let maxAttempts = 30

    /// serialization_failure, deadlock_detected, lock_not_available.
    static func isTransient(_ error: PSQLError) -> Bool {
        ["40001", "40P01", "55P03"].contains(sqlState(error) ?? "")
    }

    static func sqlState(_ error: PSQLError) -> String? {
        error.serverInfo?[.sqlState]
    }

    /// unique_violation.
    static func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? PSQLError).flatMap(sqlState) == "23505"
    }
}

extension PostgresStore: StoreHealth {
    /// One round trip to the database.
    public func checkReady() async throws {
        try await client.query("SELECT 1", logger: logger)
    }
}
