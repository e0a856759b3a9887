import Foundation
import GRDB
import JWTKit
import RotorJWT
import RotorTestSupport
import Testing

/// Health, JWKS, unknown routes and faults over real HTTP.
@Suite("Service routes over HTTP")
struct ServiceRoutesTests {
    @Test("healthz and readyz answer 200")
    func health() async throws {
        try await InProcessServer.run { http, _ in
            let health = try await http.get("/healthz")
            #expect(health.status == 200 && health.string("status") == "ok")
            let ready = try await http.get("/readyz")
            #expect(ready.status == 200 && ready.string("status") == "ok")
        }
    }

    @Test("readyz answers 503 when the database file is gone")
    func notReady() async throws {
        try await InProcessServer.run { http, path in
            #expect(try await http.get("/readyz").status == 200)
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            let ready = try await http.get("/readyz")
            #expect(ready.status == 503 && ready.string("status") == "unavailable")
            #expect(try await http.get("/healthz").status == 200)
        }
    }

    @Test("the JWKS holds public parts only, with alg and kid, is cacheable, and verifies issued tokens")
    func jwks() async throws {
        try await InProcessServer.run { http, _ in
            let answer = try await http.get("/.well-known/jwks.json")
            #expect(answer.status == 200)
            let cacheControl = answer.header("Cache-Control") ?? ""
            #expect(cacheControl.contains("max-age="))
            let keys = try #require(answer.json["keys"] as? [[String: Any]])
            #expect(keys.count == 1)
            for key in keys {
                #expect(key["alg"] as? String == "ES256")
                #expect(key["kty"] as? String == "EC" && key["crv"] as? String == "P-256")
                #expect((key["kid"] as? String)?.isEmpty == false)
                #expect(key["d"] == nil, "a private member leaked into the JWKS")
            }

            try await http.signUp("ada@example.com", "correct horse")
            let login = try await http.login("ada@example.com", "correct horse")
            let access = try login.issued().access
            // An independent verifier that knows nothing but the JWKS accepts the token.
            let verifier = try await JWTKeyCollection().add(jwksJSON: answer.text)
            let claims = try await verifier.verify(access, as: AccessTokenClaims.self)
            #expect(claims.sid == login.string("session_id"))
            #expect(claims.iss.value == "http://127.0.0.1:8080")  // the default issuer
        }
    }

    @Test("an unknown route is 404 not_found with the error body")
    func notFound() async throws {
        try await InProcessServer.run { http, _ in
            for path in ["/", "/v1", "/v1/nothing", "/.well-known/other", "/v1/users/extra"] {
                let answer = try await http.get(path)
                #expect(answer.status == 404, "\(path)")
                #expect(answer.error == "not_found")
            }
        }
    }

    @Test("a store fault is a 500 that shows nothing of its cause")
    func fault() async throws {
        try await InProcessServer.run { http, path in
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in try db.execute(sql: "ALTER TABLE users RENAME TO users_gone") }
            let answer = try await http.signUp("ada@example.com", "correct horse")
            #expect(answer.status == 500)
            #expect(answer.error == "server_error")
            #expect(answer.json.count == 2)
            let text = answer.text.lowercased()
            for leak in ["sql", "users", "table", "grdb", "error:"] {
                #expect(!text.contains(leak), "the 500 body mentions '\(leak)'")
            }
        }
    }
}
