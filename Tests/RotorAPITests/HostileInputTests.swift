import Foundation
import RotorTestSupport
import Testing

/// docs/protocol.md (guarantees): bad input of any kind gets a 4xx with the error body, never a crash, a hang or a 500.
/// A seeded, bounded sample; deeper fuzzing of every endpoint belongs to the hardening work.
@Suite("Hostile input")
struct HostileInputTests {
    /// SplitMix64: a tiny seeded generator, so that a failure replays exactly.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let routes = ["/v1/users", "/v1/auth/login", "/v1/auth/token/refresh", "/v1/auth/logout"]

    static func bodies(seed: UInt64, count: Int) -> [Data] {
        var rng = SeededGenerator(state: seed)
        var bodies: [Data] = [
            Data(String(repeating: "[", count: 100_000).utf8),
            Data((String(repeating: "{\"a\":", count: 20_000) + "1" + String(repeating: "}", count: 20_000)).utf8),
            Data(#"{"email": 1e999999, "password": -0.0}"#.utf8),
            Data(#"{"email": "a@b.co", "password": 123456789012345678901234567890}"#.utf8),
            Data([0xFF, 0xFE, 0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x22, 0x7D]),
            Data(#"{"email":"\ud800@x.co","password":"\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000"}"#.utf8),
            Data(#"{"refresh_token": ["rtr_"], "device_id": {"x": null}}"#.utf8),
            Data(#"{"refresh_token": "rtr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "scope": 7}"#.utf8),
            Data("null".utf8), Data("true".utf8), Data("{}".utf8), Data("{\"email\":\"\"}".utf8),
        ]
        let fragments = [
            "{", "}", "[", "]", "\"", ":", ",", "email", "password", "refresh_token", "null", "1e308",
            "\\u0000", "\\", "é", "\u{1F600}", " ", "true", "-", "0x", "rtr_",
        ]
        for _ in 0..<count {
            if Bool.random(using: &rng) {
                bodies.append(
                    Data((0..<Int.random(in: 1...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
                )
            } else {
                let text = (0..<Int.random(in: 1...60, using: &rng)).map { _ in fragments.randomElement(using: &rng)! }
                bodies.append(Data(text.joined().utf8))
            }
        }
        return bodies
    }

    @Test("random and malformed bodies on every JSON route answer a 4xx error body, and the server lives on")
    func randomBodies() async throws {
        try await InProcessServer.run { http, _ in
            for (index, body) in Self.bodies(seed: 0x5EED, count: 60).enumerated() {
                let route = Self.routes[index % Self.routes.count]
                let answer = try await http.send(
                    .POST,
                    route,
                    headers: [("Content-Type", "application/json")],
                    body: body
                )
                #expect((400..<500).contains(answer.status), "\(route) body #\(index): \(answer.status)")
                let code = answer.error
                #expect(
                    code != nil && answer.string("error_description") != nil,
                    "\(route) body #\(index): \(answer.text)"
                )
            }
            #expect(try await http.get("/healthz").status == 200)
        }
    }

    @Test("odd headers and methods answer 4xx, never 5xx")
    func oddHeaders() async throws {
        try await InProcessServer.run { http, _ in
            let headers: [[(String, String)]] = [
                [("Content-Type", "application/json; charset=utf-16")],
                [("Content-Type", "application/json"), ("Content-Type", "text/plain")],
                [("Content-Type", String(repeating: "a", count: 4000))],
                [("Authorization", "Bearer " + String(repeating: "A", count: 9000))],
                [("Authorization", "Bearer a.b.c.d")],
                [("Authorization", "Bearer ..")],
                [("Authorization", "Bearer eyJhbGciOiJub25lIn0.e30.")],
                [("X-Device-Id", String(repeating: "d", count: 2000))],
            ]
            for set in headers {
                for route in Self.routes {
                    let answer = try await http.send(.POST, route, headers: set, body: Data("{}".utf8))
                    #expect((400..<500).contains(answer.status), "\(route) \(set.map(\.0)): \(answer.status)")
                }
                let me = try await http.send(.GET, "/v1/me", headers: set)
                #expect(me.status == 401, "\(set.map(\.0))")
            }
            for method in [Method.PUT, .DELETE] {
                for route in Self.routes + ["/v1/me", "/healthz"] {
                    let answer = try await http.send(method, route)
                    #expect((400..<500).contains(answer.status), "\(method) \(route): \(answer.status)")
                }
            }
        }
    }
}
