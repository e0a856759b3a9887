import Foundation
import JWTKit
import RotorCore
import RotorJWT
import RotorServer
import RotorTestSupport
import Testing

/// `rotor keys rotate|list` against a running server, the algorithms over HTTP, and the master key at start-up.
@Suite("Signing keys over HTTP and commands", .serialized)
struct KeyCommandTests {
    @Test("rotor keys rotate: the running server signs with the new key within its refresh interval")
    func rotate() async throws {
        let clock = ManualClock(start: Date())
        try await InProcessServer.run(clock: clock, configure: { $0.keyRefreshInterval = 1 }) { http, path in
            let before = try await http.newAccount()
            let oldKid = try #require(AccessTokenHeader.parse(before.access)?.kid)
            let rotated = try CommandTests.rotor(["keys", "rotate"], database: path)
            #expect(rotated.status == 0, "\(rotated.stderr)")

            var newKid = oldKid
            for _ in 0..<40 where newKid == oldKid {  // at most 4 s
                try await Task.sleep(for: .milliseconds(100))
                let login = try await http.signIn()
                newKid = try #require(AccessTokenHeader.parse(login.access)?.kid)
            }
            #expect(newKid != oldKid)
            let kids = Set(
                ((try await http.get("/.well-known/jwks.json").json["keys"] as? [[String: Any]]) ?? [])
                    .compactMap { $0["kid"] as? String }
            )
            #expect(kids == [oldKid, newKid])
            #expect(try await http.get("/v1/me", bearer: before.access).status == 200)  // old tokens still verify

            let list = try CommandTests.rotor(["keys", "list"], database: path)
            #expect(
                list.stdout.contains("\(newKid)  ES256  signing") && list.stdout.contains("\(oldKid)  ES256  published")
            )

            // The rotation was stamped by the command's wall clock: move the server's clock past it plus the window.
            clock.set(Date().addingTimeInterval(935))
            var published = kids
            for _ in 0..<40 where published.count > 1 {
                try await Task.sleep(for: .milliseconds(100))
                published = Set(
                    ((try await http.get("/.well-known/jwks.json").json["keys"] as? [[String: Any]]) ?? [])
                        .compactMap { $0["kid"] as? String }
                )
            }
            #expect(published == [newKid])
        }
    }

    @Test(
        "EdDSA and RS256 servers issue tokens that an independent verifier accepts from the JWKS",
        arguments: [SigningAlgorithm.eddsa, .rs256]
    )
    func algorithms(_ algorithm: SigningAlgorithm) async throws {
        try await InProcessServer.run(configure: { $0.signingAlgorithm = algorithm }) { http, _ in
            let login = try await http.newAccount()
            #expect(AccessTokenHeader.parse(login.access)?.alg == algorithm.rawValue)
            let jwks = try await http.get("/.well-known/jwks.json").text
            let verifier = try await JWTKeyCollection().add(jwksJSON: jwks)
            let claims = try await verifier.verify(login.access, as: AccessTokenClaims.self)
            #expect(claims.sid == login.session)
            #expect(try await http.get("/v1/me", bearer: login.access).status == 200)
        }
    }

    @Test("a wrong or malformed ROTOR_MASTER_KEY stops start-up with one line, and the keys survive")
    func masterKeyAtStart() async throws {
        try await TemporaryDirectory.with { directory in
            let good = Data(repeating: 1, count: 32).base64EncodedString()
            let wrong = Data(repeating: 2, count: 32).base64EncodedString()
            var environment = [
                "ROTOR_DATABASE_URL": "sqlite://rotor.sqlite", "ROTOR_PORT": "0", "ROTOR_MASTER_KEY": good,
            ]
            let first = try RotorProcess(environment: environment, workingDirectory: directory.url)
            let http = TestHTTP(port: first.port)
            let login = try await http.newAccount()
            first.stop()

            environment["ROTOR_MASTER_KEY"] = wrong
            let refused = try RotorProcess.runToEnd(
                arguments: ["serve"],
                environment: environment,
                workingDirectory: directory.url
            )
            #expect(refused.status != 0)
            #expect(refused.stderr.split(separator: "\n").count == 1 && refused.stderr.contains("ROTOR_MASTER_KEY"))
            #expect(!refused.stderr.contains(wrong) && !refused.stderr.contains(good))

            environment["ROTOR_MASTER_KEY"] = "not-base64-of-32-bytes"
            let malformed = try RotorProcess.runToEnd(
                arguments: ["serve"],
                environment: environment,
                workingDirectory: directory.url
            )
            #expect(malformed.status == 78 && malformed.stderr.contains("ROTOR_MASTER_KEY"))
            #expect(!malformed.stderr.contains("not-base64"))

            environment["ROTOR_MASTER_KEY"] = good
            let again = try RotorProcess(environment: environment, workingDirectory: directory.url)
            defer { again.stop() }
            #expect(try await TestHTTP(port: again.port).get("/v1/me", bearer: login.access).status == 200)
        }
    }
}
