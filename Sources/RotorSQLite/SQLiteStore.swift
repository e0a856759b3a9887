import Foundation
import GRDB
public import RotorCore

/// Rotor's embedded store: one SQLite file through GRDB.
///
/// WAL journal with `synchronous=FULL`, so every committed write (a login, a rotation) is on disk before it is
/// answered and survives `kill -9` or a power cut; every write is one `BEGIN IMMEDIATE` transaction on GRDB's
/// single writer connection, so the decision and its effect of a rotation can never interleave with another.
public final class SQLiteStore: Sendable {
    let pool: DatabasePool
    /// The file the store lives in.
    public let path: String
    /// Refreshes, batched into shared transactions under load.
    let rotations: GroupCommit<RotationRequest, RotationOutcome>

    /// Opens (creating if needed) the database at `path` and migrates it to the current schema.
    /// - Parameter path: The file path.
    /// - Throws: A GRDB error when the file cannot be opened or migrated.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        configuration.label = "rotor"
        let pool = try DatabasePool(path: path, configuration: configuration)
        // DatabasePool sets synchronous=NORMAL on its writer once opened (docs/dependencies.md, GRDB); FULL makes every commit
        // wait for the WAL fsync, which the durability guarantee (docs/protocol.md) needs.
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Every rotation looks up a random token and session: with SQLite's default 2 MiB page cache the writer
            // reads most of their pages back from the OS (5 % of a refresh in pread calls at 60,000 sessions).
            // 16 MiB holds the indexes of a few hundred thousand sessions, inside the memory budget (README).
            try db.execute(sql: "PRAGMA cache_size = -16384")
        }
        try SQLiteMigrations.migrator.migrate(pool)
        self.pool = pool
        self.path = path
        self.rotations = GroupCommit(pool: pool) { request, db in try Self.rotate(request, db: db) }
    }

    /// The writer connection's `synchronous` setting (2 is FULL), for tests that hold the store to its promise.
    package func synchronousSetting() throws -> Int {
        try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// How many transactions the refresh group commit wrote, and how many refreshes they carried.
    package var rotationBatches: (batches: Int, requests: Int) { rotations.statistics }

    /// The journal mode (`wal`).
    package func journalMode() throws -> String {
        try pool.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }
}

extension SQLiteStore: StoreHealth {
    /// Reads a table, and checks that the file is still where it was opened: a database deleted or moved while
    /// the server runs would take every later write with it.
    public func checkReady() async throws {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreUnavailable.fileMissing }
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM signing_keys") }
    }
}

/// Why the store is not ready.
enum StoreUnavailable: Error {
    /// The database file is gone from its path.
    case fileMissing
}
