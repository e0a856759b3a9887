import ArgumentParser
import Logging
import RotorCore
import RotorServer

/// `rotor keys list|rotate`.
struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "See and rotate the signing keys.",
        subcommands: [List.self, Rotate.self]
    )

    /// `rotor keys list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the signing keys: the one that signs, the retired ones still published, the expired ones."
        )
        @OptionGroup var settings: SettingOptions

        func run() async throws {
            let configuration = try settings.load()
            try await Keys.withStore(configuration) { store in
                let infos = KeyRing.describe(
                    try await store.signingKeys(),
                    now: SystemClock().now(),
                    publicationWindow: configuration.engine.keyPublicationWindow
                )
                if infos.isEmpty { printLine("no signing key yet (`rotor serve` creates the first)") }
                for info in infos {
                    let retired = info.retiredAt.map { "  retired \($0.rfc3339)" } ?? ""
                    printLine(
                        "\(info.kid)  \(info.algorithm)  \(info.state.rawValue)  created \(info.createdAt.rfc3339)\(retired)"
                            + (info.sealed ? "  sealed" : "")
                    )
                }
            }
        }
    }

    /// `rotor keys rotate`.
    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a new signing key (of ROTOR_SIGNING_ALG) the current one.",
            discussion: """
                The new key signs at once on every instance (each re-reads the keys every 10 seconds). The old key
                stays in the JWKS until every token it signed has expired (ROTOR_ACCESS_TTL plus 30 s of leeway),
                then leaves it.
                """
        )
        @OptionGroup var settings: SettingOptions

        func run() async throws {
            let configuration = try settings.load()
            try await Keys.withStore(configuration) { store in
                do {
                    let kid = try await KeyRing.rotate(
                        in: store,
                        now: SystemClock().now(),
                        settings: configuration.keyRingSettings
                    )
                    printLine("rotated: \(kid) now signs")
                } catch let error as KeyError {
                    printError("rotor: \(error)")
                    throw ExitCode.failure
                }
            }
        }
    }

    /// Runs `body` with the configured store open (and its services running), or exits 1 with one line.
    static func withStore(
        _ configuration: ServerConfiguration,
        _ body: (any RotorStore) async throws -> Void
    )
        async throws
    {
        do {
            try await withOpenStore(configuration.database, logger: quietLogger(configuration), body)
        } catch let error as StoreOpenError {
            printError("rotor: cannot open the database: \(error)")
            throw ExitCode.failure
        }
    }
}
