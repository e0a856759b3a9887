import GRDB

/// Statements of the hot paths (refresh, login, authentication) come from each connection's statement cache:
/// compiling one costs more than running it (GRDB's authorizer walks every column), and a refresh runs five.
extension Database {
    /// Runs one cached statement.
    func run(sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }

    /// The first row of one cached statement.
    func row(sql: String, arguments: StatementArguments = StatementArguments()) throws -> Row? {
        try Row.fetchOne(cachedStatement(sql: sql), arguments: arguments)
    }

    /// Every row of one cached statement.
    func rows(sql: String, arguments: StatementArguments = StatementArguments()) throws -> [Row] {
        try Row.fetchAll(cachedStatement(sql: sql), arguments: arguments)
    }
}
