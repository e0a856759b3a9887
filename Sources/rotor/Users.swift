import ArgumentParser
import Foundation
import RotorCore

/// `rotor users create|disable|enable|list`.
struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage accounts.",
        subcommands: [Create.self, Disable.self, Enable.self, List.self]
    )

    /// `rotor users create --email E [--admin]`, the password read from standard input.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an account; the password is read from standard input (one trailing newline dropped).",
            discussion: "Example: printf '%s' \"$PASSWORD\" | rotor users create --email ada@example.com --admin"
        )
        @Option(help: "The account's email address.") var email: String
        @Flag(help: "Grant the admin role (needed for /v1/admin/...).") var admin = false
        @OptionGroup var settings: SettingOptions

        func run() async throws {
            var data = FileHandle.standardInput.readDataToEndOfFile()
            if data.last == UInt8(ascii: "\n") { data.removeLast() }
            if data.last == UInt8(ascii: "\r") { data.removeLast() }
            let password = String(decoding: data, as: UTF8.self)
            try await AdminContext.with(settings) { context in
                do {
                    let user = try await context.engine.signUp(
                        email: email,
                        password: password,
                        roles: admin ? ["admin"] : []
                    )
                    printLine("created \(user.email) (id \(user.id))\(admin ? " with role admin" : "")")
                } catch let error as EngineError {
                    printError("rotor: cannot create the account: \(describe(error))")
                    throw ExitCode.failure
                }
            }
        }
    }

    /// `rotor users disable --email E`.
    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable an account: its sessions end at once and it can no longer log in."
        )
        @Option(help: "The account's email address.") var email: String
        @OptionGroup var settings: SettingOptions

        func run() async throws {
            try await Users.setDisabled(true, email: email, settings: settings)
        }
    }

    /// `rotor users enable --email E`.
    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled account.")
        @Option(help: "The account's email address.") var email: String
        @OptionGroup var settings: SettingOptions

        func run() async throws {
            try await Users.setDisabled(false, email: email, settings: settings)
        }
    }

    static func setDisabled(_ disabled: Bool, email: String, settings: SettingOptions) async throws {
        try await AdminContext.with(settings) { context in
            let user = try await context.user(email: email)
            try await context.engine.setDisabled(userId: user.id, disabled: disabled)
            printLine("\(disabled ? "disabled" : "enabled") \(user.email)")
        }
    }

    /// `rotor users list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the accounts.")
        @OptionGroup var settings: SettingOptions

        func run() async throws {
            try await AdminContext.with(settings) { context in
                for user in try await context.engine.users() {
                    let state = user.disabledAt == nil ? "enabled" : "disabled"
                    printLine("\(user.id)  \(user.email)  \(state)  roles=\(user.roles.joined(separator: ","))")
                }
            }
        }
    }
}

/// Words for an engine refusal on the command line.
func describe(_ error: EngineError) -> String {
    switch error {
    case .invalidField(let name, let reason): "\(name) \(reason)"
    case .emailTaken: "the email address is already in use"
    case .clientExists: "a client with this id is registered already"
    case .notFound: "not found"
    default: "\(error)"
    }
}
