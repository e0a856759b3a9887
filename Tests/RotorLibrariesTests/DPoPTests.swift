import Crypto
import Foundation
import JWTKit
import RotorClient
import RotorJWT
import RotorServer
import RotorTestSupport
import RotorVerifier
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// DPoP (RFC 9449) end to end: a login with a proof binds the session to the client's key; its tokens carry
/// `cnf.jkt` and type `DPoP`; without the key they are worth nothing, at Rotor and at a resource service.
@Suite("DPoP")
struct DPoPTests {
    /// A proof made by hand with a key of the test's own, as an attacker holding a stolen token would make one.
    static func proof(
        key: P256.Signing.PrivateKey,
        method: String,
        url: String,
        accessToken: String? = nil,
        iat: Date = Date(),
        jti: String = UUID().uuidString
    ) async throws -> String {
        let point = key.publicKey.x963Representation
        var header = JWTHeader()
        header.typ = "dpop+jwt"
        header.fields["jwk"] = .object([
            "kty": .string("EC"), "crv": .string("P-256"),
            "x": .string(Base64URL.encode(point[1..<33])), "y": .string(Base64URL.encode(point[33..<65])),
        ])
        let keys = JWTKeyCollection()
        await keys.add(ecdsa: try ES256PrivateKey(backing: key))
        return try await keys.sign(
            DPoPProof.Claims(
                jti: jti,
                htm: method,
                htu: url,
                iat: Int64(iat.timeIntervalSince1970),
                ath: accessToken.map { Base64URL.encode(SHA256.hash(data: Data($0.utf8))) }
            ),
            header: header
        )
    }

    @Test(
        "a DPoP session: refused without its key, accepted with it, at Rotor and at a resource service",
        arguments: StoreKind.all
    )
    func boundSession(_ store: StoreKind) async throws {
        try await RotorFixture.run(on: store) { http, issuer, _ in
            let key = P256.Signing.PrivateKey()
            let intruder = P256.Signing.PrivateKey()
            _ = try await http.signUp("ada@example.com", "correct horse")
            let loginURL = issuer + "/v1/auth/login"
            let login = try await http.post(
                "/v1/auth/login",
                json: ["email": "ada@example.com", "password": "correct horse"],
                headers: [("DPoP", try await Self.proof(key: key, method: "POST", url: loginURL))]
            )
            #expect(login.status == 200 && login.string("token_type") == "DPoP", "\(login.text)")
            let access = try login.issued().access
            let refresh = try login.issued().refresh
            let thumbprint = try #require(
                DPoPProof.thumbprint(
                    kty: "EC",
                    crv: "P-256",
                    x: Base64URL.encode(key.publicKey.x963Representation[1..<33]),
                    y: Base64URL.encode(key.publicKey.x963Representation[33..<65])
                )
            )
            let claims = try JSONSerialization.jsonObject(
                with: try #require(Base64URL.decode(String(access.split(separator: ".")[1])))
            )
            #expect(((claims as? [String: Any])?["cnf"] as? [String: Any])?["jkt"] as? String == thumbprint)

            // At Rotor: as a bearer token it is refused; with a proof by the key it works; by another key it does not.
            let meURL = issuer + "/v1/me"
            #expect(try await http.get("/v1/me", bearer: access).status == 401)
            let good = try await http.send(
                .GET,
                "/v1/me",
                headers: [
                    ("Authorization", "DPoP \(access)"),
                    ("DPoP", try await Self.proof(key: key, method: "GET", url: meURL, accessToken: access)),
                ]
            )
            #expect(good.status == 200, "\(good.text)")
            let stolen = try await http.send(
                .GET,
                "/v1/me",
                headers: [
                    ("Authorization", "DPoP \(access)"),
                    ("DPoP", try await Self.proof(key: intruder, method: "GET", url: meURL, accessToken: access)),
                ]
            )
            #expect(stolen.status == 401)
            // A proof replayed, or made for another URL or method, or too old, is refused.
            let once = try await Self.proof(key: key, method: "GET", url: meURL, accessToken: access)
            #expect(
                try await http.send(.GET, "/v1/me", headers: [("Authorization", "DPoP \(access)"), ("DPoP", once)])
                    .status == 200
            )
            let replayed = try await http.send(
                .GET,
                "/v1/me",
                headers: [("Authorization", "DPoP \(access)"), ("DPoP", once)]
            )
            #expect(
                replayed.status == 401 && replayed.header("WWW-Authenticate")?.contains("invalid_dpop_proof") == true
            )
            for bad in [
                try await Self.proof(key: key, method: "POST", url: meURL, accessToken: access),
                try await Self.proof(key: key, method: "GET", url: issuer + "/v1/sessions", accessToken: access),
                try await Self.proof(
                    key: key,
                    method: "GET",
                    url: meURL,
                    accessToken: access,
                    iat: Date().addingTimeInterval(-300)
                ),
                try await Self.proof(key: key, method: "GET", url: meURL, accessToken: "another token"),
            ] {
                #expect(
                    try await http.send(.GET, "/v1/me", headers: [("Authorization", "DPoP \(access)"), ("DPoP", bad)])
                        .status == 401
                )
            }

            // Refresh: without a proof, or with another key's proof, invalid_grant and the session lives on.
            let refreshURL = issuer + "/v1/auth/token/refresh"
            let bare = try await http.refresh(refresh)
            #expect(bare.status == 401 && bare.error == "invalid_grant")
            let wrongKey = try await http.refresh(
                refresh,
                headers: [
                    ("DPoP", try await Self.proof(key: intruder, method: "POST", url: refreshURL))
                ]
            )
            #expect(wrongKey.status == 401 && wrongKey.error == "invalid_grant")
            let rotated = try await http.refresh(
                refresh,
                headers: [
                    ("DPoP", try await Self.proof(key: key, method: "POST", url: refreshURL))
                ]
            )
            #expect(rotated.status == 200 && rotated.string("token_type") == "DPoP", "\(rotated.text)")
            let events = try await http.send(
                .GET,
                "/v1/me/events",
                headers: [
                    ("Authorization", "DPoP \(try rotated.issued().access)"),
                    (
                        "DPoP",
                        try await Self.proof(
                            key: key,
                            method: "GET",
                            url: issuer + "/v1/me/events",
                            accessToken: rotated.string("access_token")
                        )
                    ),
                ]
            )
            #expect(events.text.contains("refresh_binding_mismatch"))

            // At a resource service: the verifier wants the proof too.
            let verifier = RotorFixture.verifier(issuer: issuer)
            let fresh = try rotated.issued().access
            let api = "https://api.example.com/orders"
            await #expect(throws: VerificationError(.dpopRequired)) { _ = try await verifier.verify(fresh) }
            let accepted = try await verifier.verify(
                fresh,
                dpop: DPoPRequest(
                    proof: try await Self.proof(key: key, method: "GET", url: api, accessToken: fresh),
                    method: "GET",
                    url: api
                )
            )
            #expect(accepted.dpopThumbprint == thumbprint)
            do {
                _ = try await verifier.verify(
                    fresh,
                    dpop: DPoPRequest(
                        proof: try await Self.proof(key: intruder, method: "GET", url: api, accessToken: fresh),
                        method: "GET",
                        url: api
                    )
                )
                Issue.record("a proof by another key was accepted")
            } catch let error as VerificationError {
                #expect(error.reason == .dpopProofInvalid)
            }
            let metadata = try await http.get("/.well-known/oauth-authorization-server")
            #expect(metadata.json["dpop_signing_alg_values_supported"] as? [String] == ["ES256", "EdDSA"])
        }
    }

    @Test(
        "introspection tells a gateway a token is DPoP-bound; revocation and logout of a bound token need its proof",
        arguments: StoreKind.all
    )
    func introspectionAndRevocation(_ store: StoreKind) async throws {
        try await RotorFixture.run(on: store, configure: { $0.introspectionSecret = "introspection-secret-0123456789" })
        {
            http,
            issuer,
            _ in
            let key = P256.Signing.PrivateKey()
            _ = try await http.signUp("ada@example.com", "correct horse")
            func login() async throws -> (access: String, refresh: String) {
                let answer = try await http.post(
                    "/v1/auth/login",
                    json: ["email": "ada@example.com", "password": "correct horse"],
                    headers: [("DPoP", try await Self.proof(key: key, method: "POST", url: issuer + "/v1/auth/login"))]
                )
                return (try answer.issued().access, try answer.issued().refresh)
            }
            let thumbprint = try #require(
                DPoPProof.thumbprint(
                    kty: "EC",
                    crv: "P-256",
                    x: Base64URL.encode(key.publicKey.x963Representation[1..<33]),
                    y: Base64URL.encode(key.publicKey.x963Representation[33..<65])
                )
            )
            func form(_ path: String, _ body: String, _ headers: [(String, String)] = []) async throws -> HTTPAnswer {
                try await http.send(
                    .POST,
                    path,
                    headers: [("Content-Type", "application/x-www-form-urlencoded")] + headers,
                    body: Data(body.utf8)
                )
            }
            let auth = [("Authorization", "Bearer introspection-secret-0123456789")]
            let bound = try await login()
            let access = try await form("/oauth/introspect", "token=\(bound.access)", auth)
            #expect(access.json["active"] as? Bool == true && access.string("token_type") == "DPoP", "\(access.text)")
            #expect((access.json["cnf"] as? [String: Any])?["jkt"] as? String == thumbprint)
            let refresh = try await form("/oauth/introspect", "token=\(bound.refresh)", auth)
            #expect((refresh.json["cnf"] as? [String: Any])?["jkt"] as? String == thumbprint, "\(refresh.text)")
            // A bearer token says so, and has no cnf.
            let plain = try await http.login("ada@example.com", "correct horse")
            let bearer = try await form(
                "/oauth/introspect",
                "token=\(try plain.issued().access)",
                auth
            )
            #expect(bearer.string("token_type") == "Bearer" && bearer.json["cnf"] == nil)

            // Whoever copied the tokens without the key cannot end the session with them.
            for (path, body) in [
                ("/oauth/revoke", "token=\(bound.access)"), ("/oauth/revoke", "token=\(bound.refresh)"),
            ] {
                let refused = try await form(path, body)
                #expect(refused.status == 400 && refused.error == "invalid_dpop_proof", "\(path): \(refused.text)")
            }
            let logout = try await http.post("/v1/auth/logout", json: ["refresh_token": bound.refresh])
            #expect(logout.status == 400 && logout.error == "invalid_dpop_proof")
            let stillActive = try await form("/oauth/introspect", "token=\(bound.refresh)", auth)
            #expect(stillActive.json["active"] as? Bool == true)

            // With a proof by the key, each works.
            let revokeURL = issuer + "/oauth/revoke"
            let revoked = try await form(
                "/oauth/revoke",
                "token=\(bound.access)",
                [("DPoP", try await Self.proof(key: key, method: "POST", url: revokeURL))]
            )
            #expect(revoked.status == 200)
            #expect(
                try await form("/oauth/introspect", "token=\(bound.refresh)", auth).json["active"] as? Bool == false
            )
            let second = try await login()
            let loggedOut = try await http.post(
                "/v1/auth/logout",
                json: ["refresh_token": second.refresh],
                headers: [("DPoP", try await Self.proof(key: key, method: "POST", url: issuer + "/v1/auth/logout"))]
            )
            #expect(loggedOut.status == 204)
        }
    }

    @Test("a flood of junk proofs fills the replay cache without evicting a live jti; the excess gets 503")
    func replayCacheFlood() async throws {
        let clock = ManualClock(start: Date())
        try await RotorFixture.run(clock: clock, configure: { $0.dpopReplayCapacity = 40 }) { http, issuer, _ in
            let refreshURL = issuer + "/v1/auth/token/refresh"
            let junkBody = try JSONSerialization.data(withJSONObject: ["refresh_token": "rtr_junk"])
            func refresh(_ proof: String) async throws -> HTTPAnswer {
                try await http.send(
                    .POST,
                    "/v1/auth/token/refresh",
                    headers: [("Content-Type", "application/json"), ("DPoP", proof)],
                    body: junkBody
                )
            }
            // A client's proof, seen once.
            let client = P256.Signing.PrivateKey()
            let captured = try await Self.proof(key: client, method: "POST", url: refreshURL, iat: clock.now())
            #expect(try await refresh(captured).error == "invalid_grant")

            // Someone with no account sends 100 proofs of their own key (and ids of the longest allowed length).
            let flooder = P256.Signing.PrivateKey()
            var answers: [Int: Int] = [:]
            for index in 0..<100 {
                let jti = String(format: "%04d", index) + String(repeating: "j", count: DPoPProof.maximumJTIBytes - 4)
                let proof = try await Self.proof(
                    key: flooder,
                    method: "POST",
                    url: refreshURL,
                    iat: clock.now(),
                    jti: jti
                )
                let answer = try await refresh(proof)
                answers[answer.status, default: 0] += 1
                if answer.status == 503 {
                    #expect(answer.error == "temporarily_unavailable" && answer.header("Retry-After") != nil)
                }
            }
            #expect(answers[401] == 39 && answers[503] == 61, "\(answers)")
            // The captured proof is still remembered: its replay is refused, not taken as new.
            let replayed = try await refresh(captured)
            #expect(
                replayed.status == 400 && replayed.string("error_description")?.contains("replayed") == true,
                "\(replayed.text)"
            )
            // A jti over the length bound is refused outright.
            let long = try await Self.proof(
                key: flooder,
                method: "POST",
                url: refreshURL,
                iat: clock.now(),
                jti: String(repeating: "x", count: DPoPProof.maximumJTIBytes + 1)
            )
            #expect(try await refresh(long).error == "invalid_dpop_proof")

            // Two proof lifetimes later every place is free again.
            clock.advance(by: 121)
            let later = try await Self.proof(key: client, method: "POST", url: refreshURL, iat: clock.now())
            #expect(try await refresh(later).error == "invalid_grant")
        }
    }

    @Test("RotorClient with DPoP: the key stays in its store, every request carries a proof, refresh works")
    func clientWithDPoP() async throws {
        try await RotorFixture.run { http, issuer, _ in
            let store = MemoryTokenStore()
            let client = RotorClient(baseURL: URL(string: issuer)!, store: store, useDPoP: true)
            try await client.signUp(email: "ada@example.com", password: "correct horse")
            try await client.logIn(email: "ada@example.com", password: "correct horse")
            let stored = try #require(await store.load())
            #expect(stored.tokenType == "DPoP" && stored.dpopKey?.count == 32)
            let me = URLRequest(url: URL(string: issuer + "/v1/me")!)
            #expect(try await client.send(authorized: me).1.statusCode == 200)
            try await client.refresh()
            #expect(try await client.send(authorized: me).1.statusCode == 200)
            // The same token without the key is refused.
            let token = try await client.accessToken()
            #expect(try await http.get("/v1/me", bearer: token).status == 401)
        }
    }
}
