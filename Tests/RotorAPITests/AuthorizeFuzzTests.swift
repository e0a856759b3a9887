import Foundation
import RotorProtocol
import RotorTestSupport
import Testing

/// The browser endpoints of the OpenID provider, fuzzed (seeded, bounded) with a registered client and a real
/// account: never a 5xx, never a redirect anywhere but the client's registered URI, never a code without a sign-in;
/// the `/device` pages likewise, signed in and out, with and without a valid CSRF pair.
@Suite("Fuzzing the authorization endpoints")
struct AuthorizeFuzzTests {
    typealias RNG = HostileInputTests.SeededGenerator

    static let names = [
        "response_type", "client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge",
        "code_challenge_method", "prompt", "max_age", "login_hint", "resource", "request", "email", "password",
        "csrf_token", "registration",
    ]

    static func value(_ name: String, _ rng: inout RNG) -> String {
        let odd = [
            "", "%zz", "%00", "%C3%28", "a+b%20c", "=", String(repeating: "x", count: 3_000), "%F0%9F%98%80",
            "<script>alert(1)</script>", "javascript:alert(1)", "https://evil.example/cb", "https://wiki.example/cb/",
            "-1", "99999999999999999999",
        ]
        let good: [String: [String]] = [
            "response_type": ["code", "token", "code id_token"],
            "client_id": ["wiki", "nobody", "rotor"],
            "redirect_uri": ["https://wiki.example/cb", "http://127.0.0.1:9/cb"],
            "scope": ["openid email", "openid admin", "openid"],
            "code_challenge": ["E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "short"],
            "code_challenge_method": ["S256", "plain"],
            "prompt": ["none", "login", "consent", "none login", "bogus"],
            "max_age": ["0", "60", "abc"],
            "email": ["ada@example.com"],
            "password": ["correct horse", "wrong horse"],
        ]
        if Int.random(in: 0..<3, using: &rng) == 0 { return odd.randomElement(using: &rng)! }
        return (good[name] ?? odd).randomElement(using: &rng)!
    }

    @Test("random authorization requests and sign-in posts: no 5xx, no foreign redirect, no code without sign-in")
    func fuzz() async throws {
        try await InProcessServer.run(on: .sqlite, transport: .router) { http, database in
            let auth = try await ClientAdminTests.admin(http, database)
            let registered = try await http.post(
                "/v1/admin/clients",
                body: ClientRegistrationRequest(
                    clientId: "wiki",
                    redirectURIs: ["https://wiki.example/cb", "http://127.0.0.1/cb"],
                    firstParty: true
                ),
                headers: auth
            )
            #expect(registered.status == 201)
            _ = try await http.signUp("ada@example.com", "correct horse")
            var rng = RNG(state: 0x0A17)
            for round in 0..<150 {
                var pairs = Self.names.filter { _ in Int.random(in: 0..<3, using: &rng) > 0 }.map {
                    "\($0)=\(Self.value($0, &rng))"
                }
                if Bool.random(using: &rng), let first = pairs.first { pairs.append(first) }
                let text = pairs.joined(separator: "&")
                let answer: HTTPAnswer
                switch round % 3 {
                case 0: answer = try await http.send(.GET, "/oauth/authorize?" + text)
                case 1:
                    answer = try await http.send(
                        .POST,
                        "/oauth/authorize",
                        headers: [("Content-Type", "application/x-www-form-urlencoded")],
                        body: Data(text.utf8)
                    )
                default:
                    answer = try await http.send(
                        .POST,
                        "/oauth/authorize/sign-in",
                        headers: [
                            ("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", "__Host-rotor_csrf=x"),
                        ],
                        body: Data(text.utf8)
                    )
                }
                let what = "round \(round): \(text.prefix(300))"
                #expect(answer.status < 500, "\(what): \(answer.status)")
                if let location = answer.header("Location") {
                    #expect(
                        location.hasPrefix("https://wiki.example/cb?") || location.hasPrefix("http://127.0.0.1:9/cb?"),
                        "\(what): \(location)"
                    )
                    #expect(!location.contains("code=rac_"), "\(what): a code without a sign-in")
                }
                #expect(!answer.text.contains("<script>alert"), "\(what): unescaped")
            }
            #expect(try await http.get("/healthz").status == 200)
        }
    }

    @Test("random /device page requests and posts, signed in and out: no 5xx, no redirect, nothing unescaped")
    func fuzzDevicePages() async throws {
        try await InProcessServer.run(on: .sqlite, transport: .router) { http, database in
            _ = try await DeviceGrantEndpointTests.setUp(http, database)
            let started = try await DeviceGrantEndpointTests.start(http)
            let userCode = try #require(started.string("user_code"))
            // Ada signed in at /device: her SSO cookie and a CSRF cookie whose token the fuzzer sometimes sends.
            let browser = DeviceGrantEndpointTests.Browser(http)
            let signIn = try await browser.send(.GET, "/device")
            _ = try await browser.send(
                .POST,
                "/device/sign-in",
                form: TestBrowser.hiddenFields(signIn.text) + [
                    ("email", "ada@example.com"), ("password", "correct horse"),
                ]
            )
            let cookies = await browser.cookies
            let csrf = try #require(cookies["__Host-rotor_csrf"])
            let codes = [userCode, userCode.lowercased().replacingOccurrences(of: "-", with: ""), "BCDF-GHJK", "ABCD"]
            var rng = RNG(state: 0xDE71CE)
            var reachedApproval = false
            for round in 0..<160 {
                let names = ["user_code", "csrf_token", "decision", "email", "password", "user_code"]
                let pairs = names.filter { _ in Int.random(in: 0..<3, using: &rng) > 0 }.map { name in
                    let value: String =
                        switch (name, Int.random(in: 0..<3, using: &rng)) {
                        case ("user_code", 0...1): codes.randomElement(using: &rng)!
                        case ("csrf_token", 0...1): csrf
                        case ("decision", 0...1): ["allow", "deny", "maybe"].randomElement(using: &rng)!
                        default: Self.value(name, &rng)
                        }
                    return "\(name)=\(value)"
                }
                let text = pairs.joined(separator: "&")
                let cookie =
                    Bool.random(using: &rng)
                    ? cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")
                    : "__Host-rotor_csrf=\(csrf)"
                let form = [("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", cookie)]
                let answer: HTTPAnswer
                switch round % 4 {
                case 0: answer = try await http.send(.GET, "/device?" + text, headers: [("Cookie", cookie)])
                case 1: answer = try await http.send(.POST, "/device", headers: form, body: Data(text.utf8))
                case 2: answer = try await http.send(.POST, "/device/sign-in", headers: form, body: Data(text.utf8))
                default:
                    answer = try await http.send(.POST, "/device/decision", headers: form, body: Data(text.utf8))
                }
                let what = "round \(round): \(text.prefix(300))"
                #expect(answer.status < 500, "\(what): \(answer.status)")
                #expect(answer.header("Location") == nil, "\(what): a redirect")
                reachedApproval = reachedApproval || answer.text.contains(#"action="/device/decision""#)
                #expect(!answer.text.contains("<script>alert"), "\(what): unescaped")
            }
            #expect(reachedApproval, "the fuzzer never got past the CSRF check to the approval page")
            // The device still gets a well-formed RFC 8628 answer, whatever the fuzzer decided for it.
            let poll = try await DeviceGrantEndpointTests.poll(http, try #require(started.string("device_code")))
            #expect(poll.status < 500 && poll.json.isEmpty == false, "\(poll.status) \(poll.text)")
            #expect(try await http.get("/healthz").status == 200)
        }
    }
}
