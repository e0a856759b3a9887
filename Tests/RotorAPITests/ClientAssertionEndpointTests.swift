import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import JWTKit
import RotorCore
import RotorJWT
import RotorProtocol
import RotorServer
import RotorTestSupport
import Synchronization
import Testing

/// `private_key_jwt` at the token endpoint (RFC 7523): each assertion once, signed by a key of the client's own
/// registered or published JWKS, for the client it names, to Rotor, for at most five minutes.
@Suite("Token endpoint: private_key_jwt")
struct ClientAssertionEndpointTests {
    static func registerSigner(
        _ http: TestHTTP,
        _ auth: [(String, String)],
        id: String,
        jwks: JSONValue? = nil,
        jwksURI: String? = nil
    ) async throws {
        _ = try await CodeGrantEndpointTests.register(
            http,
            auth,
            ClientRegistrationRequest(
                clientId: id,
                grantTypes: ["client_credentials"],
                tokenEndpointAuthMethod: "private_key_jwt",
                jwksURI: jwksURI,
                jwks: jwks,
                scope: "jobs.run"
            )
        )
    }

    static func token(_ http: TestHTTP, _ assertion: String, extra: String = "") async throws -> HTTPAnswer {
        try await OAuthEndpointsTests.form(http, "/oauth/token", AssertionKey.form(assertion) + extra)
    }

    @Test(
        "a signed assertion is accepted once; every wrong, expired, replayed or foreign one is refused",
        arguments: StoreKind.all
    )
    func assertions(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, database in
            let auth = try await ClientAdminTests.admin(http, database)
            let key = AssertionKey(kid: "k1")
            let otherKey = AssertionKey(kid: "k1")
            try await Self.registerSigner(http, auth, id: "signer", jwks: AssertionKey.set([key]))
            try await Self.registerSigner(http, auth, id: "other", jwks: AssertionKey.set([otherKey]))
            let secret = try await MachineTokenEndpointTests.registerReporter(http, auth)

            let good = try await key.assertion(client: "signer")
            let answer = try await Self.token(http, good)
            #expect(answer.status == 200, "\(answer.text)")
            let claims = try MachineTokenEndpointTests.claims(try #require(answer.string("access_token")))
            #expect(claims["sub"] as? String == "signer" && claims["sid"] == nil)
            // The same assertion again: used up.
            let replayed = try await Self.token(http, good)
            #expect(replayed.status == 401 && replayed.error == "invalid_client", "\(replayed.text)")
            // The issuer as audience, and client_id sent along, are fine too.
            let toIssuer = try await key.assertion(client: "signer", aud: "http://127.0.0.1:8080")
            #expect(try await Self.token(http, toIssuer, extra: "&client_id=signer").status == 200)

            var embedded = JWTHeader()
            embedded.fields["jwk"] = key.jwk.jwtField
            let hmac = JWTKeyCollection()
            await hmac.add(hmac: HMACKey(from: "a shared secret that nobody registered"), digestAlgorithm: .sha256)
            let hmacAssertion = try await hmac.sign(
                ClientAssertion.Claims(
                    iss: "signer",
                    sub: "signer",
                    aud: ["http://127.0.0.1:8080/oauth/token"],
                    exp: Date().addingTimeInterval(60),
                    jti: UUID().uuidString
                ),
                kid: "k1"
            )
            // The payload of a good assertion under `alg: none`, and with its signature cut off.
            let payload = try await key.assertion(client: "signer").split(separator: ".")[1]
            let unsigned = Base64URL.encode(Data(#"{"alg":"none","kid":"k1"}"#.utf8)) + ".\(payload)."
            let cut =
                try await key.assertion(client: "signer").split(separator: ".").prefix(2).joined(separator: ".")
                + "."
            let refused: [(String, String)] = [
                (try await key.assertion(client: "signer", aud: "https://elsewhere.example/token"), "wrong audience"),
                (try await key.assertion(client: "signer", iss: "other"), "iss is not sub"),
                (try await key.assertion(client: "signer", now: Date().addingTimeInterval(-120)), "expired"),
                (try await key.assertion(client: "signer", lifetime: 600), "ten minutes ahead"),
                (try await otherKey.assertion(client: "signer"), "another client's key under the same kid"),
                (try await key.assertion(client: "signer", kid: "k2"), "an unknown kid"),
                (try await key.assertion(client: "other"), "signer's key claiming to be other"),
                (try await key.assertion(client: "reporter"), "a secret client"),
                (try await key.assertion(client: "nobody"), "an unknown client"),
                (try await key.assertion(client: "signer", header: embedded), "a key in the header"),
                (hmacAssertion, "HS256"),
                (unsigned, "alg none, unsigned"),
                (cut, "no signature"),
                ("eyJ.e30.x", "garbage"),
            ]
            for (assertion, why) in refused {
                let answer = try await Self.token(http, assertion)
                #expect(answer.status == 401 && answer.error == "invalid_client", "\(why): \(answer.text)")
                #expect(answer.header("WWW-Authenticate") == nil && answer.json["access_token"] == nil, "\(why)")
            }

            // Malformed requests, before any key is touched.
            let fresh = try await key.assertion(client: "signer")
            let malformed: [(String, [(String, String)])] = [
                ("grant_type=client_credentials&client_assertion=\(fresh)", []),
                ("grant_type=client_credentials&client_assertion_type=urn:x&client_assertion=\(fresh)", []),
                (AssertionKey.form(fresh) + "&client_secret=\(secret)", []),
                (AssertionKey.form(fresh) + "&client_id=other", []),
                (AssertionKey.form(fresh), [CodeGrantEndpointTests.basic("reporter", secret)]),
                (AssertionKey.form(fresh) + "&client_assertion=\(fresh)", []),
            ]
            for (body, headers) in malformed {
                let answer = try await OAuthEndpointsTests.form(http, "/oauth/token", body, headers: headers)
                #expect(answer.status == 400 && answer.error == "invalid_request", "\(body): \(answer.text)")
            }
            // None of that used the fresh assertion up.
            #expect(try await Self.token(http, fresh).status == 200)

            // Two requests at once with one assertion: exactly one gets a token.
            let raced = try await key.assertion(client: "signer")
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 { group.addTask { try await Self.token(http, raced).status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.sorted() == [200, 401, 401, 401], "\(statuses)")
        }
    }
}

/// A client's own server publishing its JWK set on loopback, counting the fetches.
final class JWKSHost: Sendable {
    let keys: Mutex<[AssertionKey]>
    let fetches = Atomic<Int>(0)

    init(_ keys: [AssertionKey]) {
        self.keys = Mutex(keys)
    }

    /// Serves `/jwks` on a free loopback port while `body` runs; `body` gets the URL.
    func serving<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.get("jwks") { _, _ -> Response in
            self.fetches.add(1, ordering: .relaxed)
            let document = try JSONEncoder().encode(AssertionKey.set(self.keys.withLock { $0 }))
            return Response(
                status: .ok,
                headers: [.contentType: "application/json", .cacheControl: "max-age=600"],
                body: .init(byteBuffer: ByteBuffer(bytes: document))
            )
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(try #require(client.port))/jwks")
        }
    }
}

extension ClientAssertionEndpointTests {
    @Test("keys at jwks_uri: fetched once and kept, refetched for a new kid at most every 30 s")
    func publishedKeys() async throws {
        let clock = ManualClock(start: Date())
        let first = AssertionKey(kid: "2026-a")
        let host = JWKSHost([first])
        try await host.serving { url in
            // The key host is in this process: in a loaded suite a fetch once outlasted the production 5 s.
            try await InProcessServer.run(
                on: .sqlite,
                transport: .router,
                clock: clock,
                configure: { $0.clientJWKSFetchSeconds = 120 }
            ) { http, database in
                let auth = try await ClientAdminTests.admin(http, database)
                try await Self.registerSigner(http, auth, id: "signer", jwksURI: url)
                for _ in 0..<3 {
                    let answer = try await Self.token(
                        http,
                        try await first.assertion(client: "signer", now: clock.now())
                    )
                    #expect(answer.status == 200, "\(answer.text)")
                }
                #expect(host.fetches.load(ordering: .relaxed) == 1)

                // The client rotates its key. Straight after the last fetch, a new kid is not fetched for …
                let second = AssertionKey(kid: "2026-b")
                host.keys.withLock { $0 = [second, first] }
                let early = try await Self.token(http, try await second.assertion(client: "signer", now: clock.now()))
                #expect(early.status == 401 && early.error == "invalid_client")
                #expect(host.fetches.load(ordering: .relaxed) == 1)
                // … but 30 s on, it is, once; made-up kids after it cost no fetch.
                clock.advance(by: 31)
                let rotated = try await Self.token(http, try await second.assertion(client: "signer", now: clock.now()))
                #expect(rotated.status == 200, "\(rotated.text)")
                for kid in ["made-up-1", "made-up-2", "made-up-3"] {
                    let forged = try await first.assertion(client: "signer", now: clock.now(), kid: kid)
                    #expect(try await Self.token(http, forged).status == 401)
                }
                #expect(host.fetches.load(ordering: .relaxed) == 2)

                // A key the client withdrew stops working at the next fetch.
                host.keys.withLock { $0 = [second] }
                clock.advance(by: 601)
                let withdrawn = try await Self.token(
                    http,
                    try await first.assertion(client: "signer", now: clock.now())
                )
                #expect(withdrawn.status == 401, "\(withdrawn.text)")
                #expect(host.fetches.load(ordering: .relaxed) == 3)
                #expect(
                    try await Self.token(http, try await second.assertion(client: "signer", now: clock.now())).status
                        == 200
                )
            }
        }
    }
}
