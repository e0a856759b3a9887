import Foundation
import RotorServer
import RotorTestSupport
import Testing

/// docs/protocol.md browser mode: the refresh token only in an HttpOnly cookie, an allowed Origin for every cookie request,
/// CORS for allowed origins only.
@Suite("Browser mode: cookie and CORS")
struct BrowserModeTests {
    static let app = "https://app.example.com"
    static let own = "http://127.0.0.1:8080"  // the test server's issuer

    static func configure(_ configuration: inout ServerConfiguration) {
        configuration.allowedOrigins = [app]
    }

    /// The refresh cookie's name with `Secure` (the default): `__Host-` prefixed.
    static let name = "__Host-rotor_refresh"

    /// The refresh cookie's value in a Set-Cookie header, and the header itself.
    static func cookie(_ answer: HTTPAnswer, name: String = name) throws -> (value: String, header: String) {
        let header = try #require(answer.header("Set-Cookie"))
        let pair = try #require(header.split(separator: ";").first)
        #expect(pair.hasPrefix("\(name)="))
        return (String(pair.dropFirst("\(name)=".count)), header)
    }

    static func cookieLogin(_ http: TestHTTP, origin: String = app) async throws -> HTTPAnswer {
        try await http.post(
            "/v1/auth/login",
            json: ["email": "ada@example.com", "password": "correct horse", "token_delivery": "cookie"],
            headers: [("Origin", origin)]
        )
    }

    @Test(
        "login in cookie mode: the refresh token only in a __Host- cookie, HttpOnly, SameSite=Strict, Secure, Path=/",
        arguments: StoreKind.all
    )
    func cookieAttributes(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router, configure: Self.configure) { http, _ in
            try await http.signUp("ada@example.com", "correct horse")
            let login = try await Self.cookieLogin(http)
            #expect(login.status == 200)
            #expect(login.json["refresh_token"] == nil && login.string("access_token") != nil)
            let (value, header) = try Self.cookie(login)
            #expect(value.hasPrefix("rtr_"))
            let attributes = Set(
                header.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
            )
            #expect(
                attributes == [
                    "Max-Age=\(login.json["refresh_token_expires_in"] as? Int ?? -1)", "Path=/",
                    "HttpOnly", "SameSite=Strict", "Secure",
                ]
            )
        }
    }

    @Test(
        "ROTOR_COOKIE_SECURE=false drops Secure and with it the prefix (which requires Secure)",
        arguments: StoreKind.all
    )
    func insecureCookie(_ store: StoreKind) async throws {
        try await InProcessServer.run(
            on: store,
            configure: {
                Self.configure(&$0)
                $0.cookieSecure = false
            }
        ) { http, _ in
            try await http.signUp("ada@example.com", "correct horse")
            let (_, header) = try Self.cookie(try await Self.cookieLogin(http), name: "rotor_refresh")
            #expect(!header.contains("Secure") && header.contains("HttpOnly") && header.contains("SameSite=Strict"))
            #expect(header.contains("Path=/v1/auth"))
        }
    }

    @Test(
        "over https a cookie without the __Host- prefix is not read: a sibling subdomain cannot plant one",
        arguments: StoreKind.all
    )
    func plantedCookie(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router, configure: Self.configure) { http, _ in
            try await http.signUp("ada@example.com", "correct horse")
            let value = try Self.cookie(try await Self.cookieLogin(http)).value
            // The same token under the plain name, as `Domain=.example.com` from another subdomain would set it.
            let planted = try await http.send(
                .POST,
                "/v1/auth/token/refresh",
                headers: [("Cookie", "rotor_refresh=\(value)"), ("Origin", Self.app)]
            )
            #expect(planted.status == 400 && planted.error == "invalid_request", "\(planted.text)")
            let real = try await http.send(
                .POST,
                "/v1/auth/token/refresh",
                headers: [("Cookie", "\(Self.name)=\(value)"), ("Origin", Self.app)]
            )
            #expect(real.status == 200)
        }
    }

    @Test(
        "refresh and logout read the cookie with an allowed Origin; grace and reuse apply; logout clears it",
        arguments: StoreKind.all
    )
    func rotationThroughCookie(_ store: StoreKind) async throws {
        let clock = ManualClock(start: Date())
        try await InProcessServer.run(on: store, transport: .router, clock: clock, configure: Self.configure) {
            http,
            _ in
            try await http.signUp("ada@example.com", "correct horse")
            let first = try Self.cookie(try await Self.cookieLogin(http)).value
            func refresh(_ cookie: String, origin: String? = Self.app) async throws -> HTTPAnswer {
                var headers = [("Cookie", "\(Self.name)=\(cookie)")]
                if let origin { headers.append(("Origin", origin)) }
                // No body, as fetch sends it.
                return try await http.send(.POST, "/v1/auth/token/refresh", headers: headers)
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
            let foreignLogout = try await http.send(
                .POST,
                "/v1/auth/logout",
                headers: [("Cookie", "\(Self.name)=\(again)"), ("Origin", "https://evil.example")]
            )
            #expect(foreignLogout.status == 403)
            let logout = try await http.send(
                .POST,
                "/v1/auth/logout",
                headers: [("Cookie", "\(Self.name)=\(again)"), ("Origin", Self.app)]
            )
            #expect(logout.status == 204)
            let cleared = try #require(logout.header("Set-Cookie"))
            #expect(cleared.hasPrefix("\(Self.name)=;") && cleared.contains("Max-Age=0") && cleared.contains("Path=/;"))
            #expect(try await refresh(again).status == 401)
        }
    }

    @Test(
        "CORS: preflight and answers for allowed origins with credentials, nothing for others",
        arguments: StoreKind.all
    )
    func cors(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router, configure: Self.configure) { http, _ in
            for origin in [Self.app, Self.own] {
                let preflight = try await http.send(
                    .OPTIONS,
                    "/v1/auth/token/refresh",
                    headers: [
                        ("Origin", origin), ("Access-Control-Request-Method", "POST"),
                        ("Access-Control-Request-Headers", "content-type"),
                    ]
                )
                #expect(preflight.status == 204)
                #expect(preflight.header("Access-Control-Allow-Origin") == origin)
                #expect(preflight.header("Access-Control-Allow-Credentials") == "true")
                #expect(preflight.header("Access-Control-Allow-Methods")?.contains("POST") == true)
                #expect(preflight.header("Access-Control-Allow-Headers")?.lowercased().contains("content-type") == true)
                let actual = try await http.send(.GET, "/healthz", headers: [("Origin", origin)])
                #expect(actual.header("Access-Control-Allow-Origin") == origin)
                #expect(actual.header("Access-Control-Allow-Credentials") == "true")
            }
            let foreign = try await http.send(
                .OPTIONS,
                "/v1/auth/token/refresh",
                headers: [
                    ("Origin", "https://evil.example"), ("Access-Control-Request-Method", "POST"),
                ]
            )
            #expect(
                foreign.header("Access-Control-Allow-Origin") == nil
                    && foreign.header("Access-Control-Allow-Credentials") == nil
            )
            let foreignActual = try await http.send(.GET, "/healthz", headers: [("Origin", "https://evil.example")])
            #expect(foreignActual.header("Access-Control-Allow-Origin") == nil)
        }
    }

    @Test(
        "the account page: its own script and style only, a strict CSP, no framing, no inline code",
        arguments: StoreKind.all
    )
    func accountPageHeaders(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, _ in
            let page = try await http.get("/account")
            #expect(page.status == 200 && page.header("Content-Type")?.hasPrefix("text/html") == true)
            let policy = try #require(page.header("Content-Security-Policy"))
            for directive in [
                "default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
                "frame-ancestors 'none'", "form-action 'self'", "base-uri 'none'",
            ] {
                #expect(policy.contains(directive), "\(directive)")
            }
            #expect(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"))
            #expect(
                page.header("Referrer-Policy") == "no-referrer" && page.header("X-Content-Type-Options") == "nosniff"
            )
            #expect(page.header("X-Frame-Options") == "DENY" && page.header("Cache-Control") == "no-store")
            // Every script and style is a file of Rotor's: no inline code, no handler attributes, nothing external.
            let html = page.text
            #expect(html.contains(#"<script src="/account/app.js" defer></script>"#))
            #expect(html.components(separatedBy: "<script").count == 2)
            #expect(!html.contains("<style") && !html.contains(" style=") && !html.contains(" onclick="))
            #expect(!html.contains("http://") && !html.contains("https://"))
            for (path, type) in [("/account/app.js", "text/javascript"), ("/account/style.css", "text/css")] {
                let asset = try await http.get(path)
                #expect(asset.status == 200 && asset.header("Content-Type")?.hasPrefix(type) == true, "\(path)")
                #expect(asset.header("Content-Security-Policy") == policy)
            }
            // The script keeps the access token in memory only and never touches web storage or document.cookie.
            let script = try await http.get("/account/app.js").text
            #expect(
                !script.contains("localStorage") && !script.contains("sessionStorage")
                    && !script.contains("document.cookie")
            )
        }
    }

    @Test(
        "a password change in cookie mode answers the new session's refresh token only in the cookie",
        arguments: StoreKind.all
    )
    func passwordChangeInCookieMode(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router, configure: Self.configure) { http, _ in
            try await http.signUp("ada@example.com", "correct horse")
            let login = try await Self.cookieLogin(http)
            let access = try #require(login.string("access_token"))
            let changed = try await http.post(
                "/v1/me/password",
                json: [
                    "current_password": "correct horse", "new_password": "battery staple", "token_delivery": "cookie",
                ],
                headers: [("Authorization", "Bearer \(access)")]
            )
            #expect(
                changed.status == 200 && changed.json["refresh_token"] == nil && changed.string("access_token") != nil
            )
            let (value, header) = try Self.cookie(changed)
            #expect(value.hasPrefix("rtr_") && header.contains("HttpOnly") && header.contains("Path=/;"))
            // The new cookie refreshes; the old one died with every other session.
            let old = try Self.cookie(login).value
            let refresh = { (cookie: String) in
                try await http.send(
                    .POST,
                    "/v1/auth/token/refresh",
                    headers: [("Cookie", "\(Self.name)=\(cookie)"), ("Origin", Self.app)]
                )
            }
            #expect(try await refresh(value).status == 200)
            #expect(try await refresh(old).status == 401)
            let odd = try await http.post(
                "/v1/me/password",
                json: [
                    "current_password": "battery staple", "new_password": "x1234567",
                    "token_delivery": "pigeon",
                ],
                headers: [("Authorization", "Bearer \(access)")]
            )
            #expect(odd.status == 400 || odd.status == 401)
        }
    }
}
