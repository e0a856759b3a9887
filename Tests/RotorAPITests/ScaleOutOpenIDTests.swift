import Foundation
import Hummingbird
import HummingbirdTesting
import RotorProtocol
import RotorTestSupport
import Testing

/// The OpenID provider across three `rotor serve` processes on one PostgreSQL: a code issued by one instance is
/// redeemed at another, a logout through any of them reaches the app once, and a delivery whose instance was
/// killed with `kill -9` still happens, from another instance, when its lease ends.
@Suite(
    "Three instances on one PostgreSQL: the OpenID provider",
    .serialized,
    .enabled(if: StoreKind.all.contains(.postgres), "needs PostgreSQL (ROTOR_TEST_POSTGRES_URL); required in CI")
)
struct ScaleOutOpenIDTests {
    typealias Flow = AuthorizeFlowTests

    /// A back-channel endpoint that can hold a request unanswered, so that the test knows a delivery is under way.
    actor Receiver {
        var received: [String] = []
        var holdNext = false

        func hold() { holdNext = true }

        /// Records the body; answers at once, or (held) only after `seconds`.
        func receive(_ body: String) -> Bool {
            received.append(body)
            if holdNext {
                holdNext = false
                return false
            }
            return true
        }

        func waitFor(_ count: Int, seconds: Double) async throws -> [String] {
            let deadline = Date().addingTimeInterval(seconds)
            while received.count < count, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
            return received
        }
    }

    static func receiverApp(_ receiver: Receiver) -> Application<RouterResponder<BasicRequestContext>> {
        let router = Router()
        router.post("backchannel") { request, _ -> HTTPResponse.Status in
            let body = String(buffer: try await request.body.collect(upTo: 64 * 1024))
            if await receiver.receive(body) { return .ok }
            try await Task.sleep(for: .seconds(20))  // held: the instance delivering it is killed meanwhile
            return .ok
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    /// The `jti` of a delivered `logout_token=…`.
    static func jti(_ form: String) throws -> String {
        let token = String(form.dropFirst("logout_token=".count))
        let payload = try #require(token.split(separator: ".").dropFirst().first)
        var base64 = payload.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        let json = try JSONSerialization.jsonObject(with: try #require(Data(base64Encoded: base64)))
        return try #require((json as? [String: Any])?["jti"] as? String)
    }

    /// Back-channel deliveries the instances sent again after a failed attempt, summed over their `/metrics`.
    static func retries(_ servers: [TestHTTP]) async throws -> Int {
        let prefix = #"rotor_backchannel_logouts_total{outcome="retried"} "#
        var total = 0
        for server in servers {
            for line in try await server.get("/metrics").text.split(separator: "\n") where line.hasPrefix(prefix) {
                total += Int(Double(line.dropFirst(prefix.count)) ?? 0)
            }
        }
        return total
    }

    @Test("a code from one instance redeemed at another; logout delivered once; kill -9 of the deliverer survived")
    func acrossInstances() async throws {
        let receiver = Receiver()
        try await Self.receiverApp(receiver).test(.live) { app in
            let port = try #require(app.port)
            // A sign-in hashes a password: on a loaded machine (the suite runs beside every other one) it may take
            // longer than the 5 s the burst tests allow a request, so these requests get 30 s.
            try await ScaleOutTests.withInstances(grace: 10, requestTimeout: 30) {
                instances,
                servers,
                database,
                directory in
                let environment = ScaleOutTests.environment(database, grace: 10)
                let created = try RotorProcess.runToEnd(
                    arguments: [
                        "clients", "create", "--client-id", "wiki", "--redirect-uri", "https://wiki.example/cb",
                        "--first-party", "--backchannel-logout-uri", "http://127.0.0.1:\(port)/backchannel",
                    ],
                    environment: environment,
                    workingDirectory: directory.url
                )
                #expect(created.status == 0, "\(created.stderr)")
                let secret = try #require(
                    try JSONDecoder().decode(ClientInformation.self, from: Data(created.stdout.utf8)).clientSecret
                )
                #expect(try await servers[0].signUp("ada@example.com", "correct horse").status == 201)

                // Sign in at instance 0, redeem the code at instance 1, refresh at instance 2.
                let browser = Flow.Browser(servers[0])
                let page = try await browser.send(
                    .GET,
                    Flow.authorizePath(client: "wiki", redirect: "https://wiki.example/cb")
                )
                let signedIn = try await browser.send(
                    .POST,
                    "/oauth/authorize/sign-in",
                    form: TestBrowser.hiddenFields(page.text) + [
                        ("email", "ada@example.com"), ("password", "correct horse"),
                    ]
                )
                let code = try #require(try Flow.query(signedIn.header("Location"))["code"], "\(signedIn.text)")
                let exchange = TestBrowser.encode([
                    ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", "https://wiki.example/cb"),
                    ("code_verifier", Flow.verifier),
                ])
                let tokens = try await OAuthEndpointsTests.form(
                    servers[1],
                    "/oauth/token",
                    exchange,
                    headers: [CodeGrantEndpointTests.basic("wiki", secret)]
                )
                #expect(tokens.status == 200, "\(tokens.text)")
                let issued = try tokens.decode(TokenResponse.self)
                // The same code at the third instance: refused, and the session it started ends.
                let replay = try await OAuthEndpointsTests.form(
                    servers[2],
                    "/oauth/token",
                    exchange,
                    headers: [CodeGrantEndpointTests.basic("wiki", secret)]
                )
                #expect(replay.status == 400 && replay.error == "invalid_grant")

                // The replay ended the session: one logout token for the whole group, not one per instance. An
                // attempt whose answer came too late (a loaded machine) is sent again, and each instance counts
                // that as a retry: every delivery beyond the first must be one of those.
                let first = try await receiver.waitFor(1, seconds: 15)
                #expect(first.count == 1)
                try await Task.sleep(for: .seconds(2))  // three instances polling every 0.5 s
                let firstNotice = await receiver.received
                let retried = try await Self.retries(servers)
                #expect(firstNotice.count == 1 + retried, "\(firstNotice.count) deliveries, \(retried) retries")
                #expect(Set(try firstNotice.map(Self.jti)).count == 1)
                #expect(issued.idToken != nil)

                // Sign in again (SSO, at instance 2), hold the next delivery, log out through instance 1.
                let again = Flow.Browser(servers[2], cookies: await browser.cookies)
                let sso = try await again.send(
                    .GET,
                    Flow.authorizePath(client: "wiki", redirect: "https://wiki.example/cb")
                )
                let second = try #require(try Flow.query(sso.header("Location"))["code"], "\(sso.status)")
                let secondTokens = try await OAuthEndpointsTests.form(
                    servers[2],
                    "/oauth/token",
                    TestBrowser.encode([
                        ("grant_type", "authorization_code"), ("code", second),
                        ("redirect_uri", "https://wiki.example/cb"), ("code_verifier", Flow.verifier),
                    ]),
                    headers: [CodeGrantEndpointTests.basic("wiki", secret)]
                )
                let idToken = try #require(try secondTokens.decode(TokenResponse.self).idToken)
                let before = await receiver.received.count
                await receiver.hold()
                let out = try await Flow.Browser(servers[1]).send(
                    .GET,
                    "/oauth/logout?" + TestBrowser.encode([("id_token_hint", idToken)])
                )
                #expect(out.status == 200)
                let held = try await receiver.waitFor(before + 1, seconds: 15)
                #expect(held.count == before + 1)
                // Whichever instance is delivering it, all three die mid-delivery; a new one takes over.
                for instance in instances { instance.kill9() }
                let newcomer = try RotorProcess(environment: environment, workingDirectory: directory.url)
                defer { newcomer.stop() }
                let delivered = try await receiver.waitFor(before + 2, seconds: 60)
                #expect(delivered.count == before + 2)
                #expect(
                    try Self.jti(delivered[before + 1]) == (try Self.jti(delivered[before])),
                    "the same notice, again"
                )
                #expect(try Self.jti(delivered[before]) != (try Self.jti(delivered[0])), "a notice of its own")
            }
        }
    }
}
