import ArgumentParser
import Logging
import RotorCore
import RotorServer

/// What the admin commands share: the same settings and database as `serve`, an engine, and a quiet logger
/// (commands print their results; warnings and errors still reach standard error).
struct AdminContext {
    let engine: TokenEngine

    /// Runs `body` with an engine on the configured store, open (its services running) for as long as `body` runs;
    /// a store or key that cannot be opened exits 1 with one line.
    static func with(_ settings: SettingOptions, _ body: (AdminContext) async throws -> Void) async throws {
        let configuration = try settings.load()
        let logger = quietLogger(configuration)
        do {
            try await withOpenStore(configuration.database, logger: logger) { store in
                let engine: TokenEngine
                do {
                    engine = try await makeEngine(configuration: configuration, store: store, logger: logger)
                } catch {
                    printError("rotor: cannot open the database: \(error)")
                    throw ExitCode.failure
                }
                try await body(AdminContext(engine: engine))
            }
        } catch let error as StoreOpenError {
            printError("rotor: cannot open the database: \(error)")
            throw ExitCode.failure
        }
    }

    /// The account with this email, or exit 1 with one line.
    func user(email: String) async throws -> UserRecord {
        guard let user = try await engine.user(email: email) else {
            printError("rotor: no account with the email \(email)")
            throw ExitCode.failure
        }
        return user
    }
}

/// The commands' logger: their results go to standard output; only warnings and errors reach standard error.
func quietLogger(_ configuration: ServerConfiguration) -> Logger {
    var logger = Logger(label: "rotor")
    logger.logLevel = max(configuration.logLevel, .warning)
    return logger
}
