import ArgumentParser

/// `rotor`: the auth server and its admin commands.
@main
struct Rotor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotor",
        abstract: "Rotor: an auth server with short-lived JWT access tokens and rotating refresh tokens.",
        discussion: """
            Every setting is a ROTOR_* environment variable and a flag of `rotor serve`; the flag wins.
            A bad setting stops start-up with one line naming it.
            """,
        subcommands: [Serve.self, Migrate.self, Users.self, Clients.self, Sessions.self, Keys.self, Prune.self],
        defaultSubcommand: nil
    )
}
