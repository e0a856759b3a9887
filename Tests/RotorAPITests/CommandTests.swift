import Foundation
import RotorTestSupport
import Testing

/// The admin commands of docs/operations.md, run as the built binary against the database of a running server.
@Suite("rotor admin commands", .serialized)
struct CommandTests {
    static func rotor(
        _ arguments: [String],
        database path: String,
        input: String? = nil
    ) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        try RotorProcess.runToEnd(
            arguments: arguments + ["--database-url", "sqlite://\(path)"],
            workingDirectory: URL(fileURLWithPath: path).deletingLastPathComponent(),
            input: input
        )
    }

    @Test("users create reads the password from stdin (one trailing newline dropped); a taken email fails in one line")
    func usersCreate() async throws {
        try await InProcessServer.run { http, path in
            let created = try Self.rotor(
                ["users", "create", "--email", "Ops@Example.com"],
                database: path,
                input: "pass word \n"
            )
            #expect(created.status == 0 && created.stdout.contains("ops@example.com"), "\(created.stderr)")
            #expect(try await http.login("ops@example.com", "pass word ").status == 200)
            #expect(try await http.login("ops@example.com", "pass word \n").status == 401)
            let again = try Self.rotor(
                ["users", "create", "--email", "ops@example.com"],
                database: path,
                input: "another one"
            )
            #expect(again.status == 1)
            #expect(again.stderr.split(separator: "\n").count == 1 && again.stderr.contains("already in use"))
            let short = try Self.rotor(["users", "create", "--email", "x@example.com"], database: path, input: "short")
            #expect(short.status == 1 && short.stderr.contains("password"))
            let list = try Self.rotor(["users", "list"], database: path)
            #expect(list.stdout.contains("ops@example.com"))
        }
    }

    @Test("users disable and enable, sessions list and revoke, while serve runs on the same file")
    func usersAndSessions() async throws {
        try await InProcessServer.run { http, path in
            try await http.signUp("ada@example.com", "correct horse")
            let one = try await http.signIn(extra: ["device_name": "Phone"])
            let two = try await http.signIn()

            let list = try Self.rotor(["sessions", "list", "--email", "ada@example.com"], database: path)
            #expect(list.status == 0)
            #expect(
                list.stdout.contains(one.session) && list.stdout.contains(two.session) && list.stdout.contains("Phone")
            )

            let revokeOne = try Self.rotor(
                ["sessions", "revoke", "--email", "ada@example.com", "--session", one.session],
                database: path
            )
            #expect(revokeOne.status == 0, "\(revokeOne.stderr)")
            #expect(try await SessionManagementTests.endCause(http, one)?.contains("admin") == true)
            let missing = try Self.rotor(
                ["sessions", "revoke", "--email", "ada@example.com", "--session", one.session],
                database: path
            )
            #expect(missing.status == 1)

            let disable = try Self.rotor(["users", "disable", "--email", "ada@example.com"], database: path)
            #expect(disable.status == 0)
            #expect(try await SessionManagementTests.endCause(http, two)?.contains("user_disabled") == true)
            #expect(try await http.login("ada@example.com", "correct horse").error == "account_disabled")
            let enable = try Self.rotor(["users", "enable", "--email", "ada@example.com"], database: path)
            #expect(enable.status == 0)
            _ = try await http.signIn()
            let revokeAll = try Self.rotor(["sessions", "revoke", "--email", "ada@example.com"], database: path)
            #expect(revokeAll.status == 0 && revokeAll.stdout.contains("revoked 1 session"))
            let nobody = try Self.rotor(["users", "disable", "--email", "nobody@example.com"], database: path)
            #expect(nobody.status == 1 && nobody.stderr.contains("no account"))
        }
    }

    @Test("prune and migrate run, and every command explains itself")
    func pruneAndHelp() async throws {
        try await InProcessServer.run { _, path in
            let prune = try Self.rotor(["prune"], database: path)
            #expect(prune.status == 0 && prune.stdout.hasPrefix("pruned "))
            let migrate = try Self.rotor(["migrate"], database: path)
            #expect(migrate.status == 0)
            for command in [
                ["users", "create"], ["users", "disable"], ["users", "enable"], ["sessions", "list"],
                ["sessions", "revoke"], ["prune"], ["migrate"], ["serve"],
            ] {
                let help = try RotorProcess.runToEnd(
                    arguments: command + ["--help"],
                    workingDirectory: URL(fileURLWithPath: path).deletingLastPathComponent()
                )
                #expect(help.status == 0 && help.stdout.contains("USAGE"), "\(command)")
            }
        }
    }
}
