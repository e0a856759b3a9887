import Foundation
import Hummingbird
import HummingbirdTesting
import JWTKit
import RotorCore
import RotorJWT
import RotorProtocol
import RotorTestSupport
import Testing

/// Back-channel logout (Back-Channel Logout 1.0): when a client's session ends, for any cause but expiry, a logout
/// token reaches the client's `backchannel_logout_uri` from the store's outbox — here a real HTTP receiver on
/// 127.0.0.1 — retried when the client fails, counted in `/metrics`.
@Suite("Logout: back-channel")
struct BackchannelLogoutTests {
    typealias Flow = AuthorizeFlowTests

    /// What the receiving app got, and how many answers it still fails.
    actor Inbox {
        var tokens: [String] = []
        var failuresLeft: Int

        init(failing: Int) { failuresLeft = failing }

        /// Records a delivery; answers false while it is meant to fail.
        func receive(_ body: String) -> Bool {
            if failuresLeft > 0 {
                failuresLeft -= 1
                return false
            }
            tokens.append(body)
            return true
        }

        /// Waits (up to `seconds`) until `count` tokens arrived.
        func waitFor(_ count: Int, seconds: Double) async throws -> [String] {
            let deadline = Date().addingTimeInterval(seconds)
            while tokens.count < count, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
            return tokens
        }
    }

    /// A relying party's back-channel endpoint: `POST /backchannel` with `logout_token=…`.
    static func receiver(_ inbox: Inbox) -> Application<RouterResponder<BasicRequestContext>> {
        let router = Router()
        router.post("backchannel") { request, context -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 64 * 1024)
            let form = String(buffer: body)
            #expect(request.headers[.contentType] == "application/x-www-form-urlencoded")
            return await inbox.receive(form) ? .ok : .internalServerError
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    /// The claims of a delivered `logout_token=…`, verified with Rotor's JWKS; its header's `typ`.
    static func claims(_ form: String, http: TestHTTP) async throws -> (LogoutTokenClaims, String?) {
        let token = try #require(form.split(separator: "=", maxSplits: 1).last.map(String.init))
        #expect(form.hasPrefix("logout_token="))
        let jwks = try await http.get("/.well-known/jwks.json").text
        let claims = try await JWTKeyCollection().add(jwksJSON: jwks).verify(token, as: LogoutTokenClaims.self)
        return (claims, AccessTokenHeader.parse(token)?.typ)
    }

    @Test(
        "RP-initiated logout and a password change each reach the app; a failing app is retried",
        arguments: StoreKind.all
    )
    func delivered(_ store: StoreKind) async throws {
        let inbox = Inbox(failing: 2)
        try await Self.receiver(inbox).test(.live) { receiver in
            let port = try #require(receiver.port)
            try await InProcessServer.run(on: store, transport: .router) { http, database in
                let auth = try await ClientAdminTests.admin(http, database)
                let registered = try await http.post(
                    "/v1/admin/clients",
                    body: ClientRegistrationRequest(
                        clientId: "wiki",
                        redirectURIs: ["https://wiki.example/cb"],
                        backchannelLogoutURI: "http://127.0.0.1:\(port)/backchannel",
                        firstParty: true
                    ),
                    headers: auth
                )
                let secret = try #require(try registered.decode(ClientInformation.self).clientSecret)
                _ = try await http.signUp("ada@example.com", "correct horse")
                let browser = Flow.Browser(http)
                let tokens = try await AuthorizeFlowTests.signIn(browser, http, client: "wiki", secret: secret)
                let idToken = try await JWTKeyCollection().add(
                    jwksJSON: try await http.get("/.well-known/jwks.json").text
                )
                .verify(try #require(tokens.idToken), as: IDTokenClaims.self)

                // 1. RP-initiated logout: the ending returns at once; the token arrives after two failed attempts.
                let out = try await browser.send(
                    .GET,
                    "/oauth/logout?" + TestBrowser.encode([("id_token_hint", tokens.idToken ?? "")])
                )
                #expect(out.status == 200)
                let first = try await inbox.waitFor(1, seconds: 20)
                #expect(first.count == 1)
                let (claims, typ) = try await Self.claims(try #require(first.first), http: http)
                #expect(typ == "logout+jwt")
                #expect(claims.iss == "http://127.0.0.1:8080" && claims.aud == "wiki" && claims.sub == idToken.sub)
                #expect(claims.sid == idToken.sid && claims.exp - claims.iat == 120)
                #expect(claims.events == [LogoutTokenClaims.event: [:]])
                // The app has answered; the instance records that a moment later.
                var metrics = try await http.get("/metrics").text
                for _ in 0..<100 where !metrics.contains(#"outcome="delivered""#) {
                    try await Task.sleep(for: .milliseconds(100))
                    metrics = try await http.get("/metrics").text
                }
                #expect(metrics.contains(#"rotor_backchannel_logouts_total{outcome="retried"} 2"#), "\(metrics)")
                #expect(metrics.contains(#"rotor_backchannel_logouts_total{outcome="delivered"} 1"#))

                // 2. A password change at the JSON API ends the app's session too: another token.
                _ = try await AuthorizeFlowTests.signIn(browser, http, client: "wiki", secret: secret)
                let own = try await http.signIn("ada@example.com", "correct horse")
                let changed = try await http.post(
                    "/v1/me/password",
                    json: ["current_password": "correct horse", "new_password": "battery staple"],
                    headers: [("Authorization", "Bearer \(own.access)")]
                )
                #expect(changed.status == 200, "\(changed.text)")
                let second = try await inbox.waitFor(2, seconds: 20)
                #expect(second.count == 2)
                // The JSON API's own sessions owe nobody a logout token: exactly the app's two.
                try await Task.sleep(for: .seconds(1))
                #expect(await inbox.tokens.count == 2)
            }
        }
    }
}
