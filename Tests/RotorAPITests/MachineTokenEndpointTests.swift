import Foundation
import RotorJWT
import RotorProtocol
import RotorTestSupport
import Testing

/// `grant_type=client_credentials` at `/oauth/token` (RFC 6749 §4.4): what a machine gets, and the RFC error for
/// everything it may not have.
@Suite("Token endpoint: client credentials")
struct MachineTokenEndpointTests {
    static let api = "https://api.example"

    /// Registers the machine client `reporter` (scopes `reports.read reports.write`, audience ``api``) with `method`.
    static func registerReporter(
        _ http: TestHTTP,
        _ auth: [(String, String)],
        id: String = "reporter",
        method: String = "client_secret_basic"
    ) async throws -> String {
        let client = try await CodeGrantEndpointTests.register(
            http,
            auth,
            ClientRegistrationRequest(
                clientId: id,
                grantTypes: ["client_credentials"],
                tokenEndpointAuthMethod: method,
                scope: "reports.read reports.write",
                audience: api
            )
        )
        return try #require(client.clientSecret)
    }

    /// The payload of a JWS, as JSON.
    static func claims(_ token: String) throws -> [String: Any] {
        let parts = token.split(separator: ".")
        try #require(parts.count == 3)
        let payload = try #require(Base64URL.decode(String(parts[1])))
        return try #require(try JSONSerialization.jsonObject(with: payload) as? [String: Any])
    }

    @Test("a machine gets an access token for itself: no session, no roles, no refresh token", arguments: StoreKind.all)
    func issued(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router, configure: OAuthEndpointsTests.configure) {
            http,
            database in
            let auth = try await ClientAdminTests.admin(http, database)
            let secret = try await Self.registerReporter(http, auth)
            let basic = CodeGrantEndpointTests.basic("reporter", secret)
            let answer = try await OAuthEndpointsTests.form(
                http,
                "/oauth/token",
                "grant_type=client_credentials",
                headers: [basic]
            )
            #expect(answer.status == 200, "\(answer.text)")
            #expect(answer.header("Cache-Control") == "no-store")
            let token = try answer.decode(MachineTokenResponse.self)
            #expect(
                token.tokenType == "Bearer" && token.scope == "reports.read reports.write" && token.expiresIn == 900
            )
            #expect(answer.json["refresh_token"] == nil && answer.json["id_token"] == nil)
            let claims = try Self.claims(token.accessToken)
            #expect(claims["sub"] as? String == "reporter" && claims["client_id"] as? String == "reporter")
            #expect(claims["sid"] == nil && (claims["roles"] as? [String]) == [])
            #expect(claims["aud"] as? String == Self.api)

            // Narrower scopes and an RFC 8707 resource are honoured.
            let narrow = try await OAuthEndpointsTests.form(
                http,
                "/oauth/token",
                "grant_type=client_credentials&scope=reports.read&resource=\(Self.api)",
                headers: [basic]
            )
            #expect(try narrow.decode(MachineTokenResponse.self).scope == "reports.read", "\(narrow.text)")

            // Rotor's own routes are a person's: a machine token is not a caller there.
            let me = try await http.get("/v1/me", bearer: token.accessToken)
            #expect(me.status == 401 && me.error == "invalid_token")
            let userInfo = try await http.get("/oauth/userinfo", bearer: token.accessToken)
            #expect(userInfo.status == 403 && userInfo.error == "insufficient_scope", "\(userInfo.text)")

            // Introspection answers for the token while its client is registered, and not after.
            let introspection = [("Authorization", "Bearer \(OAuthEndpointsTests.secret)")]
            let active = try await OAuthEndpointsTests.form(
                http,
                "/oauth/introspect",
                "token=\(token.accessToken)",
                headers: introspection
            )
            #expect(active.json["active"] as? Bool == true && active.string("sub") == "reporter", "\(active.text)")
            #expect(active.json["sid"] == nil && active.string("client_id") == "reporter")
            // Revocation has no session to end; the answer is still RFC 7009's 200.
            let revoked = try await OAuthEndpointsTests.form(http, "/oauth/revoke", "token=\(token.accessToken)")
            #expect(revoked.status == 200)
            let deleted = try await http.send(.DELETE, "/v1/admin/clients/reporter", headers: auth)
            #expect(deleted.status == 204, "\(deleted.text)")
            let inactive = try await OAuthEndpointsTests.form(
                http,
                "/oauth/introspect",
                "token=\(token.accessToken)",
                headers: introspection
            )
            #expect(inactive.json["active"] as? Bool == false, "\(inactive.text)")
            let gone = try await OAuthEndpointsTests.form(
                http,
                "/oauth/token",
                "grant_type=client_credentials",
                headers: [basic]
            )
            #expect(gone.status == 401 && gone.error == "invalid_client")
        }
    }

    @Test("each refusal is its RFC error and issues nothing", arguments: StoreKind.all)
    func refusals(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, database in
            let auth = try await ClientAdminTests.admin(http, database)
            let secret = try await Self.registerReporter(http, auth)
            let postedSecret = try await Self.registerReporter(http, auth, id: "poster", method: "client_secret_post")
            let wikiSecret = try await CodeGrantEndpointTests.registerWiki(http, auth)
            try await CodeGrantEndpointTests.registerCLI(http, auth)
            let basic = CodeGrantEndpointTests.basic("reporter", secret)
            let grant = "grant_type=client_credentials"
            let cases: [(String, [(String, String)], Int, String)] = [
                // The client's own method works; everything else is one invalid_client.
                (grant + "&client_id=poster&client_secret=\(postedSecret)", [], 200, ""),
                (grant, [], 401, "invalid_client"),
                (grant, [CodeGrantEndpointTests.basic("reporter", "rcs_wrong")], 401, "invalid_client"),
                // Another client's secret, and each client by the other's method.
                (grant, [CodeGrantEndpointTests.basic("reporter", wikiSecret)], 401, "invalid_client"),
                (grant, [CodeGrantEndpointTests.basic("poster", postedSecret)], 401, "invalid_client"),
                (grant + "&client_id=reporter&client_secret=\(secret)", [], 401, "invalid_client"),
                // Clients that may not use the grant at all.
                (grant + "&client_id=cli", [], 400, "unauthorized_client"),  // public: no credentials to present
                (grant, [CodeGrantEndpointTests.basic("wiki", wikiSecret)], 400, "unauthorized_client"),
                // Scopes and resources it may not have.
                (grant + "&scope=openid", [basic], 400, "invalid_scope"),
                (grant + "&scope=reports.read%20offline_access", [basic], 400, "invalid_scope"),
                (grant + "&scope=admin", [basic], 400, "invalid_scope"),
                (grant + "&resource=https://other.example", [basic], 400, "invalid_target"),
                (grant + "&resource=\(Self.api)%23frag", [basic], 400, "invalid_target"),
                (grant + "&resource=not-a-uri", [basic], 400, "invalid_target"),
                (grant + "&resource=\(Self.api)&resource=https://other.example", [basic], 400, "invalid_target"),
                // Malformed requests.
                (grant + "&scope=a&scope=b", [basic], 400, "invalid_request"),
                (grant + "&client_id=poster", [basic], 400, "invalid_request"),
                ("grant_type=client_credential", [basic], 400, "unsupported_grant_type"),
            ]
            for (body, headers, status, error) in cases {
                let answer = try await OAuthEndpointsTests.form(http, "/oauth/token", body, headers: headers)
                if status == 200 {
                    #expect(answer.status == 200 && answer.string("access_token") != nil, "\(body): \(answer.text)")
                    continue
                }
                #expect(answer.status == status && answer.error == error, "\(body) \(headers): \(answer.text)")
                #expect(answer.json["access_token"] == nil)
                #expect(!answer.text.contains(secret) && !answer.text.contains(postedSecret))
            }
        }
    }
}
