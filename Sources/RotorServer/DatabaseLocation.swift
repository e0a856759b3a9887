public import RotorPostgres

/// Where the store lives, parsed from `ROTOR_DATABASE_URL` (docs/operations.md, §7).
public enum DatabaseLocation: Sendable, Equatable {
    /// A SQLite file: `sqlite://rotor.sqlite` is relative to the working directory,
    /// `sqlite:///abs/path/rotor.sqlite` absolute.
    case sqlite(path: String)
    /// A PostgreSQL database shared by any number of instances: `postgres://user:password@host:port/db`.
    case postgres(PostgresURL)

    /// Parses a database URL.
    /// - Parameter url: The URL text.
    /// - Returns: The location.
    /// - Throws: The reason it cannot be used, in words.
    static func parse(_ url: String) throws(LocationProblem) -> DatabaseLocation {
        if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard !path.isEmpty, !path.hasSuffix("/") else {
                throw LocationProblem(text: "expected sqlite://FILE or sqlite:///ABSOLUTE/PATH, got '\(url)'")
            }
            return .sqlite(path: path)
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            do {
                return .postgres(try PostgresURL(url))
            } catch {
                // Never quote the URL: it may hold the password.
                throw LocationProblem(text: error.description)
            }
        }
        throw LocationProblem(text: "expected sqlite://FILE or postgres://USER:PASSWORD@HOST:PORT/DATABASE")
    }
}

/// Why a database URL cannot be used.
struct LocationProblem: Error {
    var text: String
}
