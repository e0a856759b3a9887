import Foundation
import RotorTestSupport
import Testing

/// Login, refresh, reuse detection and logout over real HTTP.
@Suite("Sessions over HTTP")
struct SessionRoutesTests {
    static func account(_ http: TestHTTP) async throws -> HTTPAnswer {
        try await http.signUp("ada@example.com", "correct horse")
        return try await http.login("ada@example.com", "correct horse")
    }

    @Test("login answers the token response of docs/protocol.md, never cached", arguments: StoreKind.all)
    func login(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, _ in
            let answer = try await Self.account(http)
            #expect(answer.status == 200)
            #expect(answer.string("token_type") == "Bearer")
            #expect(answer.json["expires_in"] as? Int == 900)
            #expect(answer.json["refresh_token_expires_in"] as? Int == 2_592_000)
            #expect(answer.string("refresh_token")?.hasPrefix("rtr_") == true)
            #expect(answer.string("access_token")?.split(separator: ".").count == 3)
            #expect(UUID(uuidString: answer.string("session_id") ?? "") != nil)
            #expect(answer.header("Cache-Control") == "no-store")
        }
    }

    @Test("unknown email and wrong password get the same 401 body", arguments: StoreKind.all)
    func badCredentials(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, _ in
            _ = try await Self.account(http)
            let wrong = try await http.login("ada@example.com", "wrong horse")
            let unknown = try await http.login("nobody@example.com", "correct horse")
            #expect(wrong.status == 401 && unknown.status == 401)
            #expect(wrong.error == "invalid_credentials")
            #expect(wrong.body == unknown.body)
            let malformed = try await http.post("/v1/auth/login", json: ["email": "ada@example.com"])
            #expect(malformed.status == 400 && malformed.error == "invalid_request")
            let badDelivery = try await http.login("ada@example.com", "correct horse", extra: ["token_delivery": "x"])
            #expect(badDelivery.status == 400)
        }
    }

    @Test("refresh rotates; a replay after the grace window is reuse and ends the session", arguments: StoreKind.all)
    func refreshAndReuse(_ store: StoreKind) async throws {
        let clock = ManualClock(start: Date())
        try await InProcessServer.run(on: store, transport: .router, clock: clock) { http, _ in
            let login = try await Self.account(http)
            let first = try login.issued().refresh
            let rotated = try await http.refresh(first)
            #expect(rotated.status == 200)
            let child = try rotated.issued().refresh
            #expect(child != first)
            #expect(rotated.string("session_id") == login.string("session_id"))

            let replay = try await http.refresh(first)
            #expect(replay.status == 200)
            #expect(replay.string("refresh_token") == child)

            clock.advance(by: 11)
            let reuse = try await http.refresh(first)
            #expect(reuse.status == 401 && reuse.error == "invalid_grant")
            #expect(reuse.string("error_description")?.contains("reuse_detected") == true)
            let after = try await http.refresh(child)
            #expect(after.status == 401 && after.error == "invalid_grant")
            #expect(after.string("error_description")?.contains("reuse_detected") == true)

            for garbage in ["", "rtr_nope", String(repeating: "a", count: 5000)] {
                let answer = try await http.refresh(garbage)
                #expect(answer.status == 401 && answer.error == "invalid_grant")
            }
            let missing = try await http.post("/v1/auth/token/refresh", json: [:])
            #expect(missing.status == 400 && missing.string("error_description")?.contains("refresh_token") == true)
        }
    }

    @Test(
        "a session bound to a device refreshes only with that device id, from the body or X-Device-Id",
        arguments: StoreKind.all
    )
    func deviceBinding(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, _ in
            try await http.signUp("ada@example.com", "correct horse")
            let login = try await http.login(
                "ada@example.com",
                "correct horse",
                extra: ["device_id": "phone-1", "device_name": "Ada's phone"]
            )
            let token = try login.issued().refresh
            let none = try await http.refresh(token)
            #expect(none.status == 401 && none.error == "invalid_grant")
            let other = try await http.refresh(token, headers: [("X-Device-Id", "laptop")])
            #expect(other.status == 401)
            // Neither mismatch spent the token or ended the session.
            let viaHeader = try await http.refresh(token, headers: [("X-Device-Id", "phone-1")])
            #expect(viaHeader.status == 200)
            let next = try viaHeader.issued().refresh
            let viaBody = try await http.refresh(next, extra: ["device_id": "phone-1"])
            #expect(viaBody.status == 200)
        }
    }

    @Test(
        "logout by refresh token or access token ends the session; unknown tokens answer 204 and change nothing",
        arguments: StoreKind.all
    )
    func logout(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, _ in
            let login = try await Self.account(http)
            let token = try login.issued().refresh
            let unknown = try await http.post(
                "/v1/auth/logout",
                json: ["refresh_token": "rtr_" + String(repeating: "A", count: 43)]
            )
            #expect(unknown.status == 204)
            #expect(try await http.refresh(token).status == 200)  // still alive

            let second = try await http.login("ada@example.com", "correct horse")
            let secondToken = try second.issued().refresh
            let secondAccess = try second.issued().access
            let byAccess = try await http.send(
                .POST,
                "/v1/auth/logout",
                headers: [("Authorization", "Bearer \(secondAccess)")]
            )
            #expect(byAccess.status == 204)
            let refused = try await http.refresh(secondToken)
            #expect(refused.status == 401 && refused.string("error_description")?.contains("logout") == true)

            let third = try await http.login("ada@example.com", "correct horse")
            let thirdToken = try third.issued().refresh
            let byRefresh = try await http.post(
                "/v1/auth/logout",
                json: ["refresh_token": thirdToken, "scope": "local"]
            )
            #expect(byRefresh.status == 204)
            #expect(try await http.refresh(thirdToken).status == 401)

            let nothing = try await http.send(.POST, "/v1/auth/logout")
            #expect(nothing.status == 400 && nothing.error == "invalid_request")
            let badScope = try await http.post(
                "/v1/auth/logout",
                json: ["refresh_token": thirdToken, "scope": "everything"]
            )
            #expect(badScope.status == 400)
            let badAccess = try await http.send(.POST, "/v1/auth/logout", headers: [("Authorization", "Bearer x.y.z")])
            #expect(badAccess.status == 401 && badAccess.error == "invalid_token")
        }
    }
}
