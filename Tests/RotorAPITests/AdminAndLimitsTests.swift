import Foundation
import RotorAPI
import RotorCore
import RotorProtocol
import RotorServer
import RotorTestSupport
import Testing

/// Admin routes, disabled accounts, brute-force limits and trusted proxies, over real HTTP; admins are made with
/// the real `rotor users create --admin` against the running server's database.
@Suite("Admin, disabled users and login limits", .serialized)
struct AdminAndLimitsTests {
    static func makeAdmin(_ databasePath: String) throws {
        let directory = URL(fileURLWithPath: databasePath).deletingLastPathComponent()
        let result = try RotorProcess.runToEnd(
            arguments: [
                "users", "create", "--email", "root@example.com", "--admin", "--database-url",
                "sqlite://\(databasePath)",
            ],
            workingDirectory: directory,
            input: "admin password\n"
        )
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test("admin routes need the admin role; disabling ends sessions, refuses tokens and logins; enabling restores")
    func disable() async throws {
        try await InProcessServer.run { http, path in
            let ada = try await http.signUp("ada@example.com", "correct horse")
            let adaId = try #require(ada.string("id"))
            let adaLogin = try await http.signIn()
            try Self.makeAdmin(path)
            let admin = try await http.signIn("root@example.com", "admin password")
            #expect(try await http.get("/v1/me", bearer: admin.access).json["roles"] as? [String] == ["admin"])

            let auth = { (token: String) in [("Authorization", "Bearer \(token)")] }
            for (method, path) in [
                (Method.POST, "/v1/admin/users/\(adaId)/disable"), (.POST, "/v1/admin/users/\(adaId)/enable"),
                (.DELETE, "/v1/admin/users/\(adaId)/sessions"),
            ] {
                let forbidden = try await http.send(method, path, headers: auth(adaLogin.access))
                #expect(forbidden.status == 403 && forbidden.error == "forbidden", "\(path)")
                #expect(try await http.send(method, path).status == 401)
            }
            let unknown = try await http.send(.POST, "/v1/admin/users/nobody/disable", headers: auth(admin.access))
            #expect(unknown.status == 404)

            #expect(
                try await http.send(.POST, "/v1/admin/users/\(adaId)/disable", headers: auth(admin.access)).status
                    == 204
            )
            #expect(try await SessionManagementTests.endCause(http, adaLogin)?.contains("user_disabled") == true)
            let me = try await http.get("/v1/me", bearer: adaLogin.access)
            #expect(me.status == 401 && me.error == "invalid_token")
            let rightPassword = try await http.login("ada@example.com", "correct horse")
            #expect(rightPassword.status == 403 && rightPassword.error == "account_disabled")
            let wrongPassword = try await http.login("ada@example.com", "wrong horse")
            #expect(wrongPassword.status == 401 && wrongPassword.error == "invalid_credentials")

            #expect(
                try await http.send(.POST, "/v1/admin/users/\(adaId)/enable", headers: auth(admin.access)).status == 204
            )
            let back = try await http.signIn()
            #expect(
                try await http.send(.DELETE, "/v1/admin/users/\(adaId)/sessions", headers: auth(admin.access)).status
                    == 204
            )
            #expect(try await SessionManagementTests.endCause(http, back)?.contains("admin") == true)
        }
    }

    @Test(
        "the 6th failed login for an account answers 429 with Retry-After, even with the right password",
        arguments: StoreKind.all
    )
    func accountLimit(_ store: StoreKind) async throws {
        let clock = ManualClock(start: Date())
        try await InProcessServer.run(on: store, transport: .router, clock: clock) { http, _ in
            try await http.signUp("ada@example.com", "correct horse")
            for attempt in 1...5 {
                let answer = try await http.login("ada@example.com", "wrong horse \(attempt)")
                #expect(answer.status == 401, "attempt \(attempt)")
            }
            let limited = try await http.login("ada@example.com", "correct horse")
            #expect(limited.status == 429 && limited.error == "rate_limited")
            let retryAfter = try #require(Int(limited.header("Retry-After") ?? ""))
            #expect((1...900).contains(retryAfter))
            // Other accounts are not affected.
            try await http.signUp("bob@example.com", "correct horse")
            #expect(try await http.login("bob@example.com", "correct horse").status == 200)
            // Once the window has passed, the right password works again.
            clock.advance(by: TimeInterval(retryAfter))
            let after = try await http.login("ada@example.com", "correct horse")
            #expect(after.status == 200)
            let events = try await http.get("/v1/me/events", bearer: after.string("access_token"))
            #expect(try events.events().contains { $0.type == "rate_limited" })
        }
    }

    @Test("20 failures from one IP in a minute make the 21st login from it answer 429", arguments: StoreKind.all)
    func ipLimit(_ store: StoreKind) async throws {
        // Over a socket: the per-IP limit needs the peer address.
        try await InProcessServer.run(on: store, transport: .loopback) { http, _ in
            try await http.signUp("ada@example.com", "correct horse")
            for attempt in 0..<20 {
                // Different (unknown) accounts, so that only the IP limit can trigger.
                let answer = try await http.login("nobody\(attempt)@example.com", "wrong horse")
                #expect(answer.status == 401)
            }
            let limited = try await http.login("ada@example.com", "correct horse")
            #expect(limited.status == 429 && limited.header("Retry-After") != nil)
        }
    }

    @Test("X-Forwarded-For is believed only from a trusted proxy", arguments: StoreKind.all)
    func trustedProxies(_ store: StoreKind) async throws {
        for trusted in [false, true] {
            try await InProcessServer.run(
                on: store,
                configure: { if trusted { $0.trustedProxies = TrustedProxies(list: "fd00::/8, 127.0.0.0/8")! } }
            ) { http, _ in
                try await http.signUp("ada@example.com", "correct horse")
                let login = try await http.post(
                    "/v1/auth/login",
                    json: ["email": "ada@example.com", "password": "correct horse"],
                    headers: [("X-Forwarded-For", "198.51.100.7, 203.0.113.9")]
                )
                let access = try login.issued().access
                let sessions = try await http.get("/v1/sessions", bearer: access).sessions()
                #expect(sessions.first?.ip == (trusted ? "203.0.113.9" : "127.0.0.1"))
            }
        }
        #expect(TrustedProxies(list: "10.0.0.0/8, ::1")?.contains("10.1.2.3") == true)
        #expect(TrustedProxies(list: "10.0.0.0/8")?.contains("11.0.0.1") == false)
        #expect(TrustedProxies(list: "not an address") == nil)
        // A dual-stack socket reports an IPv4 peer as IPv4-mapped IPv6: the IPv4 block covers it.
        #expect(TrustedProxies(list: "10.0.0.0/8")?.contains("::ffff:10.1.2.3") == true)
        #expect(TrustedProxies(list: "10.0.0.0/8")?.contains("::ffff:11.1.2.3") == false)
        #expect(TrustedProxies(list: "10.1.2.3")?.contains("::FFFF:10.1.2.3") == true)
        // IPv6 blocks.
        let v6 = try #require(TrustedProxies(list: "fd00::/8, 2001:db8:1::/48"))
        #expect(v6.contains("fd12:3456::1") && v6.contains("2001:db8:1:ffff::9"))
        #expect(!v6.contains("fe80::1") && !v6.contains("2001:db8:2::1") && !v6.contains("10.0.0.1"))
        for bad in ["fd00::/129", "10.0.0.0/33", "10.0.0/8", "::1/", "fd00::/x"] {
            #expect(TrustedProxies(list: bad) == nil, "\(bad)")
        }
    }
}
