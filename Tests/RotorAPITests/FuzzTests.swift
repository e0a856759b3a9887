import Foundation
import RotorProtocol
import RotorServer
import RotorTestSupport
import Testing

/// docs/protocol.md (guarantees), hardened: seeded, bounded fuzzing of every JSON and form endpoint and of headers. Never a 5xx, a
/// crash or a hang; every error is a valid error body with a known code. The seed is fixed, so a failure replays.
@Suite("Fuzzing every endpoint")
struct FuzzTests {
    typealias RNG = HostileInputTests.SeededGenerator

    struct Target: Sendable {
        var path: String
        var form: Bool
        var authenticated: Bool
        var fields: [String]
    }

    static let targets: [Target] = [
        Target(path: "/v1/users", form: false, authenticated: false, fields: ["email", "password"]),
        Target(
            path: "/v1/auth/login",
            form: false,
            authenticated: false,
            fields: ["email", "password", "device_id", "device_name", "token_delivery"]
        ),
        Target(
            path: "/v1/auth/token/refresh",
            form: false,
            authenticated: false,
            fields: ["refresh_token", "device_id"]
        ),
        Target(path: "/v1/auth/logout", form: false, authenticated: false, fields: ["refresh_token", "scope"]),
        Target(
            path: "/v1/me/password",
            form: false,
            authenticated: true,
            fields: ["current_password", "new_password"]
        ),
        Target(path: "/v1/me/email", form: false, authenticated: true, fields: ["password", "new_email"]),
        Target(
            path: "/oauth/token",
            form: true,
            authenticated: false,
            fields: [
                "grant_type", "refresh_token", "client_id", "client_secret", "code", "redirect_uri", "code_verifier",
                "scope", "resource", "client_assertion", "client_assertion_type", "device_code",
            ]
        ),
        Target(
            path: "/oauth/device_authorization",
            form: true,
            authenticated: false,
            fields: ["client_id", "client_secret", "scope", "resource", "client_assertion", "client_assertion_type"]
        ),
        Target(path: "/oauth/revoke", form: true, authenticated: false, fields: ["token", "token_type_hint"]),
        Target(path: "/oauth/introspect", form: true, authenticated: false, fields: ["token", "token_type_hint"]),
    ]

    /// A JSON value of a random kind: the wrong types, huge numbers, long or odd strings, deep nesting.
    static func value(_ rng: inout RNG, depth: Int = 0) -> String {
        switch Int.random(in: 0..<12, using: &rng) {
        case 0: return "null"
        case 1: return Bool.random(using: &rng) ? "true" : "false"
        case 2:
            return ["1e400", "-1e400", "123456789012345678901234567890", "-0", "0.0000001e-999", "1"].randomElement(
                using: &rng
            )!
        case 3: return "\"" + String(repeating: "a", count: Int.random(in: 0...3_000, using: &rng)) + "\""
        case 4: return #""\u0000\ud800\udfff\\\"é😀""#
        case 5: return "\"rtr_" + String(repeating: "A", count: 43) + "\""
        case 6: return "\"a@b.co\""
        case 7 where depth < 3:
            return "["
                + (0..<Int.random(in: 0...3, using: &rng)).map { _ in value(&rng, depth: depth + 1) }.joined(
                    separator: ","
                ) + "]"
        case 8 where depth < 3: return "{\"x\":" + value(&rng, depth: depth + 1) + "}"
        case 9: return String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        case 10: return "\"correct horse\""
        default:
            return "\""
                + (0..<Int.random(in: 1...20, using: &rng)).map { _ in
                    String(UnicodeScalar(UInt8.random(in: 0x20...0x7E, using: &rng)))
                }.joined().replacingOccurrences(of: "\"", with: "").replacingOccurrences(of: "\\", with: "") + "\""
        }
    }

    static func jsonBody(_ target: Target, _ rng: inout RNG) -> Data {
        if Int.random(in: 0..<5, using: &rng) == 0 {
            return Data((0..<Int.random(in: 0...200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
        }
        let members = target.fields.filter { _ in Bool.random(using: &rng) }.map { "\"\($0)\":\(value(&rng))" }
        var text = "{" + members.joined(separator: ",") + "}"
        if Int.random(in: 0..<6, using: &rng) == 0 {
            text.removeLast(Int.random(in: 1...max(1, text.count), using: &rng))
        }
        var data = Data(text.utf8)
        if Int.random(in: 0..<8, using: &rng) == 0, !data.isEmpty {
            data[Int.random(in: 0..<data.count, using: &rng)] = 0xC3
        }  // broken UTF-8
        return data
    }

    static func formBody(_ target: Target, _ rng: inout RNG) -> Data {
        if Int.random(in: 0..<5, using: &rng) == 0 {
            return Data((0..<Int.random(in: 0...200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
        }
        let values = [
            "refresh_token", "password", "%zz", "%00", "%C3%28", "rtr_" + String(repeating: "B", count: 43), "",
            String(repeating: "x", count: 5_000), "a+b%20c", "=", "&&", "%F0%9F%98%80",
        ]
        var pairs = target.fields.filter { _ in Bool.random(using: &rng) }.map {
            "\($0)=\(values.randomElement(using: &rng)!)"
        }
        if Bool.random(using: &rng), let first = pairs.first { pairs.append(first) }  // a repeated parameter
        return Data(pairs.joined(separator: "&").utf8)
    }

    static func check(_ answer: HTTPAnswer, _ what: String) {
        #expect(answer.status < 500, "\(what): \(answer.status) \(answer.text.prefix(200))")
        if answer.status >= 400 {
            let code = answer.error.flatMap(ErrorCode.init(rawValue:))
            #expect(
                code != nil && answer.string("error_description") != nil,
                "\(what): not an error body: \(answer.text.prefix(200))"
            )
        }
    }

    @Test("random bodies of every kind on every JSON and form endpoint")
    func bodies() async throws {
        try await InProcessServer.run(configure: { $0.introspectionSecret = OAuthEndpointsTests.secret }) { http, _ in
            let login = try await http.newAccount()
            var rng = RNG(state: 0xF022)
            for round in 0..<30 {
                for target in Self.targets {
                    var headers: [(String, String)] = [
                        ("Content-Type", target.form ? "application/x-www-form-urlencoded" : "application/json")
                    ]
                    if target.authenticated { headers.append(("Authorization", "Bearer \(login.access)")) }
                    if target.path == "/oauth/introspect" {
                        headers.append(("Authorization", "Bearer \(OAuthEndpointsTests.secret)"))
                    }
                    if Int.random(in: 0..<10, using: &rng) == 0 {
                        headers[0].1 = ["text/plain", "application/json; charset=latin1", "", "*/*"].randomElement(
                            using: &rng
                        )!
                    }
                    let body = target.form ? Self.formBody(target, &rng) : Self.jsonBody(target, &rng)
                    let answer = try await http.send(.POST, target.path, headers: headers, body: body)
                    Self.check(answer, "\(target.path) round \(round)")
                }
            }
            #expect(try await http.get("/healthz").status == 200)
        }
    }

    @Test("chunked bodies over 64 KiB are 413 on every endpoint, and odd headers never get a 5xx")
    func chunkedAndHeaders() async throws {
        try await InProcessServer.run(configure: { $0.introspectionSecret = OAuthEndpointsTests.secret }) { http, _ in
            for target in Self.targets {
                let answer = try await http.postChunked(target.path, chunks: 9, size: 8_192)
                if target.authenticated {
                    #expect(answer.status == 401, "\(target.path)")  // the caller is checked before the body is read
                } else if target.path == "/oauth/introspect" {
                    #expect(answer.status == 401 && answer.error == "invalid_client")
                } else {
                    #expect(
                        answer.status == 413 && answer.error == "payload_too_large",
                        "\(target.path): \(answer.status)"
                    )
                }
            }
            var rng = RNG(state: 0xBEEF)
            let names = [
                "Authorization", "Content-Type", "X-Device-Id", "X-Forwarded-For", "User-Agent", "Cookie", "Origin",
            ]
            for round in 0..<80 {
                let value = (0..<Int.random(in: 0...300, using: &rng)).map { _ in
                    String(UnicodeScalar(UInt8.random(in: 0x20...0x7E, using: &rng)))
                }.joined()
                let headers = [(names.randomElement(using: &rng)!, value), ("Content-Type", "application/json")]
                let target = Self.targets.randomElement(using: &rng)!
                let answer = try await http.send(.POST, target.path, headers: headers, body: Data("{}".utf8))
                Self.check(answer, "header round \(round) on \(target.path)")
                let me = try await http.send(.GET, "/v1/me", headers: [("Authorization", "Bearer " + value)])
                #expect(me.status == 401, "round \(round)")
            }
        }
    }
}
