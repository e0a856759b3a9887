import Foundation
import RotorCore
import RotorProtocol
import RotorTestSupport
import Testing

/// `/v1/admin/clients` on both stores, and `rotor clients …` through the built binary.
@Suite("Clients: the admin API and the commands")
struct ClientAdminTests {
    /// Makes `root@example.com` an admin: signed up over HTTP, given the role in the test's database. (The
    /// `rotor users create --admin` command is tested in `AdminAndLimitsTests`; run here it hashed with the
    /// production scrypt cost, seconds of CPU per call that the suites running beside it felt.)
    static func admin(_ http: TestHTTP, _ database: TestDatabase) async throws -> [(String, String)] {
        try await http.adminAuthorization(database)
    }

    @Test("register, list, show, rotate, delete; the secret is shown once and never cached", arguments: StoreKind.all)
    func lifecycle(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, database in
            let auth = try await Self.admin(http, database)
            let created = try await http.post(
                "/v1/admin/clients",
                body: ClientRegistrationRequest(
                    clientId: "wiki",
                    clientName: "Wiki",
                    redirectURIs: ["https://wiki.example/callback"],
                    postLogoutRedirectURIs: ["https://wiki.example/"],
                    backchannelLogoutURI: "https://wiki.example/backchannel",
                    firstParty: true
                ),
                headers: auth
            )
            #expect(created.status == 201 && created.header("Cache-Control") == "no-store", "\(created.text)")
            let information = try created.decode(ClientInformation.self)
            let secret = try #require(information.clientSecret)
            #expect(secret.hasPrefix("rcs_"))
            #expect(information.grantTypes == ["authorization_code", "refresh_token"])
            #expect(information.responseTypes == ["code"] && information.scope == "openid email")
            #expect(information.tokenEndpointAuthMethod == "client_secret_basic")
            #expect(information.idTokenSignedResponseAlg == "RS256" && information.firstParty)
            #expect(information.backchannelLogoutSessionRequired && information.clientSecretExpiresAt == 0)

            let shown = try await http.send(.GET, "/v1/admin/clients/wiki", headers: auth)
            var expected = information
            expected.clientSecret = nil
            #expect(try shown.decode(ClientInformation.self) == expected)
            #expect(!shown.text.contains(secret))
            let listed = try await http.send(.GET, "/v1/admin/clients", headers: auth)
            #expect(try listed.decode(ClientList.self).clients == [expected])

            let rotated = try await http.post(
                "/v1/admin/clients/wiki/secret",
                body: ClientSecretRotationRequest(overlap: 60),
                headers: auth
            )
            let next = try rotated.decode(ClientSecretResponse.self)
            #expect(next.clientId == "wiki" && next.clientSecret != secret && next.clientSecret.hasPrefix("rcs_"))
            #expect(rotated.header("Cache-Control") == "no-store")

            let taken = try await http.post(
                "/v1/admin/clients",
                body: ClientRegistrationRequest(clientId: "wiki", redirectURIs: ["https://x.example/cb"]),
                headers: auth
            )
            #expect(taken.status == 409 && taken.error == "client_exists")
            #expect(try await http.send(.DELETE, "/v1/admin/clients/wiki", headers: auth).status == 204)
            #expect(try await http.send(.GET, "/v1/admin/clients/wiki", headers: auth).status == 404)
            #expect(try await http.send(.DELETE, "/v1/admin/clients/wiki", headers: auth).status == 404)
            #expect(
                try await http.send(.GET, "/v1/admin/clients", headers: auth).decode(ClientList.self).clients.isEmpty
            )
        }
    }

    @Test("bad registrations get 400 naming the field; only admins may call", arguments: StoreKind.all)
    func refusals(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, database in
            let auth = try await Self.admin(http, database)
            let bad: [(ClientRegistrationRequest, String)] = [
                (ClientRegistrationRequest(redirectURIs: ["http://wiki.example/cb"]), "redirect_uris"),
                (ClientRegistrationRequest(), "redirect_uris"),
                (ClientRegistrationRequest(grantTypes: ["password"]), "grant_types"),
                (ClientRegistrationRequest(grantTypes: ["implicit"]), "grant_types"),
                (
                    ClientRegistrationRequest(grantTypes: ["client_credentials"], tokenEndpointAuthMethod: "none"),
                    "grant_types"
                ),
                (
                    ClientRegistrationRequest(
                        grantTypes: ["client_credentials"],
                        tokenEndpointAuthMethod: "client_secret_jwt"
                    ), "token_endpoint_auth_method"
                ),
                (ClientRegistrationRequest(clientId: "rotor", grantTypes: ["client_credentials"]), "client_id"),
                (ClientRegistrationRequest(clientId: "a/b", grantTypes: ["client_credentials"]), "client_id"),
                (
                    ClientRegistrationRequest(grantTypes: ["client_credentials"], idTokenSignedResponseAlg: "none"),
                    "id_token_signed_response_alg"
                ),
                (
                    ClientRegistrationRequest(
                        grantTypes: ["client_credentials"],
                        tokenEndpointAuthMethod: "private_key_jwt",
                        jwks: .object(["keys": .array([])])
                    ), "jwks"
                ),
            ]
            for (request, field) in bad {
                let answer = try await http.post("/v1/admin/clients", body: request, headers: auth)
                #expect(answer.status == 400 && answer.error == "invalid_request", "\(field): \(answer.text)")
                #expect(try answer.errorBody().errorDescription.contains(field), "\(answer.text)")
            }
            let noSecret = try await http.post(
                "/v1/admin/clients",
                body: ClientRegistrationRequest(
                    clientId: "cli",
                    redirectURIs: ["http://127.0.0.1/cb"],
                    tokenEndpointAuthMethod: "none"
                ),
                headers: auth
            )
            #expect(try noSecret.decode(ClientInformation.self).clientSecret == nil)
            let rotate = try await http.post(
                "/v1/admin/clients/cli/secret",
                body: ClientSecretRotationRequest(),
                headers: auth
            )
            #expect(rotate.status == 400 && rotate.text.contains("token_endpoint_auth_method"))
            let overlap = try await http.post(
                "/v1/admin/clients/cli/secret",
                body: ClientSecretRotationRequest(overlap: -1),
                headers: auth
            )
            #expect(overlap.status == 400 && overlap.text.contains("overlap"))
            #expect(try await http.send(.GET, "/v1/admin/clients").status == 401)
            let person = try await http.newAccount()
            let forbidden = try await http.send(
                .GET,
                "/v1/admin/clients",
                headers: [("Authorization", "Bearer \(person.access)")]
            )
            #expect(forbidden.status == 403 && forbidden.error == "forbidden")
            #expect(
                try await http.send(.GET, "/v1/admin/clients", headers: auth).decode(ClientList.self).clients.map(
                    \.clientId
                ) == ["cli"]
            )
        }
    }

    @Test("rotor clients create|show|list|rotate-secret|delete on the server's database")
    func commands() async throws {
        try await TemporaryDirectory.with { directory in
            let url = "sqlite://\(directory.path("rotor.sqlite"))"
            func rotor(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
                try RotorProcess.runToEnd(
                    arguments: arguments + ["--database-url", url],
                    workingDirectory: directory.url,
                    input: ""
                )
            }
            let created = try rotor([
                "clients", "create", "--client-id", "wiki", "--client-name", "Wiki", "--redirect-uri",
                "https://wiki.example/cb", "--redirect-uri", "http://127.0.0.1/cb", "--scope", "openid email profile",
                "--first-party",
            ])
            #expect(created.status == 0, "\(created.stderr)")
            let information = try JSONDecoder().decode(ClientInformation.self, from: Data(created.stdout.utf8))
            let secret = try #require(information.clientSecret)
            #expect(information.redirectURIs == ["https://wiki.example/cb", "http://127.0.0.1/cb"])
            #expect(information.scope == "openid email profile" && information.firstParty)

            let machine = try rotor([
                "clients", "create", "--client-id", "backup-job", "--grant-type", "client_credentials",
                "--token-endpoint-auth-method", "client_secret_post", "--scope", "backups", "--audience", "backups-api",
            ])
            #expect(machine.status == 0, "\(machine.stderr)")
            let job = try JSONDecoder().decode(ClientInformation.self, from: Data(machine.stdout.utf8))
            #expect(
                job.audience == "backups-api" && job.grantTypes == ["client_credentials"] && job.responseTypes.isEmpty
            )
            #expect(try JSONDecoder().decode(ClientInformation.self, from: Data(created.stdout.utf8)).audience == nil)

            let shown = try rotor(["clients", "show", "wiki"])
            #expect(
                shown.status == 0 && !shown.stdout.contains(secret) && shown.stdout.contains("\"client_id\" : \"wiki\"")
            )
            let listed = try rotor(["clients", "list"])
            #expect(
                listed.stdout.split(separator: "\n").map { $0.split(separator: " ").first } == ["backup-job", "wiki"]
            )

            let rotated = try rotor(["clients", "rotate-secret", "wiki", "--overlap", "3600"])
            let next = try JSONDecoder().decode(ClientSecretResponse.self, from: Data(rotated.stdout.utf8))
            #expect(next.clientId == "wiki" && next.clientSecret != secret)

            // No secret is in the database file in usable form.
            let file = try Data(contentsOf: URL(fileURLWithPath: directory.path("rotor.sqlite")))
            for text in [secret, next.clientSecret] { #expect(file.range(of: Data(text.utf8)) == nil) }

            let bad = try rotor(["clients", "create", "--redirect-uri", "http://wiki.example/cb"])
            #expect(bad.status == 1 && bad.stdout.isEmpty)
            #expect(bad.stderr.contains("rotor: cannot register the client: redirect_uris"), "\(bad.stderr)")
            let unknown = try rotor(["clients", "show", "nope"])
            #expect(unknown.status == 1 && unknown.stderr.contains("not found"))
            #expect(try rotor(["clients", "delete", "wiki"]).stdout == "deleted wiki\n")
            #expect(try rotor(["clients", "delete", "wiki"]).status == 1)
        }
    }
}
