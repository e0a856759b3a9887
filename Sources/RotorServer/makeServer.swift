public import Hummingbird
public import Logging
import NIOCore
import Prometheus
import RotorAPI
public import RotorCore
import RotorPostgres
import RotorSQLite
import ServiceLifecycle

/// Opens the configured store and migrates it.
/// - Parameters:
///   - location: Where it lives.
///   - logger: Where a shared store reports connection trouble.
/// - Returns: The store.
/// - Throws: ``StoreOpenError`` when it cannot be opened or migrated.
public func openStore(_ location: DatabaseLocation, logger: Logger) async throws -> any RotorStore {
    do {
        switch location {
        case .sqlite(let path):
            return try SQLiteStore(path: path)
        case .postgres(let url):
            return try await PostgresStore.connect(url, logger: logger)
        }
    } catch {
        throw StoreOpenError(location: location, cause: error)
    }
}

/// Opens the store, loads (or creates) the signing key, and builds the engine: what `serve` and the admin
/// commands share.
/// - Parameters:
///   - configuration: The checked settings.
///   - logger: Where the engine logs.
///   - clock: The time source (tests inject one).
/// - Returns: The engine and its store.
public func makeEngine(
    configuration: ServerConfiguration,
    logger: Logger,
    clock: any RotorClock = SystemClock(),
    metrics: EngineMetrics = .none
) async throws -> (engine: TokenEngine, store: any RotorStore) {
    let store = try await openStore(configuration.database, logger: logger)
    let keys = try await KeyRing.load(from: store, now: clock.now(), settings: configuration.keyRingSettings)
    let engine = TokenEngine(
        configuration: configuration.engine,
        store: store,
        keys: keys,
        hasher: try PasswordHasher(
            parameters: configuration.scrypt,
            maxWaiting: configuration.hashQueueLimit,
            metrics: metrics
        ),
        tagger: try await RefreshTokenTagger.load(from: store, masterKey: configuration.masterKey),
        clock: clock,
        logger: logger,
        metrics: metrics
    )
    return (engine, store)
}

/// The composition root: builds the engine and the router, and returns the application with its services
/// (the periodic prune), ready to run. `rotor serve` and the tests both start Rotor through here.
/// - Parameters:
///   - configuration: The checked settings.
///   - logger: Where the server logs.
///   - clock: The time source (tests inject one).
///   - onServerRunning: Called with the bound port once the server listens.
/// - Returns: The application.
public func makeServer(
    configuration: ServerConfiguration,
    logger: Logger,
    clock: any RotorClock = SystemClock(),
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    // One Prometheus registry per server (not the process-wide default), so that servers in one process —
    // tests — do not mix their figures.
    let registry = PrometheusCollectorRegistry()
    let metricsFactory = PrometheusMetricsFactory(registry: registry)
    let (engine, store) = try await makeEngine(
        configuration: configuration,
        logger: logger,
        clock: clock,
        metrics: EngineMetrics(factory: metricsFactory)
    )
    let router = buildRouter(
        engine: engine,
        health: store,
        options: APIOptions(
            allowSignup: configuration.allowSignup,
            trustedProxies: configuration.trustedProxies,
            introspectionSecret: configuration.introspectionSecret,
            browser: configuration.browserPolicy,
            metricsFactory: metricsFactory,
            metricsText: { registry.emitToString() },
            dpopReplayCapacity: configuration.dpopReplayCapacity
        )
    )
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "rotor"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
    if let store = store as? PostgresStore {
        // Closes the connection pool once the server has stopped.
        app.addServices(store)
    }
    let keys = engine.keys
    app.addServices(
        PeriodicService(
            name: "signing key refresh",
            interval: .seconds(configuration.keyRefreshInterval),
            logger: logger
        ) {
            let before = keys.currentKid
            try await keys.refresh(from: store, now: clock.now())
            if keys.currentKid != before {
                logger.notice("signing key rotated", metadata: ["kid": "\(keys.currentKid)"])
            }
        }
    )
    if configuration.pruneInterval > 0 {
        app.addServices(
            PeriodicService(name: "prune", interval: .seconds(configuration.pruneInterval), logger: logger) {
                _ = try await engine.prune()
            }
        )
    }
    return app
}
