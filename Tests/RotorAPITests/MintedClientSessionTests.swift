import Foundation
import RotorProtocol
import RotorTestSupport
import Testing

/// `rotor sessions mint --client-id`: sessions of an app without a browser, for load tests of the app's refresh.
/// They are the app's as a code grant would make them: they refresh only at `/oauth/token` with that client's
/// authentication, and the session list names the client.
@Suite("rotor sessions mint --client-id")
struct MintedClientSessionTests {
    @Test("minted client sessions refresh only for their client, and the session list names it")
    func mintedForAClient() async throws {
        try await TemporaryDirectory.with { directory in
            let database = "sqlite://\(directory.path("rotor.sqlite"))"
            // One issuer for the server and the commands: the access tokens the command mints verify at the server.
            let environment = ["ROTOR_DATABASE_URL": database, "ROTOR_ISSUER": "http://rotor-mint.test"]
            let server = try RotorProcess(
                environment: environment.merging(["ROTOR_PORT": "0"]) { first, _ in first },
                workingDirectory: directory.url
            )
            defer { server.stop() }
            var secrets: [String: String] = [:]
            for app in ["wiki", "blog"] {
                let created = try RotorProcess.runToEnd(
                    arguments: [
                        "clients", "create", "--client-id", app, "--redirect-uri", "https://\(app).example/cb",
                    ],
                    environment: environment,
                    workingDirectory: directory.url
                )
                #expect(created.status == 0, "\(created.stderr)")
                secrets[app] = try JSONDecoder().decode(ClientInformation.self, from: Data(created.stdout.utf8))
                    .clientSecret
            }
            let user = try RotorProcess.runToEnd(
                arguments: ["users", "create", "--email", "ada@example.com"],
                environment: environment,
                workingDirectory: directory.url,
                input: "correct horse battery"
            )
            #expect(user.status == 0, "\(user.stderr)")
            let minted = try RotorProcess.runToEnd(
                arguments: ["sessions", "mint", "--email", "ada@example.com", "--count", "2", "--client-id", "wiki"],
                environment: environment,
                workingDirectory: directory.url
            )
            #expect(minted.status == 0, "\(minted.stderr)")
            let pairs = minted.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            #expect(pairs.count == 2 && pairs.allSatisfy { $0.count == 2 })
            let (refresh, access) = (pairs[0][0], pairs[0][1])

            let http = TestHTTP(port: server.port)
            func oauthRefresh(_ token: String, as app: String) async throws -> HTTPAnswer {
                try await OAuthEndpointsTests.form(
                    http,
                    "/oauth/token",
                    "grant_type=refresh_token&refresh_token=\(token)",
                    headers: [CodeGrantEndpointTests.basic(app, secrets[app] ?? "")]
                )
            }
            // Another client, or none, cannot refresh it; and the refusals do not spend it.
            let foreign = try await oauthRefresh(refresh, as: "blog")
            #expect(foreign.status == 400 && foreign.error == "invalid_grant", "\(foreign.text)")
            let plain = try await http.refresh(refresh)
            #expect(plain.status != 200, "\(plain.text)")
            let own = try await oauthRefresh(refresh, as: "wiki")
            #expect(own.status == 200, "\(own.text)")
            #expect(own.string("refresh_token").map { $0 != refresh } == true)

            let sessions = try await http.get("/v1/sessions", bearer: access).sessions()
            #expect(sessions.count == 2 && sessions.allSatisfy { $0.clientId == "wiki" }, "\(sessions)")

            let unknown = try RotorProcess.runToEnd(
                arguments: ["sessions", "mint", "--email", "ada@example.com", "--client-id", "nobody"],
                environment: environment,
                workingDirectory: directory.url
            )
            #expect(unknown.status != 0 && unknown.stdout.isEmpty)
        }
    }
}
