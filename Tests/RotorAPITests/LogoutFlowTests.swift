import Foundation
import RotorProtocol
import RotorTestSupport
import Testing

/// RP-initiated logout (`/oauth/logout`) through the router on both stores: it ends the SSO session and every
/// session issued under it, only goes back to a registered URI, and asks first without a valid `id_token_hint`.
@Suite("Logout: RP-initiated")
struct LogoutFlowTests {
    typealias Flow = AuthorizeFlowTests

    @Test(
        "with an id_token_hint: every app's session ends, back to the registered URI with state",
        arguments: StoreKind.all
    )
    func withHint(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, database in
            let secrets = try await Flow.organisation(http, database, apps: ["wiki", "blog"])
            let (wikiSecret, blogSecret) = (secrets["wiki"] ?? "", secrets["blog"] ?? "")
            let browser = Flow.Browser(http)
            let wiki = try await Flow.signIn(browser, http, client: "wiki", secret: wikiSecret)
            let blog = try await Flow.signIn(browser, http, client: "blog", secret: blogSecret)  // by SSO
            let discovery = try await http.get("/.well-known/openid-configuration")
            #expect(discovery.string("end_session_endpoint") == "http://127.0.0.1:8080/oauth/logout")

            // An unregistered post_logout_redirect_uri: an error page, and nothing ends.
            let foreign = try await browser.send(
                .GET,
                "/oauth/logout?"
                    + TestBrowser.encode([
                        ("id_token_hint", wiki.idToken ?? ""), ("post_logout_redirect_uri", "https://evil.example/"),
                    ])
            )
            #expect(foreign.status == 400 && foreign.header("Location") == nil)
            // Another app's registered URI with this app's hint: refused as well.
            let crossed = try await browser.send(
                .GET,
                "/oauth/logout?"
                    + TestBrowser.encode([
                        ("id_token_hint", wiki.idToken ?? ""), ("post_logout_redirect_uri", "https://blog.example/bye"),
                        ("client_id", "blog"),
                    ])
            )
            #expect(crossed.status == 400 && crossed.header("Location") == nil)
            #expect(try await Flow.refresh(http, blog, client: "blog", secret: blogSecret).status == 200)

            let out = try await browser.send(
                .GET,
                "/oauth/logout?"
                    + TestBrowser.encode([
                        ("id_token_hint", wiki.idToken ?? ""), ("post_logout_redirect_uri", "https://wiki.example/bye"),
                        ("state", "s 1"),
                    ])
            )
            #expect(out.status == 303 && out.header("Location") == "https://wiki.example/bye?state=s%201")
            #expect(out.header("Set-Cookie")?.hasPrefix("__Host-rotor_sso=;") == true)
            // Both apps' sessions are over, and the next sign-in asks for the password.
            let wikiAfter = try await Flow.refresh(http, wiki, client: "wiki", secret: wikiSecret)
            #expect(wikiAfter.status == 400 && wikiAfter.error == "invalid_grant")
            let blogRefreshed = try await Flow.refresh(http, blog, client: "blog", secret: blogSecret)
            #expect(blogRefreshed.status == 400 && blogRefreshed.error == "invalid_grant", "\(blogRefreshed.text)")
            #expect(try await http.get("/oauth/userinfo", bearer: wiki.accessToken).status == 401)
            let again = try await http.send(
                .GET,
                Flow.authorizePath(client: "blog", redirect: "https://blog.example/cb"),
                headers: [("Cookie", "__Host-rotor_sso=\(await browser.cookies["__Host-rotor_sso"] ?? "")")]
            )
            #expect(again.status == 200 && again.text.contains("<form"))
        }
    }

    @Test(
        "without a valid hint the person confirms first; a forged confirmation changes nothing",
        arguments: StoreKind.all
    )
    func confirmation(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, database in
            let wikiSecret = try await Flow.organisation(http, database, apps: ["wiki"])["wiki"] ?? ""
            let browser = Flow.Browser(http)
            let wiki = try await Flow.signIn(browser, http, client: "wiki", secret: wikiSecret)

            // An access token is no id_token_hint: the page asks.
            for hint in [wiki.accessToken, "not.a.token", ""] {
                let page = try await browser.send(
                    .GET,
                    "/oauth/logout?"
                        + TestBrowser.encode([
                            ("id_token_hint", hint), ("client_id", "wiki"),
                            ("post_logout_redirect_uri", "https://wiki.example/bye"), ("state", "x"),
                        ])
                )
                #expect(page.status == 200 && page.text.contains("Sign out?"), "\(hint.prefix(20))")
            }
            #expect(try await Flow.refresh(http, wiki, client: "wiki", secret: wikiSecret).status == 200)
            let page = try await browser.send(
                .GET,
                "/oauth/logout?client_id=wiki&post_logout_redirect_uri=https%3A%2F%2Fwiki.example%2Fbye&state=x"
            )
            let forged = try await browser.send(
                .POST,
                "/oauth/logout/confirm",
                form: TestBrowser.hiddenFields(page.text).filter { $0.0 != "csrf_token" } + [("csrf_token", "guess")]
            )
            #expect(forged.status == 403 && forged.header("Location") == nil)
            let confirmed = try await browser.send(
                .POST,
                "/oauth/logout/confirm",
                form: TestBrowser.hiddenFields(page.text)
            )
            #expect(confirmed.status == 303 && confirmed.header("Location") == "https://wiki.example/bye?state=x")
            #expect(await browser.cookies["__Host-rotor_sso"] == "")
            // Without a registered place to go: the signed-out page.
            let plain = try await browser.send(.GET, "/oauth/logout")
            let done = try await browser.send(
                .POST,
                "/oauth/logout/confirm",
                form: TestBrowser.hiddenFields(plain.text)
            )
            #expect(done.status == 200 && done.text.contains("You are signed out"))
        }
    }

    @Test(
        "the account's app list: sign out of one app withdraws it, the app hears of it, others stay",
        arguments: StoreKind.all
    )
    func apps(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, database in
            let secrets = try await Flow.organisation(http, database, apps: ["wiki"], thirdParty: ["forum"])
            let (wikiSecret, forumSecret) = (secrets["wiki"] ?? "", secrets["forum"] ?? "")
            let browser = Flow.Browser(http)
            let wiki = try await Flow.signIn(browser, http, client: "wiki", secret: wikiSecret)
            // The forum asks for consent first.
            let asked = try await browser.send(
                .GET,
                Flow.authorizePath(client: "forum", redirect: "https://forum.example/cb")
            )
            let allowed = try await browser.send(
                .POST,
                "/oauth/authorize/consent",
                form: TestBrowser.hiddenFields(asked.text) + [("decision", "allow")]
            )
            let code = try #require(try Flow.query(allowed.header("Location"))["code"])
            let forum = try await Flow.exchange(http, code: code, client: "forum", secret: forumSecret).decode(
                TokenResponse.self
            )

            let own = try await http.signIn("ada@example.com", "correct horse")
            let bearer = [("Authorization", "Bearer \(own.access)")]
            let listed = try await http.send(.GET, "/v1/me/apps", headers: bearer).decode(AppList.self)
            #expect(listed.apps.map(\.clientId) == ["forum", "wiki"])
            #expect(listed.apps[0].scopes == ["openid", "email"] && !listed.apps[0].firstParty)
            #expect(listed.apps[1].sessions == 1 && listed.apps[1].firstParty && listed.apps[1].lastUsedAt != nil)

            // The session list names each session's client.
            let sessions = try await http.send(.GET, "/v1/sessions", headers: bearer).sessions()
            #expect(Set(sessions.compactMap(\.clientId)) == ["rotor", "wiki", "forum"])
            let withdrawn = try await http.send(.DELETE, "/v1/me/apps/forum", headers: bearer)
            #expect(withdrawn.status == 204)
            #expect(try await Flow.refresh(http, forum, client: "forum", secret: forumSecret).error == "invalid_grant")
            #expect(try await Flow.refresh(http, wiki, client: "wiki", secret: wikiSecret).status == 200)
            let after = try await http.send(.GET, "/v1/me/apps", headers: bearer).decode(AppList.self)
            #expect(after.apps.map(\.clientId) == ["wiki"])
            // Consent is asked again.
            let again = try await browser.send(
                .GET,
                Flow.authorizePath(client: "forum", redirect: "https://forum.example/cb")
            )
            #expect(again.status == 200 && again.text.contains("Allow <strong>Forum</strong>?"))
            // Unknown or the JSON API's own: not found.
            #expect(try await http.send(.DELETE, "/v1/me/apps/forum", headers: bearer).status == 404)
            #expect(try await http.send(.DELETE, "/v1/me/apps/rotor", headers: bearer).status == 404)
            #expect(try await http.send(.DELETE, "/v1/me/apps/wiki").status == 401)
            let events = try await http.send(.GET, "/v1/me/events", headers: bearer).events()
            #expect(events.contains { $0.type == "session_revoked" && $0.cause == "consent_withdrawn" })
        }
    }
}
