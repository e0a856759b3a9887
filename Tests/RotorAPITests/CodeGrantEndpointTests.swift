import Foundation
import RotorCore
import RotorProtocol
import RotorTestSupport
import Testing

/// `/oauth/token` for registered clients: client authentication by the registered method, and the RFC 6749 §5.2
/// answer for each refusal. (The whole flow, from `/oauth/authorize` on, is tested with the sign-in page.)
@Suite("Token endpoint: client authentication")
struct CodeGrantEndpointTests {
    static func register(
        _ http: TestHTTP,
        _ auth: [(String, String)],
        _ request: ClientRegistrationRequest
    )
        async throws -> ClientInformation
    {
        let answer = try await http.post("/v1/admin/clients", body: request, headers: auth)
        #expect(answer.status == 201, "\(answer.text)")
        return try answer.decode(ClientInformation.self)
    }

    /// Registers the confidential client `wiki` (redirect URI `https://wiki.example/cb`): its secret.
    static func registerWiki(_ http: TestHTTP, _ auth: [(String, String)]) async throws -> String {
        let wiki = try await register(
            http,
            auth,
            ClientRegistrationRequest(clientId: "wiki", redirectURIs: ["https://wiki.example/cb"])
        )
        return try #require(wiki.clientSecret)
    }

    /// Registers the public client `cli` (redirect URI `http://127.0.0.1/cb`, no secret).
    static func registerCLI(_ http: TestHTTP, _ auth: [(String, String)]) async throws {
        let cli = try await register(
            http,
            auth,
            ClientRegistrationRequest(
                clientId: "cli",
                redirectURIs: ["http://127.0.0.1/cb"],
                tokenEndpointAuthMethod: "none"
            )
        )
        #expect(cli.clientSecret == nil)
    }

    static func basic(_ id: String, _ secret: String) -> (String, String) {
        ("Authorization", "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString())
    }

    @Test(
        "each client authenticates by its registered method; every refusal is its RFC 6749 error",
        arguments: StoreKind.all
    )
    func clientAuthentication(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, database in
            let auth = try await ClientAdminTests.admin(http, database)
            let secret = try await Self.registerWiki(http, auth)
            try await Self.registerCLI(http, auth)
            let posted = try await Self.register(
                http,
                auth,
                ClientRegistrationRequest(
                    clientId: "posted",
                    redirectURIs: ["https://posted.example/cb"],
                    grantTypes: ["authorization_code"],
                    tokenEndpointAuthMethod: "client_secret_post"
                )
            )
            let postedSecret = try #require(posted.clientSecret)
            let code =
                "code=rac_\(String(repeating: "A", count: 43))&redirect_uri=https://wiki.example/cb&code_verifier=\(String(repeating: "v", count: 43))"
            let grant = "grant_type=authorization_code&" + code

            let cases: [(String, [(String, String)], Int, String, String?)] = [
                // Authenticated clients get as far as the code: unknown, so invalid_grant.
                (grant, [Self.basic("wiki", secret)], 400, "invalid_grant", nil),
                (grant + "&client_id=cli", [], 400, "invalid_grant", nil),
                (grant + "&client_id=posted&client_secret=\(postedSecret)", [], 400, "invalid_grant", nil),
                // Refused clients, with a Basic challenge where Basic was used.
                (grant, [], 401, "invalid_client", nil),
                (grant, [Self.basic("wiki", "rcs_wrong")], 401, "invalid_client", #"Basic realm="rotor""#),
                (grant, [Self.basic("nobody", secret)], 401, "invalid_client", #"Basic realm="rotor""#),
                (grant, [("Authorization", "Basic !!!")], 401, "invalid_client", #"Basic realm="rotor""#),
                (grant + "&client_id=wiki", [], 401, "invalid_client", nil),  // no secret: not its method
                (grant + "&client_id=wiki&client_secret=\(secret)", [], 401, "invalid_client", nil),  // post, not basic
                (grant, [Self.basic("cli", "")], 401, "invalid_client", #"Basic realm="rotor""#),  // public client
                (grant + "&client_id=posted&client_secret=\(secret)", [], 401, "invalid_client", nil),  // another's
                // Malformed requests.
                (grant + "&client_secret=\(secret)", [Self.basic("wiki", secret)], 400, "invalid_request", nil),
                (grant + "&client_id=cli", [Self.basic("wiki", secret)], 400, "invalid_request", nil),
                ("grant_type=authorization_code&code=x", [Self.basic("wiki", secret)], 400, "invalid_request", nil),
                // A client not registered for the grant.
                (
                    "grant_type=refresh_token&refresh_token=rtr_x&client_id=posted&client_secret=\(postedSecret)", [],
                    400, "unauthorized_client", nil
                ),
            ]
            for (body, headers, status, error, challenge) in cases {
                let answer = try await OAuthEndpointsTests.form(http, "/oauth/token", body, headers: headers)
                #expect(answer.status == status && answer.error == error, "\(body) \(headers): \(answer.text)")
                #expect(answer.header("WWW-Authenticate") == challenge, "\(body) \(headers)")
                #expect(!answer.text.contains(secret) && !answer.text.contains(postedSecret))
            }

            // A JSON API session is not a client's: the client's credentials do not refresh it.
            let login = try await http.newAccount()
            let foreign = try await OAuthEndpointsTests.form(
                http,
                "/oauth/token",
                "grant_type=refresh_token&refresh_token=\(login.refresh)",
                headers: [Self.basic("wiki", secret)]
            )
            #expect(foreign.status == 400 && foreign.error == "invalid_grant", "\(foreign.text)")
            let own = try await OAuthEndpointsTests.form(
                http,
                "/oauth/token",
                "grant_type=refresh_token&refresh_token=\(login.refresh)"
            )
            #expect(own.status == 200, "\(own.text)")  // and the refusal did not spend it
        }
    }

    @Test("failed client authentications are limited; the right secret always passes", arguments: StoreKind.all)
    func failureLimit(_ store: StoreKind) async throws {
        // The server's time stands still, so that 21 requests in a loaded suite stay inside the one-minute window.
        try await InProcessServer.run(on: store, transport: .router, clock: ManualClock(start: Date())) {
            http,
            database in
            let auth = try await ClientAdminTests.admin(http, database)
            let secret = try await Self.registerWiki(http, auth)
            let grant =
                "grant_type=authorization_code&code=rac_\(String(repeating: "A", count: 43))"
                + "&redirect_uri=https://wiki.example/cb&code_verifier=\(String(repeating: "v", count: 43))"
            for attempt in 1...20 {
                let wrong = try await OAuthEndpointsTests.form(
                    http,
                    "/oauth/token",
                    grant,
                    headers: [Self.basic("wiki", "rcs_no")]
                )
                #expect(wrong.status == 401 && wrong.error == "invalid_client", "attempt \(attempt)")
            }
            let limited = try await OAuthEndpointsTests.form(
                http,
                "/oauth/token",
                grant,
                headers: [Self.basic("wiki", "rcs_no")]
            )
            #expect(limited.status == 429 && limited.error == "rate_limited" && limited.header("Retry-After") != nil)
            // The client itself is not locked out: its secret still authenticates (the code is unknown).
            let right = try await OAuthEndpointsTests.form(
                http,
                "/oauth/token",
                grant,
                headers: [Self.basic("wiki", secret)]
            )
            #expect(right.status == 400 && right.error == "invalid_grant", "\(right.text)")
        }
    }
}
