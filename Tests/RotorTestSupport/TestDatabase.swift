import Foundation
import Logging
import PostgresNIO
public import RotorCore
import RotorPostgres
import RotorSQLite
public import RotorServer
import Synchronization

/// The stores a store test runs on: SQLite always; PostgreSQL when `ROTOR_TEST_POSTGRES_URL` names a server, and
/// always when `CI` is set, so that a CI run without a database fails instead of skipping it.
public enum StoreKind: String, Sendable, CaseIterable, CustomStringConvertible {
    /// A SQLite file in a temporary folder.
    case sqlite
    /// A fresh database on the test PostgreSQL server.
    case postgres

    /// The kinds to test here.
    public static var all: [StoreKind] {
        TestDatabase.postgresServer != nil || TestDatabase.inCI ? [.sqlite, .postgres] : [.sqlite]
    }

    /// The kind's name, as tests show it.
    public var description: String { rawValue }
}

/// A database that exists for one test: a SQLite file in a temporary folder, or a PostgreSQL database created
/// for the test on the test server and dropped after it.
public struct TestDatabase: Sendable {
    /// Where it is.
    public let location: DatabaseLocation
    /// `ROTOR_DATABASE_URL` for it (for child `rotor` processes).
    public let url: String

    init(location: DatabaseLocation, url: String) {
        self.location = location
        self.url = url
    }

    /// The admin URL of the test PostgreSQL server (`scripts/test` starts one and sets it).
    public static var postgresServer: String? {
        ProcessInfo.processInfo.environment["ROTOR_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var inCI: Bool {
        ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty && $0 != "0" && $0 != "false" } ?? false
    }

    /// Makes a database of `kind`, runs `body`, and removes the database, also on failure.
    /// - Throws: ``TestDatabaseError/noPostgres`` for PostgreSQL without a server; what `body` throws.
    public static func with<T>(_ kind: StoreKind, _ body: (TestDatabase) async throws -> T) async throws -> T {
        switch kind {
        case .sqlite:
            return try await TemporaryDirectory.with { directory in
                let path = directory.path("rotor.sqlite")
                return try await body(TestDatabase(location: .sqlite(path: path), url: "sqlite://\(path)"))
            }
        case .postgres:
            guard let server = postgresServer else { throw TestDatabaseError.noPostgres }
            let admin = try PostgresURL(server)
            let name = "rotor_test_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
            try await execute("CREATE DATABASE \(name)", on: admin)
            var url = admin
            url.database = name
            let text =
                "postgres://\(url.username)\(url.password.map { ":\($0)" } ?? "")@\(url.host):\(url.port)/\(name)"
                + "?sslmode=\(url.tls.rawValue)"
            let database = TestDatabase(location: .postgres(url), url: text)
            do {
                let value = try await body(database)
                try await execute("DROP DATABASE \(name) WITH (FORCE)", on: admin)
                return value
            } catch {
                try? await execute("DROP DATABASE \(name) WITH (FORCE)", on: admin)
                throw error
            }
        }
    }

    /// Opens the database as Rotor's store (with PostgreSQL's pool running) while `body` uses it.
    public func withStore<T>(_ body: (any RotorStore) async throws -> T) async throws -> T {
        try await withOpenStore(location, logger: InProcessServer.quietLogger, body)
    }

    private static func execute(_ sql: String, on url: PostgresURL) async throws {
        let connection = try await PostgresConnection.connect(
            configuration: .init(
                host: url.host,
                port: url.port,
                username: url.username,
                password: url.password,
                database: url.database,
                tls: .disable
            ),
            id: 1,
            logger: InProcessServer.quietLogger
        )
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: InProcessServer.quietLogger)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

/// Why a test database could not be made.
public enum TestDatabaseError: Error, CustomStringConvertible {
    /// PostgreSQL was asked for, and there is no server.
    case noPostgres

    /// The failure in words.
    public var description: String {
        "no PostgreSQL for the tests: ROTOR_TEST_POSTGRES_URL is not set (scripts/test starts a server and sets it)"
    }
}

/// Row counts, which both stores give to tests that hold them to bounded growth.
package protocol RowCountingStore: RotorStore {
    /// Rows per growing table.
    func rowCounts() async throws -> [String: Int]
}

extension SQLiteStore: RowCountingStore {}
extension PostgresStore: RowCountingStore {}
