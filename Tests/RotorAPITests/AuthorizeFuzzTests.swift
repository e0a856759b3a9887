import Foundation
import RotorProtocol
import RotorTestSupport
import Testing

/// The browser endpoints of the OpenID provider, fuzzed (seeded, bounded) with a registered client and a real
/// account: never a 5xx, never a redirect anywhere but the client's registered URI, never a code without a sign-in.
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
}
