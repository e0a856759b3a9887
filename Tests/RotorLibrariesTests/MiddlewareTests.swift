import Crypto
import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import RotorCore
import RotorJWT
import RotorSQLite
import RotorTestSupport
import RotorVerifier
import RotorVerifierHummingbird
import Testing

/// RotorVerifierHummingbird in a real Hummingbird service over loopback: the authenticator puts the verified caller
/// in the request context, and `require(role:)` / `require(scope:)` answer RFC 6750 401 and 403 with
/// `WWW-Authenticate`.
///
/// Tokens are signed by Rotor's own key ring (over a real SQLite file), so that they can carry a scope: Rotor's
/// logins issue an empty one today.
@Suite("RotorVerifierHummingbird")
struct MiddlewareTests {
    static let issuer = "https://auth.example.com"

    /// What `/whoami` answers: the identity the authenticator put in the context.
    struct Identity: Codable, Equatable {
        var sub: String, sid: String?, clientId: String, scopes: [String], roles: [String], machine: Bool
    }

    /// A resource service on a free loopback port, protected by the middleware, while `body` runs.
    static func withService<T: Sendable>(
        verifier: AccessTokenVerifier,
        publicURL: String = "https://api.example.com",
        _ body: @Sendable (TestHTTP) async throws -> T
    ) async throws -> T {
        let router = Router(context: RotorRequestContext.self)
        router.add(middleware: RotorAuthenticator(verifier: verifier, publicURL: publicURL))
        router.group("whoami").add(middleware: RequireRotorAccess()).get { _, context in
            let caller = try context.requireIdentity()
            let identity = Identity(
                sub: caller.subject,
                sid: caller.sessionId,
                clientId: caller.clientId,
                scopes: caller.scopes.sorted(),
                roles: caller.roles.sorted(),
                machine: caller.caller == .machine(clientId: caller.clientId)
            )
            return String(decoding: try JSONEncoder().encode(identity), as: UTF8.self)
        }
        router.group("admin").add(middleware: RequireRotorAccess.require(role: "admin")).get { _, _ in "admin" }
        router.group("orders").add(middleware: RequireRotorAccess.require(scope: "orders:read")).get { _, _ in "orders"
        }
        router.group("people").add(middleware: RequireRotorAccess.require(.person)).get { _, _ in "person" }
        router.group("jobs").add(middleware: RequireRotorAccess.require(.machine, scope: "jobs.run")).get { _, _ in
            "machine"
        }
        router.get("open") { _, _ in "open" }

        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: InProcessServer.quietLogger
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            defer { group.cancelAll() }
            var port = 0
            for await bound in ports {
                port = bound
                break
            }
            return try await body(TestHTTP(port: port))
        }
    }

    /// The claims of user-1's session-1 from the client mobile-app, valid for 15 minutes from `now`.
    static func claims(
        now: Date,
        scope: String = "",
        roles: [String] = [],
        cnf: RotorJWT.Confirmation? = nil
    )
        -> AccessTokenClaims
    {
        AccessTokenClaims(
            iss: issuer,
            sub: "user-1",
            aud: [issuer],
            exp: now.addingTimeInterval(900),
            iat: now,
            jti: SecureRandom.identifier(byteCount: 16),
            sid: "session-1",
            clientId: "mobile-app",
            scope: scope,
            roles: roles,
            cnf: cnf
        )
    }

    /// Rotor's key ring over a real SQLite file, and a verifier that trusts its JWKS (no feed).
    static func withKeys<T>(_ body: (KeyRing, AccessTokenVerifier, Date) async throws -> T) async throws -> T {
        try await TemporaryDirectory.with { directory in
            let store = try SQLiteStore(path: directory.path("keys.sqlite"))
            let now = Date()
            let keys = try await KeyRing.load(from: store, now: now)
            var configuration = VerifierConfiguration(issuer: Self.issuer, revocations: nil)
            configuration.jwksDocument = keys.jwksDocument
            return try await body(
                keys,
                AccessTokenVerifier(
                    configuration: configuration,
                    logger: InProcessServer.quietLogger
                ),
                now
            )
        }
    }

    @Test("the caller reaches the context; a missing, bad or insufficient token gets RFC 6750's 401 or 403")
    func answers() async throws {
        try await Self.withKeys { keys, verifier, now in

            func token(scope: String, roles: [String]) async throws -> String {
                try await keys.sign(Self.claims(now: now, scope: scope, roles: roles))
            }
            let full = try await token(scope: "orders:read profile", roles: ["admin", "support"])
            let plain = try await token(scope: "", roles: [])

            try await Self.withService(verifier: verifier) { http in
                #expect(try await http.get("/open").status == 200)

                // No token: 401 with a bare challenge (RFC 6750 §3.1: no error code when none was sent).
                let missing = try await http.get("/whoami")
                #expect(missing.status == 401 && missing.header("WWW-Authenticate") == #"Bearer realm="api""#)
                #expect(missing.error == "invalid_token")

                // A bad token, or one sent under another scheme: 401 invalid_token.
                let bad = try await http.get("/whoami", bearer: "not.a.token")
                #expect(bad.status == 401 && bad.header("WWW-Authenticate") == #"Bearer error="invalid_token""#)
                let basic = try await http.send(.GET, "/whoami", headers: [("Authorization", "Basic \(full)")])
                #expect(basic.status == 401 && basic.error == "invalid_token")

                // A good token: the identity in the context is the token's.
                let whoami = try await http.get("/whoami", bearer: full)
                #expect(whoami.status == 200, "\(whoami.text)")
                #expect(
                    try JSONDecoder().decode(Identity.self, from: whoami.body)
                        == Identity(
                            sub: "user-1",
                            sid: "session-1",
                            clientId: "mobile-app",
                            scopes: ["orders:read", "profile"],
                            roles: ["admin", "support"],
                            machine: false
                        )
                )
                #expect(try await http.get("/admin", bearer: full).status == 200)
                #expect(try await http.get("/orders", bearer: full).status == 200)

                // Valid but without the role or the scope: 403 insufficient_scope, naming the scope.
                #expect(try await http.get("/whoami", bearer: plain).status == 200)
                let noRole = try await http.get("/admin", bearer: plain)
                #expect(noRole.status == 403 && noRole.error == "insufficient_scope")
                #expect(noRole.header("WWW-Authenticate") == #"Bearer error="insufficient_scope""#)
                let noScope = try await http.get("/orders", bearer: plain)
                #expect(noScope.status == 403 && noScope.error == "insufficient_scope")
                #expect(
                    noScope.header("WWW-Authenticate") == #"Bearer error="insufficient_scope", scope="orders:read""#
                )
                #expect(noScope.header("Cache-Control") == "no-store")
            }
        }
    }

    @Test("a machine token is a caller of its own kind: no session, no roles, kept out of people's routes")
    func machineCaller() async throws {
        try await Self.withKeys { keys, verifier, now in
            func machineToken(scope: String) async throws -> String {
                try await keys.sign(
                    AccessTokenClaims(
                        iss: Self.issuer,
                        sub: "nightly-report",
                        aud: [Self.issuer],
                        exp: now.addingTimeInterval(900),
                        iat: now,
                        jti: SecureRandom.identifier(byteCount: 16),
                        sid: nil,
                        clientId: "nightly-report",
                        scope: scope,
                        roles: []
                    )
                )
            }
            let machine = try await machineToken(scope: "jobs.run")
            let narrow = try await machineToken(scope: "")
            let person = try await keys.sign(Self.claims(now: now, scope: "jobs.run", roles: ["admin"]))
            try await Self.withService(verifier: verifier) { http in
                let whoami = try await http.get("/whoami", bearer: machine)
                #expect(
                    try JSONDecoder().decode(Identity.self, from: whoami.body)
                        == Identity(
                            sub: "nightly-report",
                            sid: nil,
                            clientId: "nightly-report",
                            scopes: ["jobs.run"],
                            roles: [],
                            machine: true
                        ),
                    "\(whoami.text)"
                )
                #expect(try await http.get("/jobs", bearer: machine).status == 200)
                let notPerson = try await http.get("/people", bearer: machine)
                #expect(notPerson.status == 403 && notPerson.error == "insufficient_scope")
                #expect(try await http.get("/admin", bearer: machine).status == 403)
                // A machine without the scope, and a person with it, are both kept out of the machines' route.
                #expect(try await http.get("/jobs", bearer: narrow).status == 403)
                #expect(try await http.get("/jobs", bearer: person).status == 403)
                #expect(try await http.get("/people", bearer: person).status == 200)
            }
        }
    }

    @Test("a DPoP proof must name the configured public URL: a Host header cannot redirect it to another service")
    func dpopURLFromConfiguration() async throws {
        try await Self.withKeys { keys, verifier, now in
            let key = P256.Signing.PrivateKey()
            let point = key.publicKey.x963Representation
            let thumbprint = try #require(
                DPoPProof.thumbprint(
                    kty: "EC",
                    crv: "P-256",
                    x: Base64URL.encode(point[1..<33]),
                    y: Base64URL.encode(point[33..<65])
                )
            )
            let access = try await keys.sign(Self.claims(now: now, cnf: RotorJWT.Confirmation(jkt: thumbprint)))
            try await Self.withService(verifier: verifier, publicURL: "https://orders.example.com") { http in
                func call(proofFor url: String, host: String?) async throws -> HTTPAnswer {
                    let proof = try await DPoPTests.proof(key: key, method: "GET", url: url, accessToken: access)
                    var headers = [("Authorization", "DPoP \(access)"), ("DPoP", proof)]
                    if let host { headers.append(("Host", host)) }
                    return try await http.send(.GET, "/whoami", headers: headers)
                }
                // A proof made for this service's public URL is accepted, whatever Host the proxy passed on.
                #expect(try await call(proofFor: "https://orders.example.com/whoami", host: nil).status == 200)
                // A proof captured at another service, sent here with that service's Host, is refused.
                let replayed = try await call(
                    proofFor: "https://billing.example.com/whoami",
                    host: "billing.example.com"
                )
                #expect(
                    replayed.status == 401 && replayed.header("WWW-Authenticate")?.contains("DPoP") == true,
                    "\(replayed.status) \(replayed.text)"
                )
                let plainHost = try await call(
                    proofFor: "http://billing.example.com/whoami",
                    host: "billing.example.com"
                )
                #expect(plainHost.status == 401)
            }
        }
    }
}
