import ArgumentParser
import Hummingbird
import Logging
import RotorServer

/// `rotor serve`: runs the auth server until SIGTERM or SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the auth server.",
        discussion: "Starts on SQLite in the working directory by default: `rotor serve` needs no set-up."
    )

    @OptionGroup var settings: SettingOptions

    func run() async throws {
        ProcessMemory.tune()
        let configuration = try settings.load()
        var logger = Logger(label: "rotor") { DeferredMetadataLogHandler(label: $0) }
        logger.logLevel = configuration.logLevel
        // The store's services (PostgreSQL's pool) run around the application: started first, stopped last.
        let started: Bool
        do {
            started = try await serve(configuration, logger: logger)
        } catch let error as StoreOpenError {
            printError("rotor: cannot start: \(error)")
            throw ExitCode.failure
        }
        if !started { throw ExitCode.failure }
    }

    private func serve(_ configuration: ServerConfiguration, logger: Logger) async throws -> Bool {
        try await withOpenStore(configuration.database, logger: logger) { store -> Bool in
            let app: any ApplicationProtocol
            do {
                app = try await makeServer(configuration: configuration, store: store, logger: logger) { port in
                    printLine("rotor listening on http://\(configuration.host):\(port)")
                }
            } catch {
                printError("rotor: cannot start: \(error)")
                return false
            }
            try await app.runService()
            return true
        }
    }
}

/// `rotor migrate`: brings the database schema up to date and exits.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create or upgrade the database schema, then exit.",
        discussion: "`rotor serve` migrates on start as well; this is for deploy pipelines."
    )

    @OptionGroup var settings: SettingOptions

    func run() async throws {
        let configuration = try settings.load()
        do {
            _ = try await openStore(configuration.database, logger: quietLogger(configuration))
            printLine("rotor: database is up to date")
        } catch {
            printError("rotor: cannot migrate: \(error)")
            throw ExitCode.failure
        }
    }
}
