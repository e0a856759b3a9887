import Foundation
import RotorClient
import RotorTestSupport
import Synchronization
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A clock the test moves; RotorClient reads it to decide when its access token is about to expire.
final class TestClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)
    func now() -> Date { Date().addingTimeInterval(offset.withLock { $0 }) }
    func advance(by seconds: TimeInterval) { offset.withLock { $0 += seconds } }
}

/// RotorClient against a real Rotor: one refresh for many callers, a refresh before expiry and once on 401, a
/// session kept in a 0600 file, and logout.
@Suite("RotorClient")
struct ClientTests {
    /// `rotor_refreshes_total{outcome="rotated"}` from the server's metrics.
    static func rotations(_ http: TestHTTP) async throws -> Int {
        try await refreshes(http)["rotated", default: 0]
    }

    /// `rotor_refreshes_total` by outcome, from one read of the server's metrics (an outcome not seen yet is absent).
    static func refreshes(_ http: TestHTTP) async throws -> [String: Int] {
        let prefix = #"rotor_refreshes_total{outcome=""#
        var counts: [String: Int] = [:]
        for line in try await http.get("/metrics").text.split(separator: "\n") where line.hasPrefix(prefix) {
            let rest = line.dropFirst(prefix.count)
            guard let quote = rest.firstIndex(of: "\""),
                let value = line.split(separator: " ").last.flatMap({ Double($0) })
            else { continue }
            counts[String(rest[..<quote])] = Int(value)
        }
        return counts
    }

    /// Refresh attempts that wait up to 8 s for their answer, within the server's 10 s grace: these tests count
    /// refreshes (single flight), and on two cores busy with the rest of the suite one answer can take seconds,
    /// which with the default 3 s attempt would count a retry.
    static let patient = RefreshRetry(attempts: 2, attemptTimeout: 8, window: 9)

    @Test("100 concurrent calls across an expiry cause exactly one refresh, and all of them succeed")
    func singleFlight() async throws {
        try await RotorFixture.run { http, issuer, _ in
            let clock = TestClock()
            let client = RotorClient(baseURL: URL(string: issuer)!, refreshRetry: Self.patient, clock: { clock.now() })
            try await client.signUp(email: "ada@example.com", password: "correct horse")
            try await client.logIn(email: "ada@example.com", password: "correct horse", deviceName: "test")
            let before = try await Self.rotations(http)
            clock.advance(by: 890)  // the access token (900 s) now has 10 s left: inside the 60 s margin
            let me = URLRequest(url: URL(string: issuer + "/v1/me")!)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<100 {
                    group.addTask { try await client.send(authorized: me).1.statusCode }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 200, count: 100))
            #expect(try await Self.rotations(http) - before == 1)
            #expect(await client.refreshCount == 1)
        }
    }

    @Test("a 401 refreshes once and retries; a session that ended is forgotten; the file store is 0600")
    func retryAndStore() async throws {
        let serverClock = ManualClock(start: Date())
        try await RotorFixture.run(clock: serverClock) { http, issuer, _ in
            try await TemporaryDirectory.with { directory in
                let file = directory.url.appendingPathComponent("session/rotor.json")
                let client = RotorClient(
                    baseURL: URL(string: issuer)!,
                    store: FileTokenStore(url: file),
                    refreshRetry: Self.patient
                )
                try await client.signUp(email: "ada@example.com", password: "correct horse")
                try await client.logIn(email: "ada@example.com", password: "correct horse")
                let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
                #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

                // A second client on the same file continues the session, as an app does after a restart.
                let again = RotorClient(
                    baseURL: URL(string: issuer)!,
                    store: FileTokenStore(url: file),
                    refreshRetry: Self.patient
                )
                #expect(try await again.isLoggedIn)
                let me = URLRequest(url: URL(string: issuer + "/v1/me")!)
                #expect(try await again.send(authorized: me).1.statusCode == 200)

                // The server's clock runs past the access token's expiry while the client's does not: the call
                // answers 401, the client refreshes once and the retry succeeds.
                serverClock.advance(by: 940)
                let before = await again.refreshCount
                #expect(try await again.send(authorized: me).1.statusCode == 200)
                #expect(await again.refreshCount == before + 1)

                // Another device logs the user out everywhere: the next refresh is refused and the client forgets
                // the session (and its file).
                let other = try await http.login("ada@example.com", "correct horse")
                _ = try await http.post(
                    "/v1/auth/logout",
                    json: [
                        "refresh_token": try other.issued().refresh,
                        "scope": "global",
                    ]
                )
                await #expect(throws: RotorClientError.self) { try await again.refresh() }
                #expect(try await again.isLoggedIn == false)
                #expect(!FileManager.default.fileExists(atPath: file.path))
            }
        }
    }

    @Test("logout ends the session on the server and forgets it here")
    func logout() async throws {
        try await RotorFixture.run { http, issuer, _ in
            let client = RotorClient(baseURL: URL(string: issuer)!)
            try await client.signUp(email: "ada@example.com", password: "correct horse")
            try await client.logIn(email: "ada@example.com", password: "correct horse")
            let sessionId = try #require(try await client.sessionId)
            try await client.logOut()
            #expect(try await client.isLoggedIn == false)
            let login = try await http.login("ada@example.com", "correct horse")
            let sessions = try await http.get("/v1/sessions", bearer: login.string("access_token"))
            let ids = try sessions.sessions().map(\.id)
            #expect(!ids.contains(sessionId))
            await #expect(throws: RotorClientError.notLoggedIn) { _ = try await client.accessToken() }
        }
    }
}
