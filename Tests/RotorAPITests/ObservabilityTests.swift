import Foundation
import InMemoryLogging
import Logging
import RotorCore
import RotorServer
import RotorTestSupport
import Testing

/// `GET /metrics`, request ids, and docs/protocol.md (guarantees): no secret in a log line, an error body or a metric.
@Suite("Observability and secrets")
struct ObservabilityTests {
    static let masterKeyText = Data((0..<32).map { UInt8($0) }).base64EncodedString()
    static let introspectionSecret = "the-introspection-secret-1234"

    @Test("metrics count requests by route and status, refreshes, logins and ended sessions, with safe labels")
    func metrics() async throws {
        let clock = ManualClock(start: Date())
        try await InProcessServer.run(clock: clock) { http, _ in
            try await http.signUp("ada@example.com", "correct horse")
            _ = try await http.login("ada@example.com", "wrong horse")
            let login = try await http.signIn()
            _ = try await http.refresh(login.refresh)
            _ = try await http.refresh(login.refresh)  // grace
            clock.advance(by: 11)
            _ = try await http.refresh(login.refresh)  // reuse
            // An id in the path: the label is the pattern.
            _ = try await http.send(.DELETE, "/v1/sessions/\(login.session)")

            let answer = try await http.get("/metrics")
            #expect(answer.status == 200 && answer.header("Content-Type")?.hasPrefix("text/plain") == true)
            let text = answer.text
            for line in [
                #"rotor_http_requests_total{route="/v1/users",method="POST",status="201"} 1"#,
                #"rotor_http_requests_total{route="/v1/auth/login",method="POST",status="401"} 1"#,
                #"rotor_http_requests_total{route="/v1/auth/token/refresh",method="POST",status="200"} 2"#,
                #"rotor_refreshes_total{outcome="rotated"} 1"#,
                #"rotor_refreshes_total{outcome="grace"} 1"#,
                #"rotor_refreshes_total{outcome="reuse"} 1"#,
                #"rotor_logins_total{outcome="success"} 1"#,
                #"rotor_logins_total{outcome="invalid_credentials"} 1"#,
                #"rotor_sessions_ended_total{cause="reuse_detected"} 1"#,
                #"rotor_http_requests_total{route="/v1/sessions/{id}",method="DELETE",status="401"} 1"#,
            ] {
                #expect(text.contains(line), "missing: \(line)")
            }
            #expect(text.contains("rotor_http_request_duration_seconds_bucket"))
            #expect(text.contains("rotor_password_hash_queue_depth"))
            #expect(!text.contains(login.session) && !text.contains("ada@example.com") && !text.contains("rtr_"))
            #expect(answer.header("X-Request-Id")?.isEmpty == false)
        }
    }

    @Test("driving every route, failures included, leaves no secret in logs, error bodies or metrics")
    func noSecrets() async throws {
        let logs = InMemoryLogHandler()
        var logger = Logger(label: "rotor-test") { _ in logs }
        logger.logLevel = .trace
        let clock = ManualClock(start: Date())
        let outcome = try await InProcessServer.run(
            clock: clock,
            logger: logger,
            configure: {
                $0.masterKey = MasterKey(Self.masterKeyText)
                $0.introspectionSecret = Self.introspectionSecret
            }
        ) { http, _ in
            var secrets = [
                Self.masterKeyText, Self.introspectionSecret, "correct horse", "new horse shoe", "wrong horse",
            ]
            var bodies: [String] = []
            func keep(_ answer: HTTPAnswer) -> HTTPAnswer {
                if answer.status >= 400 { bodies.append(answer.text) }
                return answer
            }
            let form = [("Content-Type", "application/x-www-form-urlencoded")]
            _ = keep(try await http.signUp("ada@example.com", "correct horse"))
            _ = keep(try await http.signUp("ada@example.com", "correct horse"))
            _ = keep(try await http.signUp("bad", "correct horse"))
            _ = keep(try await http.login("ada@example.com", "wrong horse"))
            let login = try await http.signIn()
            secrets += [login.refresh, login.access]
            let rotated = keep(try await http.refresh(login.refresh))
            let child = try rotated.issued().refresh
            secrets.append(child)
            clock.advance(by: 11)
            _ = keep(try await http.refresh(login.refresh))
            _ = keep(try await http.refresh("rtr_" + String(repeating: "Q", count: 43)))
            let second = try await http.signIn(extra: ["device_id": "dev"])
            secrets += [second.refresh, second.access]
            _ = keep(try await http.refresh(second.refresh, extra: ["device_id": "other"]))
            let auth = [("Authorization", "Bearer \(second.access)")]
            _ = keep(try await http.send(.GET, "/v1/me", headers: auth))
            _ = keep(try await http.send(.GET, "/v1/me", headers: [("Authorization", "Bearer \(second.access)x")]))
            _ = keep(try await http.send(.GET, "/v1/sessions", headers: auth))
            _ = keep(try await http.send(.GET, "/v1/me/events", headers: auth))
            _ = keep(try await http.send(.DELETE, "/v1/sessions/nope", headers: auth))
            _ = keep(
                try await http.post(
                    "/v1/me/password",
                    json: ["current_password": "wrong horse", "new_password": "new horse shoe"],
                    headers: auth
                )
            )
            _ = keep(
                try await http.post(
                    "/v1/me/email",
                    json: ["password": "wrong horse", "new_email": "x@example.com"],
                    headers: auth
                )
            )
            let changed = keep(
                try await http.post(
                    "/v1/me/password",
                    json: ["current_password": "correct horse", "new_password": "new horse shoe"],
                    headers: auth
                )
            )
            let fresh = try changed.issued().refresh
            secrets.append(fresh)
            _ = keep(
                try await http.send(
                    .POST,
                    "/v1/admin/users/x/disable",
                    headers: [("Authorization", "Bearer \(try changed.issued().access)")]
                )
            )
            _ = keep(
                try await OAuthEndpointsTests.form(
                    http,
                    "/oauth/token",
                    "grant_type=refresh_token&refresh_token=\(fresh)"
                )
            )
            _ = keep(
                try await OAuthEndpointsTests.form(
                    http,
                    "/oauth/token",
                    "grant_type=refresh_token&refresh_token=\(login.refresh)"
                )
            )
            _ = keep(
                try await OAuthEndpointsTests.form(
                    http,
                    "/oauth/introspect",
                    "token=\(second.access)",
                    headers: [("Authorization", "Bearer \(Self.introspectionSecret)")]
                )
            )
            _ = keep(
                try await OAuthEndpointsTests.form(
                    http,
                    "/oauth/introspect",
                    "token=\(second.access)",
                    headers: [("Authorization", "Bearer \(Self.introspectionSecret)x")]
                )
            )
            _ = keep(try await OAuthEndpointsTests.form(http, "/oauth/revoke", "token=\(child)"))
            _ = keep(try await http.post("/v1/auth/logout", json: ["refresh_token": child, "scope": "global"]))
            _ = keep(
                try await http.send(
                    .POST,
                    "/v1/auth/login",
                    headers: form,
                    body: Data("email=a&password=correct horse".utf8)
                )
            )
            let metrics = try await http.get("/metrics").text
            return (secrets, bodies, metrics)
        }
        let (secrets, bodies, metrics) = outcome
        let entries = logs.entries
        #expect(entries.count > 20)
        // Every request's line names its request id, the one in the answer's X-Request-Id and Hummingbird's.
        let requestLines = entries.filter { $0.message == "request" }
        #expect(requestLines.count > 20)
        for line in requestLines {
            let id = line.metadata["request_id"]?.description
            #expect(id?.isEmpty == false && id == line.metadata["hb.request.id"]?.description, "\(line.metadata)")
        }
        let logText = entries.map { entry in
            "\(entry.message) \(entry.metadata.map { "\($0.key)=\($0.value)" }.joined(separator: " "))"
        }.joined(separator: "\n")
        for secret in secrets {
            #expect(!logText.contains(secret), "a secret reached a log line")
            #expect(!bodies.contains { $0.contains(secret) }, "a secret reached an error body")
            #expect(!metrics.contains(secret), "a secret reached a metric")
        }
        for marker in ["PRIVATE KEY", "BEGIN", "rtr_"] {
            #expect(!logText.contains(marker), "\(marker) in the logs")
        }
    }
}
