import Foundation
import RotorProtocol
import RotorTestSupport
import Testing

/// The device authorization grant (RFC 8628) through the router on both stores: the codes, the `/device` pages as a
/// browser drives them (cookies, forms), every answer of a poll, and the refusals.
@Suite("Device authorization grant")
struct DeviceGrantEndpointTests {
    typealias Browser = TestBrowser

    /// Registers the public client `tv` ("Living-room TV"; device and refresh grants; `openid email`).
    static func registerTV(_ http: TestHTTP, _ auth: [(String, String)], id: String = "tv") async throws {
        _ = try await CodeGrantEndpointTests.register(
            http,
            auth,
            ClientRegistrationRequest(
                clientId: id,
                clientName: "Living-room TV",
                grantTypes: ["urn:ietf:params:oauth:grant-type:device_code", "refresh_token"],
                tokenEndpointAuthMethod: "none",
                scope: "openid email"
            )
        )
    }

    /// An admin, the `tv` client and Ada's account.
    static func setUp(_ http: TestHTTP, _ database: TestDatabase) async throws -> [(String, String)] {
        let auth = try await ClientAdminTests.admin(http, database)
        try await registerTV(http, auth)
        #expect(try await http.signUp("ada@example.com", "correct horse").status == 201)
        return auth
    }

    static func start(_ http: TestHTTP, _ body: String = "client_id=tv") async throws -> HTTPAnswer {
        try await OAuthEndpointsTests.form(http, "/oauth/device_authorization", body)
    }

    static func poll(_ http: TestHTTP, _ deviceCode: String, client: String = "tv") async throws -> HTTPAnswer {
        try await OAuthEndpointsTests.form(
            http,
            "/oauth/token",
            TestBrowser.encode([
                ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("device_code", deviceCode),
                ("client_id", client),
            ])
        )
    }

    /// Ada approves (or denies) `userCode` in `browser`: signs in at `/device` if she must, then decides.
    static func decide(_ browser: Browser, userCode: String, allow: Bool = true) async throws -> HTTPAnswer {
        try await browser.decideDevice(
            userCode: userCode,
            email: "ada@example.com",
            password: "correct horse",
            app: "Living-room TV",
            allow: allow
        )
    }

    @Test(
        "a device gets its codes, waits politely, and gets a rotating session once Ada allows it",
        arguments: StoreKind.all
    )
    func approved(_ store: StoreKind) async throws {
        let clock = ManualClock(start: Date())
        try await InProcessServer.run(on: store, transport: .router, clock: clock) { http, database in
            _ = try await Self.setUp(http, database)
            let started = try await Self.start(http)
            #expect(started.status == 200, "\(started.text)")
            #expect(started.header("Cache-Control") == "no-store")
            let codes = try started.decode(DeviceAuthorizationResponse.self)
            #expect(codes.userCode.wholeMatch(of: #/[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}/#) != nil)
            #expect(codes.deviceCode.hasPrefix("rdc_") && codes.expiresIn == 600 && codes.interval == 5)
            #expect(codes.verificationURI == "http://127.0.0.1:8080/device")
            #expect(codes.verificationURIComplete == codes.verificationURI + "?user_code=" + codes.userCode)

            // Nobody decided yet; polling faster than the interval is told to slow down, by 5 s each time.
            var answer = try await Self.poll(http, codes.deviceCode)
            #expect(answer.status == 400 && answer.error == "authorization_pending", "\(answer.text)")
            answer = try await Self.poll(http, codes.deviceCode)
            #expect(answer.status == 400 && answer.error == "slow_down", "\(answer.text)")
            clock.advance(by: 6)
            answer = try await Self.poll(http, codes.deviceCode)
            #expect(answer.error == "slow_down", "the interval is 10 s now, 15 s after this: \(answer.text)")
            clock.advance(by: 16)
            #expect(try await Self.poll(http, codes.deviceCode).error == "authorization_pending")

            // Ada signs in at /device (the link carries the code), sees the TV and the code again, and allows it.
            let browser = Browser(http)
            let decided = try await Self.decide(browser, userCode: codes.userCode)
            #expect(decided.status == 200 && decided.text.contains("Device connected"), "\(decided.text)")
            clock.advance(by: 16)
            answer = try await Self.poll(http, codes.deviceCode)
            #expect(answer.status == 200, "\(answer.text)")
            #expect(answer.header("Cache-Control") == "no-store")
            let tokens = try answer.decode(TokenResponse.self)
            let idToken = try MachineTokenEndpointTests.claims(try #require(tokens.idToken))
            #expect(idToken["aud"] as? String == "tv" && idToken["email"] as? String == "ada@example.com")
            let access = try MachineTokenEndpointTests.claims(tokens.accessToken)
            #expect(access["client_id"] as? String == "tv" && access["sid"] as? String != nil)
            #expect(access["scope"] as? String == "openid email")

            // One of Rotor's sessions in every respect: it rotates and detects reuse.
            let refresh = TestBrowser.encode([
                ("grant_type", "refresh_token"), ("refresh_token", try #require(tokens.refreshToken)),
                ("client_id", "tv"),
            ])
            let rotated = try await OAuthEndpointsTests.form(http, "/oauth/token", refresh)
            #expect(rotated.status == 200, "\(rotated.text)")
            let next = try rotated.decode(TokenResponse.self)
            #expect(next.refreshToken != tokens.refreshToken)

            // The device code is spent; presented again, someone else holds it, and the session it started ends.
            clock.advance(by: 16)
            answer = try await Self.poll(http, codes.deviceCode)
            #expect(answer.status == 400 && answer.error == "invalid_grant", "\(answer.text)")
            let after = try await OAuthEndpointsTests.form(
                http,
                "/oauth/token",
                TestBrowser.encode([
                    ("grant_type", "refresh_token"), ("refresh_token", try #require(next.refreshToken)),
                    ("client_id", "tv"),
                ])
            )
            #expect(after.status == 400 && after.error == "invalid_grant", "\(after.text)")
        }
    }

    @Test("denied, expired, unknown and foreign device codes get their RFC 8628 errors", arguments: StoreKind.all)
    func refusedPolls(_ store: StoreKind) async throws {
        let clock = ManualClock(start: Date())
        try await InProcessServer.run(on: store, transport: .router, clock: clock) { http, database in
            let auth = try await Self.setUp(http, database)
            try await Self.registerTV(http, auth, id: "radio")
            let denied = try await Self.start(http).decode(DeviceAuthorizationResponse.self)
            let browser = Browser(http)
            let page = try await Self.decide(browser, userCode: denied.userCode, allow: false)
            #expect(page.status == 200 && page.text.contains("Device not connected"), "\(page.text)")
            #expect(try await Self.poll(http, denied.deviceCode).error == "access_denied")

            // Another client's device code is unknown to it, and polling with it disturbs nothing.
            let pending = try await Self.start(http).decode(DeviceAuthorizationResponse.self)
            let foreign = try await Self.poll(http, pending.deviceCode, client: "radio")
            #expect(foreign.status == 400 && foreign.error == "invalid_grant", "\(foreign.text)")
            #expect(try await Self.poll(http, pending.deviceCode).error == "authorization_pending")
            let unknown = try await Self.poll(http, "rdc_" + String(repeating: "A", count: 43))
            #expect(unknown.status == 400 && unknown.error == "invalid_grant")
            #expect(try await Self.poll(http, "not-a-device-code").error == "invalid_grant")

            // Ten minutes on, the codes are dead: the device hears so, and the person cannot approve any more.
            clock.advance(by: 601)
            #expect(try await Self.poll(http, pending.deviceCode).error == "expired_token")
            let late = try await browser.send(
                .POST,
                "/device",
                form: TestBrowser.hiddenFields(try await browser.send(.GET, "/device").text) + [
                    ("user_code", pending.userCode)
                ]
            )
            #expect(late.status == 400 && late.text.contains("not right, or it has expired"), "\(late.text)")
        }
    }

    @Test("clients, scopes and resources a device may not have are refused before any code", arguments: StoreKind.all)
    func refusedStarts(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, database in
            let auth = try await Self.setUp(http, database)
            let wiki = try await CodeGrantEndpointTests.registerWiki(http, auth)
            let cases: [(body: String, headers: [(String, String)], status: Int, error: String)] = [
                ("client_id=nobody", [], 401, "invalid_client"),
                ("", [], 401, "invalid_client"),
                ("client_id=tv&scope=admin", [], 400, "invalid_scope"),
                ("client_id=tv&resource=https://elsewhere.example", [], 400, "invalid_target"),
                ("client_id=tv&scope=openid&scope=email", [], 400, "invalid_request"),
                ("", [CodeGrantEndpointTests.basic("wiki", wiki)], 400, "unauthorized_client"),
                ("", [CodeGrantEndpointTests.basic("wiki", "wrong")], 401, "invalid_client"),
            ]
            for item in cases {
                let answer = try await OAuthEndpointsTests.form(
                    http,
                    "/oauth/device_authorization",
                    item.body,
                    headers: item.headers
                )
                #expect(answer.status == item.status && answer.error == item.error, "\(item.body): \(answer.text)")
                #expect(answer.json["device_code"] == nil)
            }
            // The token endpoint: no device code, and a client not registered for the grant.
            let missing = try await OAuthEndpointsTests.form(
                http,
                "/oauth/token",
                "grant_type=urn:ietf:params:oauth:grant-type:device_code&client_id=tv"
            )
            #expect(missing.status == 400 && missing.error == "invalid_request", "\(missing.text)")
            let codes = try await Self.start(http).decode(DeviceAuthorizationResponse.self)
            let wikiPoll = try await OAuthEndpointsTests.form(
                http,
                "/oauth/token",
                TestBrowser.encode([
                    ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("device_code", codes.deviceCode),
                ]),
                headers: [CodeGrantEndpointTests.basic("wiki", wiki)]
            )
            #expect(wikiPoll.status == 400 && wikiPoll.error == "unauthorized_client", "\(wikiPoll.text)")
            let metadata = try await http.get("/.well-known/openid-configuration")
            #expect(
                metadata.string("device_authorization_endpoint") == "http://127.0.0.1:8080/oauth/device_authorization"
            )
            #expect(
                (metadata.json["grant_types_supported"] as? [String])?.contains(
                    "urn:ietf:params:oauth:grant-type:device_code"
                ) == true
            )
        }
    }

    @Test(
        "wrong user codes count as failed logins of the person; malformed ones cost nothing",
        arguments: StoreKind.all
    )
    func guessing(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, database in
            _ = try await Self.setUp(http, database)
            let codes = try await Self.start(http).decode(DeviceAuthorizationResponse.self)
            let browser = Browser(http)
            var page = try await browser.send(.GET, "/device")
            #expect(page.status == 200 && page.text.contains(#"action="/device/sign-in""#), "\(page.text)")
            page = try await browser.send(
                .POST,
                "/device/sign-in",
                form: TestBrowser.hiddenFields(page.text) + [
                    ("email", "ada@example.com"), ("password", "correct horse"),
                ]
            )
            #expect(page.status == 200 && page.text.contains("The code your device shows"), "\(page.text)")
            // Typos that cannot be a code are not guesses.
            for typo in ["ABCD-EFGH", "1234-5678", "BCDF", ""] {
                page = try await browser.send(
                    .POST,
                    "/device",
                    form: TestBrowser.hiddenFields(page.text) + [
                        ("user_code", typo)
                    ]
                )
                #expect(page.status == 400, "\(typo): \(page.status)")
            }
            // Five wrong codes fill Ada's window; then even the right one waits, and so does her password.
            let wrong = codes.userCode == "BBBB-BBBB" ? "CCCC-CCCC" : "BBBB-BBBB"
            for _ in 0..<5 {
                page = try await browser.send(
                    .POST,
                    "/device",
                    form: TestBrowser.hiddenFields(page.text) + [
                        ("user_code", wrong)
                    ]
                )
                #expect(page.status == 400 && page.text.contains("not right"), "\(page.text)")
            }
            page = try await browser.send(
                .POST,
                "/device",
                form: TestBrowser.hiddenFields(page.text) + [
                    ("user_code", codes.userCode)
                ]
            )
            #expect(page.status == 429 && page.header("Retry-After") != nil, "\(page.status)")
            #expect(try await http.login("ada@example.com", "correct horse").status == 429)
            // A decision posted straight away, with a guessed code, is under the same limit.
            let decision = try await browser.send(
                .POST,
                "/device/decision",
                form: TestBrowser.hiddenFields(page.text) + [("user_code", wrong), ("decision", "allow")]
            )
            #expect(decision.status == 429, "\(decision.text)")
            #expect(try await Self.poll(http, codes.deviceCode).error == "authorization_pending")
        }
    }

    @Test("the device pages refuse a form without its CSRF token or from another origin", arguments: [StoreKind.sqlite])
    func forms(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, database in
            _ = try await Self.setUp(http, database)
            let codes = try await Self.start(http).decode(DeviceAuthorizationResponse.self)
            let browser = Browser(http)
            let page = try await browser.send(.GET, "/device?user_code=\(codes.userCode)")
            #expect(page.header("Content-Security-Policy")?.contains("form-action 'self'") == true)
            #expect(page.header("X-Frame-Options") == "DENY" && page.header("Cache-Control") == "no-store")
            let forged = try await browser.send(
                .POST,
                "/device/sign-in",
                form: [("csrf_token", "forged"), ("email", "ada@example.com"), ("password", "correct horse")]
            )
            #expect(forged.status == 403 && forged.header("Set-Cookie")?.contains("rotor_sso") != true)
            // The refused page set a new CSRF cookie; its form is the one the browser can send now.
            let noSession = try await browser.send(
                .POST,
                "/device/decision",
                form: TestBrowser.hiddenFields(forged.text) + [
                    ("user_code", codes.userCode), ("decision", "allow"),
                ]
            )
            #expect(noSession.status == 200 && noSession.text.contains(#"action="/device/sign-in""#))
            #expect(try await Self.poll(http, codes.deviceCode).error == "authorization_pending")
        }
    }

    @Test(
        "signing out of the approving browser leaves a device's session alone, but voids an approval not yet polled",
        arguments: StoreKind.all
    )
    func browserSignOut(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, database in
            _ = try await Self.setUp(http, database)
            let browser = Browser(http)
            let first = try await Self.start(http).decode(DeviceAuthorizationResponse.self)
            let second = try await Self.start(http).decode(DeviceAuthorizationResponse.self)
            #expect(try await Self.decide(browser, userCode: first.userCode).text.contains("Device connected"))
            let answer = try await Self.poll(http, first.deviceCode)
            #expect(answer.status == 200, "\(answer.text)")
            let tokens = try answer.decode(TokenResponse.self)
            let idToken = try MachineTokenEndpointTests.claims(try #require(tokens.idToken))
            #expect(idToken["sid"] == nil, "the device's session belongs to no SSO session")
            // The second device is approved in the same browser, which then signs out of Rotor before it polls.
            #expect(try await Self.decide(browser, userCode: second.userCode).text.contains("Device connected"))
            let page = try await browser.send(.GET, "/oauth/logout")
            let done = try await browser.send(.POST, "/oauth/logout/confirm", form: TestBrowser.hiddenFields(page.text))
            #expect(done.status == 200 && done.text.contains("You are signed out"), "\(done.text)")

            let refreshed = try await OAuthEndpointsTests.form(
                http,
                "/oauth/token",
                TestBrowser.encode([
                    ("grant_type", "refresh_token"), ("refresh_token", try #require(tokens.refreshToken)),
                    ("client_id", "tv"),
                ])
            )
            #expect(refreshed.status == 200, "the first device stays signed in: \(refreshed.text)")
            let late = try await Self.poll(http, second.deviceCode)
            #expect(late.status == 400 && late.error == "invalid_grant", "\(late.text)")
            #expect(try await Self.poll(http, second.deviceCode).error == "invalid_grant")
        }
    }
}
