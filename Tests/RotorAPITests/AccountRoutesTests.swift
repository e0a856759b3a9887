import Foundation
import RotorServer
import RotorTestSupport
import Testing

/// `POST /v1/users` and `GET /v1/me` over real HTTP, and the bad-input answers every JSON route shares.
@Suite("Accounts over HTTP")
struct AccountRoutesTests {
    @Test(
        "sign-up answers 201 with the lower-cased email and an RFC 3339 time; a taken email is 409",
        arguments: StoreKind.all
    )
    func signUp(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, _ in
            let created = try await http.signUp("Ada.Lovelace@Example.COM", "correct horse")
            #expect(created.status == 201)
            #expect(created.string("email") == "ada.lovelace@example.com")
            #expect(UUID(uuidString: created.string("id") ?? "") != nil)
            let createdAt = try #require(created.string("created_at"))
            #expect(createdAt.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"#, options: .regularExpression) != nil)
            #expect(created.json["password"] == nil && created.json["password_hash"] == nil)

            let again = try await http.signUp("ADA.lovelace@example.com", "another password")
            #expect(again.status == 409)
            #expect(again.error == "email_taken")
        }
    }

    @Test("bad sign-up input is 400 invalid_request naming the field", arguments: StoreKind.all)
    func badInput(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, _ in
            let cases: [([String: Any], String)] = [
                (["email": "not-an-email", "password": "correct horse"], "'email'"),
                (["email": "a@example.com", "password": "short"], "'password'"),
                (["email": "a@example.com", "password": String(repeating: "x", count: 1025)], "'password'"),
                (["password": "correct horse"], "'email'"),
                (["email": "a@example.com"], "'password'"),
                (["email": 42, "password": "correct horse"], "'email'"),
                (["email": "a@example.com", "password": NSNull()], "'password'"),
            ]
            for (body, field) in cases {
                let answer = try await http.post("/v1/users", json: body)
                #expect(answer.status == 400, "\(body)")
                #expect(answer.error == "invalid_request")
                #expect(answer.string("error_description")?.contains(field) == true, "\(answer.text)")
            }
            for raw in ["{", "[]", "\"text\"", "{\"email\": }", ""] {
                let answer = try await http.send(
                    .POST,
                    "/v1/users",
                    headers: [("Content-Type", "application/json")],
                    body: Data(raw.utf8)
                )
                #expect(answer.status == 400, "\(raw)")
                #expect(answer.error == "invalid_request")
            }
            // A password of exactly 1024 bytes is fine.
            let longest = try await http.signUp("long@example.com", String(repeating: "é", count: 512))
            #expect(longest.status == 201)
        }
    }

    @Test(
        "a body that is not JSON is 415; over 64 KiB is 413, exactly 64 KiB is accepted, chunked too",
        arguments: StoreKind.all
    )
    func bodyLimits(_ store: StoreKind) async throws {
        // Over a socket: a chunked body with no length is what is tested.
        try await InProcessServer.run(on: store, transport: .loopback) { http, _ in
            let form = try await http.send(
                .POST,
                "/v1/users",
                headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: Data("email=a@example.com&password=x".utf8)
            )
            #expect(form.status == 415 && form.error == "unsupported_media_type")
            let untyped = try await http.send(.POST, "/v1/users", body: Data("{}".utf8))
            #expect(untyped.status == 415 && untyped.error == "unsupported_media_type")

            func padded(to size: Int) -> Data {
                let head = #"{"email":"big@example.com","password":"correct horse","pad":""#
                let tail = #""}"#
                let pad = String(repeating: "a", count: size - head.utf8.count - tail.utf8.count)
                return Data((head + pad + tail).utf8)
            }
            let exact = padded(to: 64 * 1024)
            #expect(exact.count == 65_536)
            let accepted = try await http.send(
                .POST,
                "/v1/users",
                headers: [("Content-Type", "application/json")],
                body: exact
            )
            #expect(accepted.status == 201, "\(accepted.text)")
            let tooLarge = try await http.send(
                .POST,
                "/v1/users",
                headers: [("Content-Type", "application/json")],
                body: padded(to: 64 * 1024 + 1)
            )
            #expect(tooLarge.status == 413 && tooLarge.error == "payload_too_large")

            // The same without Content-Length: a chunked stream that passes 64 KiB.
            let chunked = try await http.postChunked("/v1/users", chunks: 20, size: 8_192)
            #expect(chunked.status == 413 && chunked.error == "payload_too_large")
            // The server is still fine.
            #expect(try await http.get("/healthz").status == 200)
        }
    }

    @Test(
        "GET /v1/me answers the caller; no or a bad token is 401 invalid_token with WWW-Authenticate",
        arguments: StoreKind.all
    )
    func me(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, _ in
            try await http.signUp("ada@example.com", "correct horse")
            let login = try await http.login("ada@example.com", "correct horse")
            let access = try login.issued().access
            let me = try await http.get("/v1/me", bearer: access)
            #expect(me.status == 200)
            #expect(me.string("email") == "ada@example.com")
            #expect(me.json["roles"] as? [String] == [])
            #expect(me.string("created_at") != nil && me.string("id") != nil)

            let missing = try await http.get("/v1/me")
            #expect(missing.status == 401 && missing.error == "invalid_token")
            #expect(missing.header("WWW-Authenticate") == "Bearer")

            for header in ["Bearer nonsense", "Bearer \(access)x", "Basic dXNlcjpwYXNz", "Bearer"] {
                let bad = try await http.send(.GET, "/v1/me", headers: [("Authorization", header)])
                #expect(bad.status == 401 && bad.error == "invalid_token", "\(header)")
                #expect(bad.header("WWW-Authenticate") == #"Bearer error="invalid_token""#)
            }
        }
    }

    @Test("sign-up can be switched off", arguments: StoreKind.all)
    func signupDisabled(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router, configure: { $0.allowSignup = false }) { http, _ in
            let answer = try await http.signUp("ada@example.com", "correct horse")
            #expect(answer.status == 403 && answer.error == "forbidden")
        }
    }
}
