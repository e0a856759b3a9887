import Foundation
import JWTKit
import RotorCore
import RotorProtocol
import RotorTestSupport
import Testing

/// `/oauth/authorize` with the hosted sign-in page, single sign-on across two apps, and the code's exchange at
/// `/oauth/token`, driven as a browser would (cookies, forms, redirects) through the router on both stores.
@Suite("Authorization: sign-in page, SSO, code exchange")
struct AuthorizeFlowTests {
    static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

    typealias Browser = TestBrowser

    static func authorizePath(client: String, redirect: String, extra: [(String, String)] = []) -> String {
        "/oauth/authorize?"
            + TestBrowser.encode(
                [
                    ("response_type", "code"), ("client_id", client), ("redirect_uri", redirect),
                    ("scope", "openid email"), ("state", "st<&>\"'"), ("nonce", "n-1"),
                    ("code_challenge", challenge), ("code_challenge_method", "S256"),
                ] + extra
            )
    }

    /// The sign-in form's hidden fields, as the browser would send them back (HTML entities decoded).

    /// The query parameters of a redirect's `Location`.
    static func query(_ location: String?) throws -> [String: String] {
        let components = try #require(location.flatMap(URLComponents.init(string:)))
        return Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }) { first, _ in first }
    }

    static func register(
        _ http: TestHTTP,
        _ auth: [(String, String)],
        id: String,
        firstParty: Bool = true
    )
        async throws -> String
    {
        let answer = try await http.post(
            "/v1/admin/clients",
            body: ClientRegistrationRequest(
                clientId: id,
                clientName: id.capitalized,
                redirectURIs: ["https://\(id).example/cb"],
                postLogoutRedirectURIs: ["https://\(id).example/bye"],
                scope: "openid email",
                firstParty: firstParty
            ),
            headers: auth
        )
        #expect(answer.status == 201, "\(answer.text)")
        return try #require(try answer.decode(ClientInformation.self).clientSecret)
    }

    /// Exchanges `code` at `/oauth/token` as `client`'s back end does: its registered callback, the flow's PKCE
    /// verifier, HTTP Basic with `secret`.
    static func exchange(_ http: TestHTTP, code: String, client: String, secret: String) async throws -> HTTPAnswer {
        try await OAuthEndpointsTests.form(
            http,
            "/oauth/token",
            TestBrowser.encode([
                ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", "https://\(client).example/cb"),
                ("code_verifier", verifier),
            ]),
            headers: [CodeGrantEndpointTests.basic(client, secret)]
        )
    }

    /// An admin, the `apps` (first-party) and `thirdParty` clients registered as ``register(_:_:id:firstParty:)``
    /// does, and Ada's account: the clients' secrets by id.
    static func organisation(
        _ http: TestHTTP,
        _ database: TestDatabase,
        apps: [String],
        thirdParty: [String] = []
    ) async throws -> [String: String] {
        let auth = try await ClientAdminTests.admin(http, database)
        var secrets: [String: String] = [:]
        for id in apps { secrets[id] = try await register(http, auth, id: id) }
        for id in thirdParty { secrets[id] = try await register(http, auth, id: id, firstParty: false) }
        #expect(try await http.signUp("ada@example.com", "correct horse").status == 201)
        return secrets
    }

    /// Signs the browser in through `client` (the sign-in page, or SSO) and exchanges the code.
    static func signIn(
        _ browser: Browser,
        _ http: TestHTTP,
        client: String,
        secret: String
    ) async throws
        -> TokenResponse
    {
        var answer = try await browser.send(
            .GET,
            Self.authorizePath(client: client, redirect: "https://\(client).example/cb")
        )
        if answer.status == 200 {
            answer = try await browser.send(
                .POST,
                "/oauth/authorize/sign-in",
                form: TestBrowser.hiddenFields(answer.text) + [
                    ("email", "ada@example.com"), ("password", "correct horse"),
                ]
            )
        }
        let code = try #require(try Self.query(answer.header("Location"))["code"], "\(answer.status) \(answer.text)")
        let exchanged = try await Self.exchange(http, code: code, client: client, secret: secret)
        #expect(exchanged.status == 200, "\(exchanged.text)")
        return try exchanged.decode(TokenResponse.self)
    }

    static func refresh(
        _ http: TestHTTP,
        _ token: TokenResponse,
        client: String,
        secret: String
    ) async throws
        -> HTTPAnswer
    {
        try await OAuthEndpointsTests.form(
            http,
            "/oauth/token",
            TestBrowser.encode([("grant_type", "refresh_token"), ("refresh_token", token.refreshToken ?? "")]),
            headers: [CodeGrantEndpointTests.basic(client, secret)]
        )
    }

    @Test("sign in once, get a code, exchange it; the second app signs in without a password", arguments: StoreKind.all)
    func singleSignOn(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, database in
            let wikiSecret = try await Self.organisation(http, database, apps: ["wiki", "blog"])["wiki"] ?? ""
            let browser = Browser(http)

            // 1. The wiki sends the browser to Rotor: the sign-in page, with the app's name and a CSRF cookie.
            let page = try await browser.send(
                .GET,
                Self.authorizePath(
                    client: "wiki",
                    redirect: "https://wiki.example/cb",
                    extra: [("login_hint", "ada@example.com")]
                )
            )
            #expect(page.status == 200 && page.header("Content-Type") == "text/html; charset=utf-8")
            #expect(page.text.contains("<strong>Wiki</strong>") && page.text.contains(#"value="ada@example.com""#))
            #expect(page.header("Content-Security-Policy")?.contains("default-src 'none'") == true)
            #expect(page.header("Cache-Control") == "no-store" && page.header("X-Frame-Options") == "DENY")
            #expect(!page.text.contains("<script") && !page.text.contains("st<&>"))  // the state, escaped
            let setCookie = try #require(page.header("Set-Cookie"))
            #expect(setCookie.hasPrefix("__Host-rotor_csrf=") && setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Strict") && setCookie.contains("Secure"))
            let fields = TestBrowser.hiddenFields(page.text)
            #expect(fields.contains { $0 == ("state", "st<&>\"'") })

            // 2. A wrong password: the page again, with the reason in words, and nothing set.
            let wrong = try await browser.send(
                .POST,
                "/oauth/authorize/sign-in",
                form: TestBrowser.hiddenFields(page.text) + [("email", "ada@example.com"), ("password", "wrong horse")]
            )
            #expect(wrong.status == 401 && wrong.text.contains("The email or the password is not right."))
            #expect(await browser.cookies["__Host-rotor_sso"] == nil)

            // 3. A forged post (no CSRF token of this browser) is refused before the password is looked at.
            let forged = try await http.send(
                .POST,
                "/oauth/authorize/sign-in",
                headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: Data(
                    TestBrowser.encode(
                        TestBrowser.hiddenFields(wrong.text).filter { $0.0 != "csrf_token" }
                            + [("csrf_token", "guess"), ("email", "ada@example.com"), ("password", "correct horse")]
                    ).utf8
                )
            )
            #expect(forged.status == 403 && forged.text.contains("expired"))
            #expect(forged.header("Location") == nil)
            // The right token from another site's page (or an opaque one): refused by the Origin check.
            let csrf = try #require(await browser.cookies["__Host-rotor_csrf"])
            for origin in ["https://evil.example", "null"] {
                let crossSite = try await http.send(
                    .POST,
                    "/oauth/authorize/sign-in",
                    headers: [
                        ("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", "__Host-rotor_csrf=\(csrf)"),
                        ("Origin", origin),
                    ],
                    body: Data(
                        TestBrowser.encode(
                            TestBrowser.hiddenFields(wrong.text) + [
                                ("email", "ada@example.com"), ("password", "correct horse"),
                            ]
                        )
                        .utf8
                    )
                )
                #expect(crossSite.status == 403 && crossSite.text.contains("another site"), "\(origin)")
            }

            // 4. The right password: the SSO cookie, and back to the wiki with a code, the state and iss.
            let signedIn = try await browser.send(
                .POST,
                "/oauth/authorize/sign-in",
                form: TestBrowser.hiddenFields(wrong.text) + [
                    ("email", "ada@example.com"), ("password", "correct horse"),
                ]
            )
            #expect(signedIn.status == 303, "\(signedIn.text)")
            let sso = try #require(signedIn.headerValues("Set-Cookie").first { $0.hasPrefix("__Host-rotor_sso=") })
            #expect(sso.contains("HttpOnly") && sso.contains("SameSite=Lax") && sso.contains("Path=/"))
            let location = try #require(signedIn.header("Location"))
            #expect(location.hasPrefix("https://wiki.example/cb?code=rac_"))
            let answer = try Self.query(location)
            #expect(answer["state"] == "st<&>\"'" && answer["iss"] == "http://127.0.0.1:8080")
            let code = try #require(answer["code"])

            // 5. The wiki's back end exchanges the code: tokens, an ID token, userinfo.
            let exchanged = try await Self.exchange(http, code: code, client: "wiki", secret: wikiSecret)
            #expect(exchanged.status == 200, "\(exchanged.text)")
            let tokens = try exchanged.decode(TokenResponse.self)
            #expect(tokens.scope == "openid email" && tokens.refreshToken != nil)
            let jwks = try await http.get("/.well-known/jwks.json").text
            let idToken = try await JWTKeyCollection().add(jwksJSON: jwks)
                .verify(try #require(tokens.idToken), as: IDTokenClaims.self)
            #expect(idToken.aud == "wiki" && idToken.nonce == "n-1" && idToken.email == "ada@example.com")
            let info = try await http.get("/oauth/userinfo", bearer: tokens.accessToken)
            #expect(
                try info.decode(UserInfoResponse.self)
                    == UserInfoResponse(sub: idToken.sub, email: "ada@example.com", emailVerified: false)
            )
            // The same code again: refused, and the session it started is over.
            let replay = try await Self.exchange(http, code: code, client: "wiki", secret: wikiSecret)
            #expect(replay.status == 400 && replay.error == "invalid_grant")
            #expect(try await http.get("/oauth/userinfo", bearer: tokens.accessToken).status == 401)

            // 6. The blog: no password, a code at once (single sign-on).
            let blog = try await browser.send(
                .GET,
                Self.authorizePath(client: "blog", redirect: "https://blog.example/cb")
            )
            #expect(
                blog.status == 303 && blog.header("Location")?.hasPrefix("https://blog.example/cb?code=rac_") == true
            )
            // prompt=login asks for the password again; max_age=0 too (the password is older than now).
            let again = try await browser.send(
                .GET,
                Self.authorizePath(client: "blog", redirect: "https://blog.example/cb", extra: [("prompt", "login")])
            )
            #expect(again.status == 200 && again.text.contains("<form"))
            // A browser with no SSO session and prompt=none: login_required at the registered URI.
            let silent = try await http.send(
                .GET,
                Self.authorizePath(client: "blog", redirect: "https://blog.example/cb", extra: [("prompt", "none")])
            )
            let refusal = try Self.query(silent.header("Location"))
            #expect(silent.status == 303 && refusal["error"] == "login_required" && refusal["state"] == "st<&>\"'")
        }
    }

    @Test("no redirect to an unregistered URI, ever: an error page instead", arguments: StoreKind.all)
    func errorPages(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, database in
            let auth = try await ClientAdminTests.admin(http, database)
            _ = try await Self.register(http, auth, id: "wiki")
            for path in [
                Self.authorizePath(client: "wiki", redirect: "https://evil.example/cb"),
                Self.authorizePath(client: "nobody", redirect: "https://wiki.example/cb"),
                Self.authorizePath(client: "wiki", redirect: "https://wiki.example/cb/"),
                "/oauth/authorize?client_id=wiki",
                "/oauth/authorize?client_id=%zz",
            ] {
                let answer = try await http.send(.GET, path)
                #expect(answer.status == 400 && answer.header("Location") == nil, "\(path)")
                #expect(answer.text.contains("This sign-in link does not work"), "\(path)")
            }
            // Every other problem goes back to the registered URI with its RFC code.
            let plain = try await http.send(
                .GET,
                Self.authorizePath(
                    client: "wiki",
                    redirect: "https://wiki.example/cb",
                    extra: [("code_challenge_method", "plain")]
                )
            )
            let plainError = try Self.query(plain.header("Location"))["error"]
            #expect(plain.status == 303 && plainError == "invalid_request")
            // Discovery names what a relying party needs, with only the issuer configured.
            let discovery = try await http.get("/.well-known/openid-configuration")
            let metadata = try discovery.decode(AuthorizationServerMetadata.self)
            #expect(metadata.authorizationEndpoint == "http://127.0.0.1:8080/oauth/authorize")
            #expect(metadata.userinfoEndpoint == "http://127.0.0.1:8080/oauth/userinfo")
            #expect(metadata.idTokenSigningAlgValuesSupported?.contains("RS256") == true)
            #expect(metadata.codeChallengeMethodsSupported == ["S256"] && metadata.responseTypesSupported == ["code"])
            #expect(
                metadata.subjectTypesSupported == ["public"]
                    && metadata.authorizationResponseIssParameterSupported == true
            )
            #expect(metadata.backchannelLogoutSupported == true && metadata.backchannelLogoutSessionSupported == true)
        }
    }

    @Test("a third-party app asks for consent once; deny and allow answer as OIDC says", arguments: StoreKind.all)
    func consent(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, database in
            _ = try await Self.organisation(http, database, apps: [], thirdParty: ["forum", "games"])
            let browser = Browser(http)
            let path = Self.authorizePath(client: "forum", redirect: "https://forum.example/cb")
            let page = try await browser.send(.GET, path)
            // Signing in leads to the consent page, not to a code.
            let asked = try await browser.send(
                .POST,
                "/oauth/authorize/sign-in",
                form: TestBrowser.hiddenFields(page.text) + [
                    ("email", "ada@example.com"), ("password", "correct horse"),
                ]
            )
            #expect(asked.status == 200 && asked.header("Location") == nil, "\(asked.text)")
            #expect(
                asked.text.contains("Allow <strong>Forum</strong>?") && asked.text.contains("See your email address")
            )
            #expect(asked.text.contains("Signed in as ada@example.com"))
            #expect(asked.headerValues("Set-Cookie").contains { $0.hasPrefix("__Host-rotor_sso=") })

            // A forged decision (no CSRF token of this browser) is refused.
            let forged = try await browser.send(
                .POST,
                "/oauth/authorize/consent",
                form: TestBrowser.hiddenFields(asked.text).filter { $0.0 != "csrf_token" } + [
                    ("csrf_token", "guess"), ("decision", "allow"),
                ]
            )
            #expect(forged.status == 403 && forged.header("Location") == nil)
            // Deny: access_denied at the registered URI, and nothing remembered.
            let denied = try await browser.send(
                .POST,
                "/oauth/authorize/consent",
                form: TestBrowser.hiddenFields(asked.text) + [("decision", "deny")]
            )
            let refusal = try Self.query(denied.header("Location"))
            #expect(denied.status == 303 && refusal["error"] == "access_denied" && refusal["state"] == "st<&>\"'")
            let again = try await browser.send(.GET, path)
            #expect(again.status == 200 && again.text.contains("Allow <strong>Forum</strong>?"))
            // Allow: a code; the next request answers at once (remembered), until prompt=consent asks again.
            let allowed = try await browser.send(
                .POST,
                "/oauth/authorize/consent",
                form: TestBrowser.hiddenFields(again.text) + [("decision", "allow")]
            )
            #expect(allowed.status == 303 && allowed.header("Location")?.contains("code=rac_") == true)
            let remembered = try await browser.send(.GET, path)
            #expect(remembered.status == 303 && remembered.header("Location")?.contains("code=rac_") == true)
            let askedAgain = try await browser.send(
                .GET,
                Self.authorizePath(
                    client: "forum",
                    redirect: "https://forum.example/cb",
                    extra: [("prompt", "consent")]
                )
            )
            #expect(askedAgain.status == 200 && askedAgain.text.contains("Allow <strong>Forum</strong>?"))
            // Another third-party app, silently: consent_required.
            let silent = try await browser.send(
                .GET,
                Self.authorizePath(client: "games", redirect: "https://games.example/cb", extra: [("prompt", "none")])
            )
            #expect(try Self.query(silent.header("Location"))["error"] == "consent_required")
        }
    }
}
