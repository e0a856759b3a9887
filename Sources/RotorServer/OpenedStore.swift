public import Logging
public import RotorCore
import RotorPostgres
import RotorSQLite
public import ServiceLifecycle

/// An open, migrated store, with the services it needs running while it is used.
public struct OpenedStore: Sendable {
    /// The store.
    public let store: any RotorStore
    /// What must run while the store is used: PostgreSQL's connection pool; nothing for SQLite.
    public let services: [any Service]
}

/// Opens the configured store and migrates it. Run its ``OpenedStore/services`` before using it, or use
/// ``withOpenStore(_:logger:_:)``.
/// - Parameters:
///   - location: Where it lives.
///   - logger: Where a shared store reports connection trouble.
/// - Returns: The store and its services.
/// - Throws: ``StoreOpenError`` when it cannot be opened or migrated.
public func openStore(_ location: DatabaseLocation, logger: Logger) async throws -> OpenedStore {
    do {
        switch location {
        case .sqlite(let path):
            return OpenedStore(store: try SQLiteStore(path: path), services: [])
        case .postgres(let url):
            let store = try await PostgresStore.connect(url, logger: logger)
            return OpenedStore(store: store, services: [store])
        }
    } catch {
        throw StoreOpenError(location: location, cause: error)
    }
}

/// Opens the store, runs its services in a `ServiceGroup` while `body` uses it, then shuts them down gracefully:
/// what `serve`, the admin commands and the tests do.
///
/// `serve` runs its application inside `body` rather than adding the store's services to the application's own
/// group, because the engine reads its signing keys from the store while the router is built, before that group
/// starts; this group starts first and stops last, after the server has drained its requests.
/// - Parameters:
///   - location: Where the store lives.
///   - logger: Where the store and its services report.
///   - body: Gets the open, migrated store.
/// - Returns: What `body` returns.
/// - Throws: ``StoreOpenError``, what `body` or a service throws.
public func withOpenStore<T>(
    _ location: DatabaseLocation,
    logger: Logger,
    _ body: (any RotorStore) async throws -> T
) async throws -> T {
    let opened = try await openStore(location, logger: logger)
    guard !opened.services.isEmpty else { return try await body(opened.store) }
    let group = ServiceGroup(
        configuration: .init(services: opened.services, gracefulShutdownSignals: [], logger: logger)
    )
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        do {
            let value = try await body(opened.store)
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
