import ArgumentParser
import RotorCore

/// `rotor sessions list|revoke`.
struct Sessions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "See and end a user's sessions.",
        subcommands: [List.self, Revoke.self, Mint.self]
    )

    /// `rotor sessions mint --email E --count N`.
    struct Mint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start sessions for a user without a password, for load tests and service accounts.",
            discussion: """
                Prints one line per session on standard output: the refresh token, a space, the access token.
                These are secrets: write them only where the user's own tokens could go. The session cap
                (ROTOR_MAX_SESSIONS_PER_USER) applies: beyond it the oldest sessions are evicted. With
                --client-id, each session is the app's, as its code grant would make it: it refreshes only at
                /oauth/token with that client's authentication, and its endings reach the app's back channel.
                """
        )
        @Option(help: "The account's email address.") var email: String
        @Option(help: "How many sessions (1 to 1000000).") var count: Int = 1
        @Option(help: "A registered client whose sessions these are (default: none, like a login).") var clientId:
            String?
        @OptionGroup var settings: SettingOptions

        func validate() throws {
            guard (1...1_000_000).contains(count) else { throw ValidationError("--count must be from 1 to 1000000") }
        }

        func run() async throws {
            try await AdminContext.with(settings) { context in
                let user = try await context.user(email: email)
                var app: ClientRecord?
                if let clientId { app = try await context.engine.client(id: clientId) }
                var lines: [String] = []
                lines.reserveCapacity(min(count, 4096))
                for index in 0..<count {
                    let tokens = try await context.engine.startSession(
                        userId: user.id,
                        deviceName: app?.metadata.name ?? "minted",
                        app: app
                    )
                    lines.append("\(tokens.refreshToken.value) \(tokens.accessToken)")
                    if lines.count == 4096 || index == count - 1 {
                        printLine(lines.joined(separator: "\n"))
                        lines.removeAll(keepingCapacity: true)
                    }
                }
            }
        }
    }

    /// `rotor sessions list --email E`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a user's live sessions, newest first.")
        @Option(help: "The account's email address.") var email: String
        @OptionGroup var settings: SettingOptions

        func run() async throws {
            try await AdminContext.with(settings) { context in
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
            try await AdminContext.with(settings) { context in
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
}

/// `rotor prune`.
struct Prune: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Delete expired sessions and tokens, old events and old failed-login records.",
        discussion: "`rotor serve` also prunes every ROTOR_PRUNE_INTERVAL seconds (default 3600)."
    )
    @OptionGroup var settings: SettingOptions

    func run() async throws {
        try await AdminContext.with(settings) { context in
            let report = try await context.engine.prune()
            printLine(
                "pruned \(report.sessions) sessions, \(report.refreshTokens) refresh tokens, \(report.events) events, "
                    + "\(report.loginFailures) failed-login records, \(report.signingKeys) retired signing keys"
            )
        }
    }
}
