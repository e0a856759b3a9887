import ArgumentParser
import Foundation
import RotorAPI
import RotorCore
import RotorProtocol

/// `rotor clients create|list|show|delete|rotate-secret`: the apps that sign people in through Rotor, and the
/// machines that get tokens from it. The same as `/v1/admin/clients`.
struct Clients: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage clients (apps and services).",
        subcommands: [Create.self, List.self, Show.self, Delete.self, RotateSecret.self]
    )

    /// `rotor clients create …`: flags named after RFC 7591 metadata.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a client; prints its RFC 7591 client information as JSON (the secret only this once).",
            discussion: """
                --audience A sets the aud of the client's access tokens (default: the server's ROTOR_AUDIENCE).

                Example: rotor clients create --client-name "Wiki" --redirect-uri https://wiki.example.com/callback \\
                  --post-logout-redirect-uri https://wiki.example.com/ --first-party
                """
        )
        @Option(help: "The client id (default: generated).") var clientId: String?
        @Option(help: "The name people see at sign-in and consent.") var clientName: String?
        @Option(help: "A redirect URI, matched exactly (repeatable).") var redirectUri: [String] = []
        @Option(help: "A post-logout redirect URI (repeatable).") var postLogoutRedirectUri: [String] = []
        @Option(
            help: """
                A grant: authorization_code, refresh_token, client_credentials, \
                urn:ietf:params:oauth:grant-type:device_code (repeatable; default: authorization_code and refresh_token).
                """
        ) var grantType: [String] = []
        @Option(help: "none, client_secret_basic (default), client_secret_post or private_key_jwt.")
        var tokenEndpointAuthMethod: String?
        @Option(help: "Where the client's public keys are (private_key_jwt).") var jwksUri: String?
        @Option(help: "A file holding the client's public keys as a JWK set (private_key_jwt).") var jwksFile: String?
        @Option(help: "The scopes it may ask for, space-separated (default: \"openid email\").") var scope: String?
        @Option(help: "Where logout tokens are POSTed (Back-Channel Logout).") var backchannelLogoutUri: String?
        @Option(help: "RS256 (default), ES256 or EdDSA.") var idTokenSignedResponseAlg: String?
        @Flag(help: "A first-party app of the organisation: no consent screen.") var firstParty = false
        @OptionGroup var settings: SettingOptions

        func run() async throws {
            var jwks: JSONValue?
            if let jwksFile {
                guard let data = FileManager.default.contents(atPath: jwksFile),
                    let parsed = try? JSONDecoder().decode(JSONValue.self, from: data)
                else {
                    printError("rotor: cannot read a JSON JWK set from \(jwksFile)")
                    throw ExitCode.failure
                }
                jwks = parsed
            }
            let request = ClientRegistrationRequest(
                clientId: clientId,
                clientName: clientName,
                redirectURIs: redirectUri,
                postLogoutRedirectURIs: postLogoutRedirectUri,
                grantTypes: grantType.isEmpty ? nil : grantType,
                tokenEndpointAuthMethod: tokenEndpointAuthMethod,
                jwksURI: jwksUri,
                jwks: jwks,
                scope: scope,
                // `--audience` is the settings' flag too (the server's ROTOR_AUDIENCE); given here, it is the
                // client's audience, which is what registering a client means by it.
                audience: settings.audience,
                backchannelLogoutURI: backchannelLogoutUri,
                firstParty: firstParty,
                idTokenSignedResponseAlg: idTokenSignedResponseAlg
            )
            try await AdminContext.with(settings) { context in
                let registered = try await refusing("register the client") {
                    try await context.engine.registerClient(id: request.clientId, metadata: ClientMetadata(request))
                }
                try printJSON(ClientInformation(registered.client, secret: registered.secret))
            }
        }
    }

    /// `rotor clients list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the clients, one per line.")
        @OptionGroup var settings: SettingOptions

        func run() async throws {
            try await AdminContext.with(settings) { context in
                for client in try await context.engine.clients() {
                    let metadata = client.metadata
                    printLine(
                        "\(client.id)  \(metadata.tokenEndpointAuthMethod.rawValue)  "
                            + "grants=\(metadata.grantTypes.map(\.rawValue).joined(separator: ","))  "
                            + "\(metadata.firstParty ? "first-party" : "third-party")  \(metadata.name ?? "")"
                    )
                }
            }
        }
    }

    /// `rotor clients show CLIENT_ID`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a client's information as JSON (no secret).")
        @Argument(help: "The client id.") var clientId: String
        @OptionGroup var settings: SettingOptions

        func run() async throws {
            try await AdminContext.with(settings) { context in
                let client = try await refusing("show \(clientId)") { try await context.engine.client(id: clientId) }
                try printJSON(ClientInformation(client))
            }
        }
    }

    /// `rotor clients delete CLIENT_ID`.
    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a client: it can no longer authenticate, sign anyone in or refresh."
        )
        @Argument(help: "The client id.") var clientId: String
        @OptionGroup var settings: SettingOptions

        func run() async throws {
            try await AdminContext.with(settings) { context in
                try await refusing("delete \(clientId)") { try await context.engine.deleteClient(id: clientId) }
                printLine("deleted \(clientId)")
            }
        }
    }

    /// `rotor clients rotate-secret CLIENT_ID [--overlap SECONDS]`.
    struct RotateSecret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-secret",
            abstract: "Give a client a new secret; prints {\"client_id\", \"client_secret\"} as JSON.",
            discussion: "The old secret keeps working for --overlap seconds (default 0), so a fleet can roll over."
        )
        @Argument(help: "The client id.") var clientId: String
        @Option(help: "Seconds the old secret keeps working (0 to 2592000).") var overlap: Int = 0
        @OptionGroup var settings: SettingOptions

        func run() async throws {
            try await AdminContext.with(settings) { context in
                let secret = try await refusing("rotate the secret of \(clientId)") {
                    try await context.engine.rotateClientSecret(id: clientId, overlap: TimeInterval(overlap))
                }
                try printJSON(ClientSecretResponse(clientId: clientId, clientSecret: secret))
            }
        }
    }
}

/// Runs an engine call; a refusal exits 1 with one line saying what could not be done and why.
func refusing<T>(_ action: String, _ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as EngineError {
        printError("rotor: cannot \(action): \(describe(error))")
        throw ExitCode.failure
    }
}

/// Prints a value as indented JSON with sorted keys.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    printLine(String(decoding: try encoder.encode(value), as: UTF8.self))
}
