import PostgresNIO
import RotorPostgres

/// Why the store could not be opened, in one line for an operator, with no secret in it: the database URL
/// is shown without its password, and PostgreSQL's answer by its code and message only.
public struct StoreOpenError: Error, CustomStringConvertible {
    /// Where the store was to be.
    public let location: DatabaseLocation
    /// What failed.
    public let cause: any Error

    /// The one line `rotor` prints.
    public var description: String {
        switch location {
        case .sqlite(let path):
            return "cannot open the SQLite database \(path): \(cause)"
        case .postgres(let url):
            return "cannot use the PostgreSQL database \(url): \(Self.explain(cause))"
        }
    }

    /// postgres-nio's errors describe themselves generically on purpose (their bound values may be secrets);
    /// the code, the server's SQLSTATE and message, or the socket error say what went wrong without them.
    static func explain(_ error: any Error) -> String {
        if let transaction = error as? PostgresTransactionError,
            let cause = transaction.closureError ?? transaction.commitError ?? transaction.beginError
        {
            return explain(cause)
        }
        guard let error = error as? PSQLError else { return "\(error)" }
        if let info = error.serverInfo {
            let state = info[.sqlState] ?? "?"
            return "the server answered \(state): \(info[.message] ?? "no message")"
        }
        if let underlying = error.underlying {
            return "\(error.code): \(underlying)"
        }
        return "\(error.code)"
    }
}
