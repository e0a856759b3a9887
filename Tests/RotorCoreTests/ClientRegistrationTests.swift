import Foundation
import RotorCore
import RotorTestSupport
import Testing

/// The client registry's rules as tables, and the engine's registry on both stores.
@Suite("Client registration")
struct ClientRegistrationTests {
    @Test(
        "which URIs may be registered",
        arguments: [
            ("https://app.example.com/callback", nil),
            ("https://app.example.com/cb?tenant=a", nil),
            ("http://127.0.0.1/callback", nil),
            ("http://127.0.0.1:8080/callback", nil),
            ("http://[::1]:9000/cb", nil),
            ("http://localhost:3000/cb", nil),
            ("http://app.example.com/callback", "must be https"),
            ("https://app.example.com/cb#frag", "must not have a fragment"),
            ("https://user:pw@app.example.com/cb", "must not carry user info"),
            ("/callback", "must be an absolute URI"),
            ("https:///callback", "must be an absolute URI"),
            ("javascript:alert(1)", "must be an absolute URI"),
            ("com.example.app:/callback", "must be an absolute URI"),
            ("ftp://app.example.com/cb", "must be https"),
            ("https://app.example.com/a b", "must be ASCII with no spaces"),
            ("https://app.example.com/é", "must be ASCII with no spaces"),
        ] as [(String, String?)]
    )
    func registrable(uri: String, problem: String?) {
        let found = RedirectURI.problem(uri)
        if let problem {
            #expect(found?.contains(problem) == true, "\(uri): \(found ?? "accepted")")
        } else {
            #expect(found == nil, "\(uri): \(found ?? "")")
        }
    }

    @Test(
        "a presented redirect URI matches exactly; a loopback one on any port (RFC 8252 §7.3)",
        arguments: [
            ("https://app.example.com/cb", "https://app.example.com/cb", true),
            ("https://app.example.com/cb/", "https://app.example.com/cb", false),
            ("https://app.example.com/cb?x=1", "https://app.example.com/cb", false),
            ("https://app.example.com:443/cb", "https://app.example.com/cb", false),
            ("https://APP.example.com/cb", "https://app.example.com/cb", false),
            ("https://app.example.com.evil.test/cb", "https://app.example.com/cb", false),
            ("https://app.example.com/cb#x", "https://app.example.com/cb", false),
            ("https://app.example.com:8443/cb", "https://app.example.com:443/cb", false),
            ("http://127.0.0.1:51234/cb", "http://127.0.0.1/cb", true),
            ("http://127.0.0.1:51234/cb", "http://127.0.0.1:8080/cb", true),
            ("http://127.0.0.1:51234/other", "http://127.0.0.1/cb", false),
            ("http://localhost:51234/cb", "http://127.0.0.1/cb", false),
            ("https://127.0.0.1:51234/cb", "http://127.0.0.1/cb", false),
            ("http://user@127.0.0.1:51234/cb", "http://127.0.0.1/cb", false),
            ("http://127.0.0.1:51234/cb#x", "http://127.0.0.1/cb", false),
            ("http://[::1]:4000/cb", "http://[::1]/cb", true),
        ]
    )
    func matching(presented: String, registered: String, matches: Bool) {
        #expect(RedirectURI.matches(presented, registered: [registered]) == matches)
    }

    @Test(
        "each unacceptable registration is refused naming its field",
        arguments: [
            ("client_id", ClientMetadata(redirectURIs: ["https://a.example/cb"]), "rotor"),
            ("client_id", ClientMetadata(redirectURIs: ["https://a.example/cb"]), "has space"),
            ("client_id", ClientMetadata(redirectURIs: ["https://a.example/cb"]), ""),
            ("client_id", ClientMetadata(redirectURIs: ["https://a.example/cb"]), String(repeating: "a", count: 65)),
            ("redirect_uris", ClientMetadata(), "web"),
            ("redirect_uris", ClientMetadata(redirectURIs: ["http://a.example/cb"]), "web"),
            (
                "post_logout_redirect_uris",
                ClientMetadata(
                    redirectURIs: ["https://a.example/cb"],
                    postLogoutRedirectURIs: ["https://a.example/#x"]
                ), "web"
            ),
            (
                "backchannel_logout_uri",
                ClientMetadata(redirectURIs: ["https://a.example/cb"], backchannelLogoutURI: "http://a.example/bc"),
                "web"
            ),
            ("grant_types", ClientMetadata(grantTypes: []), "web"),
            ("grant_types", ClientMetadata(grantTypes: [.refreshToken]), "web"),
            ("grant_types", ClientMetadata(grantTypes: [.clientCredentials], tokenEndpointAuthMethod: .none), "web"),
            (
                "jwks_uri", ClientMetadata(grantTypes: [.clientCredentials], tokenEndpointAuthMethod: .privateKeyJWT),
                "web"
            ),
            (
                "jwks",
                ClientMetadata(
                    grantTypes: [.clientCredentials],
                    tokenEndpointAuthMethod: .privateKeyJWT,
                    jwks: "{\"keys\": []}"
                ), "web"
            ),
            (
                "jwks",
                ClientMetadata(
                    grantTypes: [.clientCredentials],
                    tokenEndpointAuthMethod: .privateKeyJWT,
                    jwksURI: "https://a.example/jwks",
                    jwks: "{\"keys\": [{}]}"
                ), "web"
            ),
            ("jwks", ClientMetadata(grantTypes: [.clientCredentials], jwksURI: "https://a.example/jwks"), "web"),
            (
                "jwks",
                ClientMetadata(
                    grantTypes: [.clientCredentials],
                    tokenEndpointAuthMethod: .privateKeyJWT,
                    jwks: #"{"keys": [{"kty": "EC", "crv": "P-256", "x": "a", "y": "b", "d": "private"}]}"#
                ), "web"
            ),
            (
                "jwks",
                ClientMetadata(
                    grantTypes: [.clientCredentials],
                    tokenEndpointAuthMethod: .privateKeyJWT,
                    jwks: #"{"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}"#
                ), "web"
            ),
            (
                "jwks_uri",
                ClientMetadata(
                    grantTypes: [.clientCredentials],
                    tokenEndpointAuthMethod: .privateKeyJWT,
                    jwksURI: "http://a.example/jwks"
                ), "web"
            ),
            ("scope", ClientMetadata(grantTypes: [.clientCredentials], scopes: ["a\"b"]), "web"),
            ("scope", ClientMetadata(grantTypes: [.clientCredentials], scopes: [""]), "web"),
            ("audience", ClientMetadata(grantTypes: [.clientCredentials], audience: "has space"), "web"),
            (
                "id_token_signed_response_alg",
                ClientMetadata(grantTypes: [.clientCredentials], idTokenSignedResponseAlg: "none"), "web"
            ),
            (
                "id_token_signed_response_alg",
                ClientMetadata(grantTypes: [.clientCredentials], idTokenSignedResponseAlg: "HS256"), "web"
            ),
            ("client_name", ClientMetadata(name: "tab\there", grantTypes: [.clientCredentials]), "web"),
        ] as [(String, ClientMetadata, String)]
    )
    func refusals(field: String, metadata: ClientMetadata, id: String) {
        #expect {
            _ = try ClientRegistration.validate(id: id, metadata)
        } throws: { error in
            guard case EngineError.invalidField(let name, _) = error else { return false }
            return name == field
        }
    }

    @Test("a registration keeps its order, drops duplicates, and a generated id is unguessable")
    func normalized() throws {
        let metadata = ClientMetadata(
            redirectURIs: ["https://a.example/cb", "https://a.example/cb", "http://127.0.0.1/cb"],
            grantTypes: [.authorizationCode, .refreshToken, .authorizationCode],
            scopes: ["openid", "email", "openid"]
        )
        let (id, checked) = try ClientRegistration.validate(id: nil, metadata)
        #expect(checked.redirectURIs == ["https://a.example/cb", "http://127.0.0.1/cb"])
        #expect(checked.grantTypes == [.authorizationCode, .refreshToken])
        #expect(checked.scopes == ["openid", "email"])
        #expect(id.hasPrefix("app_") && id.count == 26)
        #expect(try ClientRegistration.validate(id: nil, metadata).id != id)
        #expect(try ClientMetadata(storedForm: checked.storedForm()) == checked)
    }

    @Test("register, show, list, rotate with an overlap, delete; only hashes stored", arguments: StoreKind.all)
    func registry(_ kind: StoreKind) async throws {
        try await EngineTests.withEngine(kind) { f in
            let web = try await f.engine.registerClient(
                id: "wiki",
                metadata: ClientMetadata(name: "Wiki", redirectURIs: ["https://wiki.example/cb"])
            )
            let secret = try #require(web.secret)
            #expect(secret.hasPrefix("rcs_") && secret.count == 47)
            let public_ = try await f.engine.registerClient(
                id: "cli",
                metadata: ClientMetadata(redirectURIs: ["http://127.0.0.1/cb"], tokenEndpointAuthMethod: .none)
            )
            #expect(public_.secret == nil && public_.client.secrets.isEmpty)
            await #expect(throws: EngineError.clientExists) {
                _ = try await f.engine.registerClient(
                    id: "wiki",
                    metadata: ClientMetadata(grantTypes: [.clientCredentials])
                )
            }
            #expect(try await f.engine.clients().map(\.id) == ["cli", "wiki"])
            let stored = try await f.engine.client(id: "wiki")
            #expect(stored.metadata == web.client.metadata && stored.secrets.count == 1)
            #expect(stored.secrets[0].hash != Data(secret.utf8))
            #expect(ClientSecret.verify(secret, against: stored, at: f.clock.now()))
            #expect(!ClientSecret.verify(secret + "x", against: stored, at: f.clock.now()))

            // A rotation with a one-hour overlap: both work for the hour, then only the new one.
            let next = try await f.engine.rotateClientSecret(id: "wiki", overlap: 3600)
            var rotated = try await f.engine.client(id: "wiki")
            #expect(rotated.secrets.count == 2)
            #expect(ClientSecret.verify(secret, against: rotated, at: f.clock.now() + 3599))
            #expect(ClientSecret.verify(next, against: rotated, at: f.clock.now() + 3599))
            #expect(!ClientSecret.verify(secret, against: rotated, at: f.clock.now() + 3600))
            #expect(ClientSecret.verify(next, against: rotated, at: f.clock.now() + 86_400))
            // The next rotation, past the overlap, deletes the expired secret; with no overlap the old one ends now.
            f.clock.advance(by: 7200)
            let third = try await f.engine.rotateClientSecret(id: "wiki", overlap: 0)
            rotated = try await f.engine.client(id: "wiki")
            #expect(rotated.secrets.count == 2)
            #expect(!ClientSecret.verify(next, against: rotated, at: f.clock.now()))
            #expect(ClientSecret.verify(third, against: rotated, at: f.clock.now()))

            await #expect(throws: EngineError.self) { _ = try await f.engine.rotateClientSecret(id: "cli", overlap: 0) }
            await #expect(throws: EngineError.self) {
                _ = try await f.engine.rotateClientSecret(id: "wiki", overlap: 31 * 86_400)
            }
            await #expect(throws: EngineError.notFound) {
                _ = try await f.engine.rotateClientSecret(id: "nope", overlap: 0)
            }
            try await f.engine.deleteClient(id: "wiki")
            await #expect(throws: EngineError.notFound) { _ = try await f.engine.client(id: "wiki") }
            await #expect(throws: EngineError.notFound) { try await f.engine.deleteClient(id: "wiki") }
            #expect(try await f.engine.clients().map(\.id) == ["cli"])
        }
    }

    @Test(
        "client records are kept a second: a secret rotated elsewhere works at once, a deletion elsewhere within it",
        arguments: StoreKind.all
    )
    func recordCache(_ kind: StoreKind) async throws {
        try await EngineTests.withEngine(kind) { f in
            let secret = try #require(
                try await f.engine.registerClient(
                    id: "wiki",
                    metadata: ClientMetadata(redirectURIs: ["https://wiki.example/cb"])
                ).secret
            )
            func authenticate(_ secret: String) async throws -> ClientRecord {
                try await f.engine.authenticateClient(
                    ClientCredentials(clientId: "wiki", method: .clientSecretBasic, secret: secret)
                )
            }
            _ = try await authenticate(secret)  // now cached
            // Another instance rotates with no overlap: the new secret works at once (a cached record that does
            // not match is read again); the old one, from the cache, for at most the second.
            let next = "rcs_" + String(repeating: "n", count: 43)
            let now = f.clock.now().wholeSeconds
            #expect(
                try await f.store.addClientSecret(
                    clientId: "wiki",
                    ClientSecretRecord(hash: SecretHash.of(next), createdAt: now),
                    retiringOthersAt: now
                )
            )
            #expect(try await authenticate(next).id == "wiki")
            f.clock.advance(by: 1)
            await #expect(throws: EngineError.invalidClient(basic: true)) { _ = try await authenticate(secret) }
            // Deleted by another instance: refused once the second is over.
            #expect(try await f.store.deleteClient(id: "wiki"))
            f.clock.advance(by: 1)
            await #expect(throws: EngineError.invalidClient(basic: true)) { _ = try await authenticate(next) }
            // This engine's own rotation and deletion are seen at once.
            let again = try #require(
                try await f.engine.registerClient(
                    id: "blog",
                    metadata: ClientMetadata(redirectURIs: ["https://blog.example/cb"])
                ).secret
            )
            let blog = { (secret: String) in
                try await f.engine.authenticateClient(
                    ClientCredentials(clientId: "blog", method: .clientSecretBasic, secret: secret)
                )
            }
            _ = try await blog(again)
            _ = try await f.engine.rotateClientSecret(id: "blog", overlap: 0)
            await #expect(throws: EngineError.invalidClient(basic: true)) { _ = try await blog(again) }
            try await f.engine.deleteClient(id: "blog")
            await #expect(throws: EngineError.invalidClient(basic: true)) { _ = try await blog(again) }
        }
    }
}
