public import Hummingbird
public import Logging
import NIOCore
import Prometheus
import RotorAPI
public import RotorCore
import ServiceLifecycle

/// Loads (or creates) the signing key and the refresh-token tag key from an open store, and builds the engine:
/// what `serve` and the admin commands share.
/// - Parameters:
///   - configuration: The checked settings.
///   - store: The open store (see ``withOpenStore(_:logger:_:)``).
///   - logger: Where the engine logs.
///   - clock: The time source (tests inject one).
///   - metrics: Where the engine counts.
/// - Returns: The engine.
public func makeEngine(
    configuration: ServerConfiguration,
    store: any RotorStore,
    logger: Logger,
    clock: any RotorClock = SystemClock(),
    metrics: EngineMetrics = .none
) async throws -> TokenEngine {
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
        metrics: metrics,
        clientKeys: ClientKeySets(fetcher: ClientJWKSFetcher(timeoutSeconds: configuration.clientJWKSFetchSeconds))
    )
    return engine
}

/// The composition root: builds the engine and the router, and returns the application with its services
/// (the periodic prune), ready to run. `rotor serve` and the tests both start Rotor through here.
/// - Parameters:
///   - configuration: The checked settings.
///   - store: The open store (see ``withOpenStore(_:logger:_:)``), which must stay open while the application runs.
///   - logger: Where the server logs.
///   - clock: The time source (tests inject one).
///   - onServerRunning: Called with the bound port once the server listens.
/// - Returns: The application.
public func makeServer(
    configuration: ServerConfiguration,
    store: any RotorStore,
    logger: Logger,
    clock: any RotorClock = SystemClock(),
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    // One Prometheus registry per server (not the process-wide default), so that servers in one process —
    // tests — do not mix their figures.
    let registry = PrometheusCollectorRegistry()
    let metricsFactory = PrometheusMetricsFactory(registry: registry)
    let engine = try await makeEngine(
        configuration: configuration,
        store: store,
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
        server: .http1OnEventLoops(configuration: .init(idleTimeout: .seconds(configuration.idleTimeoutSeconds))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "rotor"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
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
    app.addServices(
        BackchannelLogoutService(
            engine: engine,
            interval: .milliseconds(configuration.backchannelPollMilliseconds),
            logger: logger
        )
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
