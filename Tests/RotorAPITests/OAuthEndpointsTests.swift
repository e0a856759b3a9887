import Foundation
import RotorCore
import RotorServer
import RotorTestSupport
import Testing

/// `/oauth/token`, `/oauth/revoke`, `/oauth/introspect` and the RFC 8414 metadata over real HTTP.
@Suite("OAuth endpoints")
struct OAuthEndpointsTests {
    static let secret = "introspection-secret-for-tests"

    static func form(
        _ http: TestHTTP,
        _ path: String,
        _ body: String,
        headers: [(String, String)] = []
    ) async throws
        -> HTTPAnswer
    {
        try await http.send(
            .POST,
            path,
            headers: [("Content-Type", "application/x-www-form-urlencoded")] + headers,
            body: Data(body.utf8)
        )
    }

    static func configure(_ configuration: inout ServerConfiguration) {
        configuration.introspectionSecret = secret
    }

    @Test("the refresh grant rotates like /v1/auth/token/refresh, with RFC 6749 §5.2 errors", arguments: StoreKind.all)
    func tokenEndpoint(_ store: StoreKind) async throws {
        let clock = ManualClock(start: Date())
        try await InProcessServer.run(on: store, transport: .router, clock: clock, configure: Self.configure) {
            http,
            _ in
            let login = try await http.newAccount()
            let rotated = try await Self.form(
                http,
                "/oauth/token",
                "grant_type=refresh_token&refresh_token=\(login.refresh)"
            )
            #expect(rotated.status == 200)
            #expect(rotated.header("Cache-Control") == "no-store")
            #expect(rotated.string("token_type") == "Bearer" && rotated.string("access_token") != nil)
            let child = try rotated.issued().refresh

            let cases: [(String, Int, String)] = [
                ("", 400, "invalid_request"),
                ("refresh_token=\(child)", 400, "invalid_request"),
                ("grant_type=password&username=a&password=b", 400, "unsupported_grant_type"),
                ("grant_type=refresh_token", 400, "invalid_request"),
                ("grant_type=refresh_token&refresh_token=rtr_nope", 400, "invalid_grant"),
                ("grant_type=refresh_token&refresh_token=\(child)&refresh_token=\(child)", 400, "invalid_request"),
                ("grant_type=refresh_token&refresh_token=\(child)&client_id=someone-else", 401, "invalid_client"),
                ("grant_type=refresh_token&refresh_token=%zz", 400, "invalid_request"),
            ]
            for (body, status, error) in cases {
                let answer = try await Self.form(http, "/oauth/token", body)
                #expect(answer.status == status && answer.error == error, "\(body): \(answer.text)")
            }
            let json = try await http.post(
                "/oauth/token",
                json: ["grant_type": "refresh_token", "refresh_token": child]
            )
            #expect(json.status == 400 && json.error == "invalid_request")

            // The child still works (none of the bad requests spent it), with client_id=rotor too.
            let next = try await Self.form(
                http,
                "/oauth/token",
                "grant_type=refresh_token&client_id=rotor&refresh_token=\(child)"
            )
            #expect(next.status == 200)
            clock.advance(by: 11)
            let reuse = try await Self.form(http, "/oauth/token", "grant_type=refresh_token&refresh_token=\(child)")
            #expect(reuse.status == 400 && reuse.error == "invalid_grant")
            #expect(reuse.string("error_description")?.contains("reuse_detected") == true)
        }
    }

    @Test(
        "revocation answers 200 for any well-formed request; a refresh or access token ends its session",
        arguments: StoreKind.all
    )
    func revoke(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router, configure: Self.configure) { http, _ in
            try await http.signUp("ada@example.com", "correct horse")
            #expect(try await Self.form(http, "/oauth/revoke", "token=nonsense").status == 200)
            #expect(
                try await Self.form(
                    http,
                    "/oauth/revoke",
                    "token=rtr_\(String(repeating: "x", count: 43))&token_type_hint=refresh_token"
                ).status == 200
            )

            let byRefresh = try await http.signIn()
            #expect(try await Self.form(http, "/oauth/revoke", "token=\(byRefresh.refresh)").status == 200)
            #expect(try await SessionManagementTests.endCause(http, byRefresh)?.contains("logout") == true)

            let byAccess = try await http.signIn()
            #expect(
                try await Self.form(http, "/oauth/revoke", "token=\(byAccess.access)&token_type_hint=access_token")
                    .status == 200
            )
            #expect(try await SessionManagementTests.endCause(http, byAccess)?.contains("logout") == true)

            #expect(try await Self.form(http, "/oauth/revoke", "").status == 400)
            #expect(try await http.post("/oauth/revoke", json: ["token": "x"]).status == 400)
        }
    }

    @Test("introspection needs the secret; inactive tokens answer only {\"active\": false}", arguments: StoreKind.all)
    func introspect(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router, configure: Self.configure) { http, _ in
            let login = try await http.newAccount()
            let auth = [("Authorization", "Bearer \(Self.secret)")]

            for headers in [
                [], [("Authorization", "Bearer wrong-secret-but-long-enough")],
                [("Authorization", "Basic \(Self.secret)")],
            ] {
                let refused = try await Self.form(http, "/oauth/introspect", "token=\(login.access)", headers: headers)
                #expect(refused.status == 401 && refused.error == "invalid_client")
                #expect(refused.json["active"] == nil)
            }

            let access = try await Self.form(http, "/oauth/introspect", "token=\(login.access)", headers: auth)
            #expect(access.status == 200 && access.json["active"] as? Bool == true)
            #expect(access.string("token_type") == "Bearer" && access.string("sid") == login.session)
            #expect(
                access.string("sub") != nil && access.json["exp"] as? Int != nil
                    && access.string("client_id") == "rotor"
            )
            let refresh = try await Self.form(http, "/oauth/introspect", "token=\(login.refresh)", headers: auth)
            #expect(refresh.json["active"] as? Bool == true && refresh.string("token_type") == "refresh_token")

            _ = try await http.refresh(login.refresh)  // now used
            for token in [login.refresh, "garbage", "rtr_\(String(repeating: "A", count: 43))", login.access + "x"] {
                let inactive = try await Self.form(http, "/oauth/introspect", "token=\(token)", headers: auth)
                #expect(inactive.status == 200 && inactive.json.count == 1 && inactive.json["active"] as? Bool == false)
            }
            // After logout the (still unexpired) access token is inactive: introspection knows what JWTs cannot.
            #expect(
                try await http.send(.POST, "/v1/auth/logout", headers: [("Authorization", "Bearer \(login.access)")])
                    .status == 204
            )
            let afterLogout = try await Self.form(http, "/oauth/introspect", "token=\(login.access)", headers: auth)
            #expect(afterLogout.json.count == 1 && afterLogout.json["active"] as? Bool == false)
        }
    }

    @Test("introspection is closed when no secret is configured", arguments: StoreKind.all)
    func closed(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, _ in
            let answer = try await Self.form(
                http,
                "/oauth/introspect",
                "token=x",
                headers: [("Authorization", "Bearer anything-at-all-here")]
            )
            #expect(answer.status == 401 && answer.error == "invalid_client")
        }
    }

    @Test("RFC 8414 and OpenID discovery metadata: every URL in it works", arguments: StoreKind.all)
    func metadata(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router, configure: Self.configure) { http, _ in
            let answer = try await http.get("/.well-known/oauth-authorization-server")
            #expect(answer.status == 200)
            let issuer = try #require(answer.string("issuer"))
            #expect(issuer == "http://127.0.0.1:8080")
            #expect(
                answer.json["grant_types_supported"] as? [String] == [
                    "authorization_code", "refresh_token", "client_credentials",
                    "urn:ietf:params:oauth:grant-type:device_code",
                ]
            )
            // The OpenID Connect discovery document is the same document.
            #expect(try await http.get("/.well-known/openid-configuration").text == answer.text)
            // The test server listens on another port than the issuer names: follow each URL on it.
            func local(_ key: String) throws -> String {
                let url = try #require(answer.string(key))
                #expect(url.hasPrefix(issuer), "\(key)")
                return String(url.dropFirst(issuer.count))
            }
            #expect(try await http.get(try local("jwks_uri")).status == 200)
            #expect(
                try await Self.form(http, try local("token_endpoint"), "grant_type=refresh_token&refresh_token=rtr_x")
                    .error == "invalid_grant"
            )
            #expect(try await Self.form(http, try local("revocation_endpoint"), "token=x").status == 200)
            #expect(try await http.get(try local("userinfo_endpoint")).status == 401)
            #expect(try await http.get(try local("authorization_endpoint")).status == 400)  // an error page
            #expect(
                try await Self.form(http, try local("device_authorization_endpoint"), "client_id=nobody").error
                    == "invalid_client"
            )
            #expect(
                try await Self.form(
                    http,
                    try local("introspection_endpoint"),
                    "token=x",
                    headers: [("Authorization", "Bearer \(Self.secret)")]
                ).json["active"] as? Bool == false
            )
        }
    }
}
