import Foundation
import RotorServer
import RotorTestSupport
import Testing

/// SPEC §3 browser mode: the refresh token only in an HttpOnly cookie, an allowed Origin for every cookie request,
/// CORS for allowed origins only.
@Suite("Browser mode: cookie and CORS")
struct BrowserModeTests {
    static let app = "https://app.example.com"
    static let own = "http://127.0.0.1:8080"  // the test server's issuer

    static func configure(_ configuration: inout ServerConfiguration) {
        configuration.allowedOrigins = [app]
    }

    /// The `rotor_refresh` value of a Set-Cookie header, and the header itself.
    static func cookie(_ answer: HTTPAnswer) throws -> (value: String, header: String) {
        let header = try #require(answer.header("Set-Cookie"))
        let pair = try #require(header.split(separator: ";").first)
        #expect(pair.hasPrefix("rotor_refresh="))
        return (String(pair.dropFirst("rotor_refresh=".count)), header)
    }

    static func cookieLogin(_ http: TestHTTP, origin: String = app) async throws -> HTTPAnswer {
        try await http.post("/v1/auth/login", json: ["email": "ada@example.com", "password": "correct horse", "token_delivery": "cookie"],
                            headers: [("Origin", origin)])
    }

    @Test("login in cookie mode: the refresh token only in an HttpOnly, SameSite=Strict, Secure cookie on /v1/auth", arguments: StoreKind.all)
    func cookieAttributes(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, configure: Self.configure) { http, _ in
            try await http.signUp("ada@example.com", "correct horse")
            let login = try await Self.cookieLogin(http)
            #expect(login.status == 200)
            #expect(login.json["refresh_token"] == nil && login.string("access_token") != nil)
            let (value, header) = try Self.cookie(login)
            #expect(value.hasPrefix("rtr_"))
            let attributes = Set(header.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) })
            #expect(attributes == ["Max-Age=\(login.json["refresh_token_expires_in"] as? Int ?? -1)", "Path=/v1/auth",
                                   "HttpOnly", "SameSite=Strict", "Secure"])
        }
    }

    @Test("ROTOR_COOKIE_SECURE=false drops only Secure", arguments: StoreKind.all)
    func insecureCookie(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, configure: { Self.configure(&$0); $0.cookieSecure = false }) { http, _ in
            try await http.signUp("ada@example.com", "correct horse")
            let (_, header) = try Self.cookie(try await Self.cookieLogin(http))
            #expect(!header.contains("Secure") && header.contains("HttpOnly") && header.contains("SameSite=Strict"))
        }
    }

    @Test("refresh and logout read the cookie with an allowed Origin; grace and reuse apply; logout clears it", arguments: StoreKind.all)
    func rotationThroughCookie(_ store: StoreKind) async throws {
        let clock = ManualClock(start: Date())
        try await InProcessServer.run(on: store, clock: clock, configure: Self.configure) { http, _ in
            try await http.signUp("ada@example.com", "correct horse")
            let first = try Self.cookie(try await Self.cookieLogin(http)).value
            func refresh(_ cookie: String, origin: String? = Self.app) async throws -> HTTPAnswer {
                var headers = [("Cookie", "rotor_refresh=\(cookie)")]
                if let origin { headers.append(("Origin", origin)) }
                return try await http.send(.POST, "/v1/auth/token/refresh", headers: headers)  // no body, as fetch sends it
            }
            let rotated = try await refresh(first)
            #expect(rotated.status == 200 && rotated.json["refresh_token"] == nil)
            let second = try Self.cookie(rotated).value
            #expect(second != first)
            let replay = try await refresh(first, origin: Self.own)
            let replayed = try Self.cookie(replay).value
            #expect(replay.status == 200 && replayed == second)  // the same child in the grace

            for origin in [nil, "https://evil.example", "null", "http://127.0.0.1:9999"] as [String?] {
                let refused = try await refresh(second, origin: origin)
                #expect(refused.status == 403 && refused.error == "forbidden", "\(origin ?? "no Origin")")
            }
            // A refused Origin spent nothing.
            let third = try await refresh(second)
            #expect(third.status == 200)
            let current = try Self.cookie(third).value

            clock.advance(by: 11)
            let reuse = try await refresh(first)
            #expect(reuse.status == 401 && reuse.error == "invalid_grant")
            #expect(reuse.header("Set-Cookie")?.contains("Max-Age=0") == true)
            #expect(try await refresh(current).status == 401)

            let again = try Self.cookie(try await Self.cookieLogin(http)).value
            let foreignLogout = try await http.send(.POST, "/v1/auth/logout", headers: [("Cookie", "rotor_refresh=\(again)"), ("Origin", "https://evil.example")])
            #expect(foreignLogout.status == 403)
            let logout = try await http.send(.POST, "/v1/auth/logout", headers: [("Cookie", "rotor_refresh=\(again)"), ("Origin", Self.app)])
            #expect(logout.status == 204)
            let cleared = try #require(logout.header("Set-Cookie"))
            #expect(cleared.hasPrefix("rotor_refresh=;") && cleared.contains("Max-Age=0") && cleared.contains("Path=/v1/auth"))
            #expect(try await refresh(again).status == 401)
        }
    }

    @Test("CORS: preflight and answers for allowed origins with credentials, nothing for others", arguments: StoreKind.all)
    func cors(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, configure: Self.configure) { http, _ in
            for origin in [Self.app, Self.own] {
                let preflight = try await http.send(.OPTIONS, "/v1/auth/token/refresh", headers: [
                    ("Origin", origin), ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "content-type"),
                ])
                #expect(preflight.status == 204)
                #expect(preflight.header("Access-Control-Allow-Origin") == origin)
                #expect(preflight.header("Access-Control-Allow-Credentials") == "true")
                #expect(preflight.header("Access-Control-Allow-Methods")?.contains("POST") == true)
                #expect(preflight.header("Access-Control-Allow-Headers")?.lowercased().contains("content-type") == true)
                let actual = try await http.send(.GET, "/healthz", headers: [("Origin", origin)])
                #expect(actual.header("Access-Control-Allow-Origin") == origin)
                #expect(actual.header("Access-Control-Allow-Credentials") == "true")
            }
            let foreign = try await http.send(.OPTIONS, "/v1/auth/token/refresh", headers: [
                ("Origin", "https://evil.example"), ("Access-Control-Request-Method", "POST"),
            ])
            #expect(foreign.header("Access-Control-Allow-Origin") == nil && foreign.header("Access-Control-Allow-Credentials") == nil)
            let foreignActual = try await http.send(.GET, "/healthz", headers: [("Origin", "https://evil.example")])
            #expect(foreignActual.header("Access-Control-Allow-Origin") == nil)
        }
    }
}
