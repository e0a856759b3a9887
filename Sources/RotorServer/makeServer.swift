public import Hummingbird
public import Logging
import NIOCore
import RotorAPI
public import RotorCore
import RotorSQLite

/// Opens the configured store.
/// - Parameter location: Where it lives.
/// - Returns: The store.
/// - Throws: When it cannot be opened or migrated.
public func openStore(_ location: DatabaseLocation) throws -> any RotorStore {
    switch location {
    case .sqlite(let path):
        return try SQLiteStore(path: path)
    }
}

/// The composition root: opens the store, loads (or creates) the signing key, builds the engine and the router,
/// and returns the application, ready to run. `rotor serve` and the tests both start Rotor through here.
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
    let store = try openStore(configuration.database)
    let keys = try await KeyRing.load(from: store, now: clock.now())
    let engine = TokenEngine(
        configuration: configuration.engine,
        store: store,
        keys: keys,
        hasher: try PasswordHasher(parameters: configuration.scrypt),
        clock: clock,
        logger: logger
    )
    let router = buildRouter(engine: engine, health: store, options: APIOptions(allowSignup: configuration.allowSignup))
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "rotor"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
}
