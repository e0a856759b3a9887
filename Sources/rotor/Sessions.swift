import ArgumentParser
import RotorCore

/// `rotor sessions list|revoke`.
struct Sessions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "See and end a user's sessions.",
        subcommands: [List.self, Revoke.self]
    )

    /// `rotor sessions list --email E`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a user's live sessions, newest first.")
        @Option(help: "The account's email address.") var email: String
        @OptionGroup var settings: SettingOptions

        func run() async throws {
            let context = try await AdminContext(settings: settings)
            let user = try await context.user(email: email)
            let sessions = try await context.engine.sessions(of: user.id)
            if sessions.isEmpty { printLine("no live session") }
            for session in sessions {
                let device = session.deviceName ?? "-"
                let ip = session.lastUsedBy.ip ?? "-"
                printLine(
                    "\(session.id)  created \(session.createdAt.rfc3339)  last used \(session.lastUsedAt.rfc3339)  "
                        + "expires \(session.refreshExpiresAt.rfc3339)  device \(device)  ip \(ip)"
                )
            }
        }
    }

    /// `rotor sessions revoke --email E [--session ID]`.
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "End one session of a user (--session), or all of them (cause: admin)."
        )
        @Option(help: "The account's email address.") var email: String
        @Option(help: "The session id (from `rotor sessions list`); all sessions when absent.") var session: String?
        @OptionGroup var settings: SettingOptions

        func run() async throws {
            let context = try await AdminContext(settings: settings)
            let user = try await context.user(email: email)
            if let session {
                do {
                    try await context.engine.revokeSession(id: session, userId: user.id, reason: .admin)
                } catch EngineError.notFound {
                    printError("rotor: \(user.email) has no live session \(session)")
                    throw ExitCode.failure
                }
                printLine("revoked session \(session)")
            } else {
                let count = try await context.engine.revokeAllSessions(userId: user.id, reason: .admin)
                printLine("revoked \(count) session\(count == 1 ? "" : "s") of \(user.email)")
            }
        }
    }
}

/// `rotor prune`.
struct Prune: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Delete expired sessions and tokens, old events and old failed-login records.",
        discussion: "`rotor serve` also prunes every ROTOR_PRUNE_INTERVAL seconds (default 3600)."
    )
    @OptionGroup var settings: SettingOptions

    func run() async throws {
        let context = try await AdminContext(settings: settings)
        let report = try await context.engine.prune()
        printLine(
            "pruned \(report.sessions) sessions, \(report.refreshTokens) refresh tokens, \(report.events) events, "
                + "\(report.loginFailures) failed-login records, \(report.signingKeys) retired signing keys"
        )
    }
}
