import Foundation
import RotorCore
import RotorProtocol
import RotorServer
import RotorTestSupport
import Testing

/// Logout scopes, the session list, revocation on security events (docs/protocol.md, "Sessions and revocation", §3).
@Suite("Session management over HTTP")
struct SessionManagementTests {
    static func alive(_ http: TestHTTP, _ login: inout Login) async throws -> Bool {
        let answer = try await http.refresh(login.refresh)
        if answer.status == 200 { login.refresh = try answer.issued().refresh }
        return answer.status == 200
    }

    static func endCause(_ http: TestHTTP, _ login: Login) async throws -> String? {
        let answer = try await http.refresh(login.refresh)
        #expect(answer.status == 401 && answer.error == "invalid_grant")
        return answer.string("error_description")
    }

    @Test("logout scope others ends every other session; global ends all; local only its own", arguments: StoreKind.all)
    func scopes(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, _ in
            try await http.signUp("ada@example.com", "correct horse")
            var a = try await http.signIn()
            let b = try await http.signIn()
            let c = try await http.signIn()

            let others = try await http.post("/v1/auth/logout", json: ["refresh_token": a.refresh, "scope": "others"])
            #expect(others.status == 204)
            #expect(try await Self.alive(http, &a))
            #expect(try await Self.endCause(http, b)?.contains("logout") == true)
            #expect(try await Self.endCause(http, c)?.contains("logout") == true)

            var d = try await http.signIn()
            let global = try await http.send(
                .POST,
                "/v1/auth/logout",
                headers: [("Authorization", "Bearer \(d.access)"), ("Content-Type", "application/json")],
                body: Data(#"{"scope":"global"}"#.utf8)
            )
            #expect(global.status == 204)
            #expect(try await !Self.alive(http, &a))
            #expect(try await !Self.alive(http, &d))

            var e = try await http.signIn()
            var f = try await http.signIn()
            let local = try await http.post("/v1/auth/logout", json: ["refresh_token": e.refresh])
            #expect(local.status == 204)
            #expect(try await !Self.alive(http, &e))
            #expect(try await Self.alive(http, &f))
            // A used, unknown or revoked token logs nothing out, whatever the scope.
            for token in [e.refresh, "rtr_" + String(repeating: "B", count: 43)] {
                let answer = try await http.post("/v1/auth/logout", json: ["refresh_token": token, "scope": "global"])
                #expect(answer.status == 204)
            }
            #expect(try await Self.alive(http, &f))
        }
    }

    @Test(
        "the session list shows live sessions newest first, with device, agent, IP and the current one",
        arguments: StoreKind.all
    )
    func list(_ store: StoreKind) async throws {
        // Over a socket: the list shows the peer address.
        try await InProcessServer.run(on: store, transport: .loopback) { http, _ in
            try await http.signUp("ada@example.com", "correct horse")
            let phone = try await http.signIn(
                extra: ["device_name": "Ada's phone", "device_id": "p1"],
                userAgent: "Phone/1.0"
            )
            let laptop = try await http.signIn(extra: ["device_name": "Laptop"], userAgent: "Laptop/2.0")
            let gone = try await http.signIn()
            #expect(try await http.post("/v1/auth/logout", json: ["refresh_token": gone.refresh]).status == 204)

            let answer = try await http.get("/v1/sessions", bearer: laptop.access)
            #expect(answer.status == 200)
            let sessions = try answer.sessions()
            #expect(sessions.map(\.id) == [laptop.session, phone.session])
            #expect(sessions[0].current && !sessions[1].current)
            #expect(sessions[0].deviceName == "Laptop")
            #expect(sessions[1].userAgent == "Phone/1.0")
            #expect(sessions[1].ip == "127.0.0.1")
            for time in [sessions[0].createdAt, sessions[0].lastUsedAt, sessions[0].expiresAt] {
                #expect(time.hasSuffix("Z"), "\(time)")
            }
            #expect(try await http.get("/v1/sessions").status == 401)
        }
    }

    @Test(
        "DELETE /v1/sessions/{id} ends one of the caller's sessions; another user's reads as 404",
        arguments: StoreKind.all
    )
    func revokeOne(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, _ in
            try await http.signUp("ada@example.com", "correct horse")
            try await http.signUp("bob@example.com", "correct horse")
            var mine = try await http.signIn()
            let other = try await http.signIn()
            var bob = try await http.signIn("bob@example.com")

            let foreign = try await http.send(
                .DELETE,
                "/v1/sessions/\(bob.session)",
                headers: [("Authorization", "Bearer \(mine.access)")]
            )
            #expect(foreign.status == 404 && foreign.error == "not_found")
            #expect(try await Self.alive(http, &bob))
            let unknown = try await http.send(
                .DELETE,
                "/v1/sessions/nope",
                headers: [("Authorization", "Bearer \(mine.access)")]
            )
            #expect(unknown.status == 404)

            let revoked = try await http.send(
                .DELETE,
                "/v1/sessions/\(other.session)",
                headers: [("Authorization", "Bearer \(mine.access)")]
            )
            #expect(revoked.status == 204)
            #expect(try await Self.endCause(http, other)?.contains("logout") == true)
            #expect(try await Self.alive(http, &mine))
            let again = try await http.send(
                .DELETE,
                "/v1/sessions/\(other.session)",
                headers: [("Authorization", "Bearer \(mine.access)")]
            )
            #expect(again.status == 404)
            let anonymous = try await http.send(.DELETE, "/v1/sessions/\(mine.session)")
            #expect(anonymous.status == 401)
        }
    }

    @Test(
        "a password change ends every session and answers a new pair; a wrong current password changes nothing",
        arguments: StoreKind.all
    )
    func passwordChange(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, _ in
            try await http.signUp("ada@example.com", "correct horse")
            var me = try await http.signIn()
            let otherDevice = try await http.signIn()
            let auth = [("Authorization", "Bearer \(me.access)")]

            let wrong = try await http.post(
                "/v1/me/password",
                json: ["current_password": "wrong horse", "new_password": "new horse shoe"],
                headers: auth
            )
            #expect(wrong.status == 401 && wrong.error == "invalid_credentials")
            #expect(try await Self.alive(http, &me))
            let short = try await http.post(
                "/v1/me/password",
                json: ["current_password": "correct horse", "new_password": "short"],
                headers: auth
            )
            #expect(short.status == 400 && short.string("error_description")?.contains("new_password") == true)

            let changed = try await http.post(
                "/v1/me/password",
                json: ["current_password": "correct horse", "new_password": "new horse shoe"],
                headers: auth
            )
            #expect(changed.status == 200)
            let fresh = try changed.issued().refresh
            #expect(changed.string("session_id") != me.session)
            #expect(try await Self.endCause(http, otherDevice)?.contains("password_change") == true)
            #expect(try await Self.endCause(http, me)?.contains("password_change") == true)
            #expect(try await http.refresh(fresh).status == 200)
            #expect(try await http.login("ada@example.com", "correct horse").status == 401)
            #expect(try await http.login("ada@example.com", "new horse shoe").status == 200)
        }
    }

    @Test("an email change ends every session; an address in use is 409 and changes nothing", arguments: StoreKind.all)
    func emailChange(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, _ in
            try await http.signUp("ada@example.com", "correct horse")
            try await http.signUp("bob@example.com", "correct horse")
            var me = try await http.signIn()
            let auth = [("Authorization", "Bearer \(me.access)")]
            let taken = try await http.post(
                "/v1/me/email",
                json: ["password": "correct horse", "new_email": "BOB@example.com"],
                headers: auth
            )
            #expect(taken.status == 409 && taken.error == "email_taken")
            let wrong = try await http.post(
                "/v1/me/email",
                json: ["password": "wrong horse", "new_email": "ada2@example.com"],
                headers: auth
            )
            #expect(wrong.status == 401 && wrong.error == "invalid_credentials")
            #expect(try await Self.alive(http, &me))

            let changed = try await http.post(
                "/v1/me/email",
                json: ["password": "correct horse", "new_email": "Ada2@Example.com"],
                headers: auth
            )
            #expect(changed.status == 200)
            #expect(try await Self.endCause(http, me)?.contains("email_change") == true)
            let access = try changed.issued().access
            #expect(try await http.get("/v1/me", bearer: access).string("email") == "ada2@example.com")
            #expect(try await http.login("ada@example.com", "correct horse").status == 401)
            #expect(try await http.login("ada2@example.com", "correct horse").status == 200)
        }
    }

    @Test(
        "at the session cap a login evicts the least recently used session, recorded, never silently",
        arguments: StoreKind.all
    )
    func eviction(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router, configure: { $0.engine.maxSessionsPerUser = 3 }) {
            http,
            _ in
            try await http.signUp("ada@example.com", "correct horse")
            var first = try await http.signIn()
            let second = try await http.signIn()
            var third = try await http.signIn()
            #expect(try await Self.alive(http, &first))  // the first is now used more recently than the second
            var fourth = try await http.signIn()
            #expect(try await Self.endCause(http, second)?.contains("evicted") == true)
            #expect(try await Self.alive(http, &first))
            #expect(try await Self.alive(http, &third))
            #expect(try await Self.alive(http, &fourth))
            #expect(try await http.get("/v1/sessions", bearer: fourth.access).sessions().count == 3)
            let events = try await http.get("/v1/me/events", bearer: fourth.access).events()
            #expect(
                events.contains {
                    $0.type == "session_revoked" && $0.cause == "evicted" && $0.sessionId == second.session
                }
            )
        }
    }

    @Test("the audit trail lists the user's security events newest first", arguments: StoreKind.all)
    func events(_ store: StoreKind) async throws {
        let clock = ManualClock(start: Date())
        // Over a socket: the events show the peer address.
        try await InProcessServer.run(on: store, transport: .loopback, clock: clock) { http, _ in
            try await http.signUp("ada@example.com", "correct horse")
            _ = try await http.login("ada@example.com", "wrong horse")
            let bound = try await http.signIn(extra: ["device_id": "d1"])
            _ = try await http.refresh(bound.refresh, extra: ["device_id": "d2"])  // binding mismatch
            let reused = try await http.signIn()
            _ = try await http.refresh(reused.refresh)
            clock.advance(by: 11)
            _ = try await http.refresh(reused.refresh)  // reuse
            let me = try await http.signIn(userAgent: "Events/1")
            #expect(try await http.post("/v1/auth/logout", json: ["refresh_token": bound.refresh]).status == 204)
            let changed = try await http.post(
                "/v1/me/password",
                json: ["current_password": "correct horse", "new_password": "new horse shoe"],
                headers: [("Authorization", "Bearer \(me.access)")]
            )
            let access = try changed.issued().access

            let answer = try await http.get("/v1/me/events", bearer: access)
            #expect(answer.status == 200)
            let events = try answer.events()
            let types = events.map(\.type)
            for expected in [
                "login", "login_failed", "refresh_binding_mismatch", "refresh_token_reuse", "logout",
                "password_changed", "session_revoked",
            ] {
                #expect(types.contains(expected), "\(expected) missing from \(types)")
            }
            #expect(types.first == "password_changed")
            let times = events.map(\.at)
            #expect(times == times.sorted(by: >))
            #expect(events.contains { $0.type == "session_revoked" && $0.cause == "password_change" })
            #expect(events.first?.ip == "127.0.0.1")
        }
    }
}
