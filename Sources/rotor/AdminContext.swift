import ArgumentParser
import Logging
import RotorCore
import RotorServer

/// What the admin commands share: the same settings and database as `serve`, an engine, and a quiet logger
/// (commands print their results; warnings and errors still reach standard error).
struct AdminContext {
    let engine: TokenEngine

    init(settings: SettingOptions) async throws {
        let configuration = try settings.load()
        let logger = quietLogger(configuration)
        do {
            engine = try await makeEngine(configuration: configuration, logger: logger).engine
        } catch {
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
