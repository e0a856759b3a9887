import Foundation
import NIOHTTP1
import RotorClient
import RotorCore
import RotorServer
import RotorTestSupport
import Synchronization
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Loses the next refresh answers that go through a ``LossyRelay``, in one way; everything else is delivered.
final class RefreshAnswerLoss: Sendable {
    private let pending = Mutex<(fate: LossyRelay.Fate, count: Int)>((.deliver, 0))

    /// Loses the next `count` refresh answers by `fate`.
    func lose(next count: Int, by fate: LossyRelay.Fate) {
        pending.withLock { $0 = (fate, count) }
    }

    /// The relay's decision for one request.
    func fate(of head: HTTPRequestHead) -> LossyRelay.Fate {
        guard head.method == .POST, head.uri.hasSuffix("/v1/auth/token/refresh") else { return .deliver }
        return pending.withLock { pending in
            guard pending.count > 0 else { return .deliver }
            pending.count -= 1
            return pending.fate
        }
    }
}

/// RotorClient when the network loses a refresh answer after Rotor has rotated: a real Rotor behind a relay that
/// drops the answer. The client must send the same token again inside the grace window, get the same new token
/// back, and never be taken for reuse.
@Suite("RotorClient: a lost refresh answer")
struct LostRefreshAnswerTests {
    /// The server's refresh counters by outcome.
    struct Outcomes: Equatable, CustomStringConvertible {
        var rotated: Int, grace: Int, reuse: Int
        static func read(_ http: TestHTTP) async throws -> Outcomes {
            let counts = try await ClientTests.refreshes(http)
            return Outcomes(
                rotated: counts["rotated", default: 0],
                grace: counts["grace", default: 0],
                reuse: counts["reuse", default: 0]
            )
        }
        func minus(_ other: Outcomes) -> Outcomes {
            Outcomes(rotated: rotated - other.rotated, grace: grace - other.grace, reuse: reuse - other.reuse)
        }
        /// The outcomes since `start` once `total` refreshes have been counted: an attempt the client gave up on
        /// may still be on its way through the server when the client moves on (at most 20 s of waiting).
        static func settled(_ http: TestHTTP, since start: Outcomes, total: Int) async throws -> Outcomes {
            var seen = try await read(http).minus(start)
            for _ in 0..<400 where seen.rotated + seen.grace + seen.reuse < total {
                try await Task.sleep(for: .milliseconds(50))
                seen = try await read(http).minus(start)
            }
            return seen
        }
        var description: String { "rotated \(rotated), grace \(grace), reuse \(reuse)" }
    }

    /// Rotor's grace window in these tests. The suite runs beside others on two busy cores, where one refresh can
    /// take seconds; a long grace keeps the server's clock out of what is tested here, the client's own timing.
    static let grace: TimeInterval = 60

    /// A policy patient enough for a loaded machine: the tests that need a short one say so.
    static let patient = RefreshRetry(attempts: 3, attemptTimeout: 20, window: 50)

    /// A signed-in client whose requests go through a relay that loses what `loss` says. Rotor's public URL (its
    /// issuer, which DPoP proofs name) is the relay's, as behind any reverse proxy.
    static func withClientBehindRelay(
        retry: RefreshRetry = patient,
        dpop: Bool = false,
        store: MemoryTokenStore = MemoryTokenStore(),
        _ body: @Sendable (RotorClient, RefreshAnswerLoss, TestHTTP, String) async throws -> Void
    ) async throws {
        let relayPort = try FreePort.find()
        let publicURL = "http://127.0.0.1:\(relayPort)"
        try await RotorFixture.run(configure: { configuration in
            configuration.engine.issuer = publicURL
            configuration.engine.audience = publicURL
            configuration.engine.reuseGrace = grace
        }) { http, upstream, _ in
            let loss = RefreshAnswerLoss()
            try await LossyRelay.run(upstream: upstream, port: relayPort, fate: { loss.fate(of: $0) }) { relay in
                let client = RotorClient(
                    baseURL: URL(string: relay)!,
                    store: store,
                    useDPoP: dpop,
                    refreshRetry: retry
                )
                try await client.signUp(email: "ada@example.com", password: "correct horse")
                try await client.logIn(email: "ada@example.com", password: "correct horse", deviceName: "phone")
                try await body(client, loss, http, relay)
            }
        }
    }

    static func me(_ relay: String) -> URLRequest { URLRequest(url: URL(string: relay + "/v1/me")!) }

    @Test(
        "an answer cut off mid-transfer is asked for again and brings the same new token; the session lives on",
        .timeLimit(.minutes(3)),
        arguments: [false, true]
    )
    func cutAnswer(dpop: Bool) async throws {
        let store = MemoryTokenStore()
        try await Self.withClientBehindRelay(dpop: dpop, store: store) { client, loss, http, relay in
            #expect(await store.load()?.tokenType == (dpop ? "DPoP" : "Bearer"))
            let sessionId = try await client.sessionId
            let start = try await Outcomes.read(http)
            let before = await client.refreshCount
            loss.lose(next: 1, by: .cut)
            try await client.refresh()
            #expect(await client.refreshCount - before == 2)
            // The first request rotated; the retry was answered from the grace window, not taken for reuse.
            #expect(
                try await Outcomes.settled(http, since: start, total: 2) == Outcomes(rotated: 1, grace: 1, reuse: 0)
            )
            #expect(try await client.send(authorized: Self.me(relay)).1.statusCode == 200)

            // The token it kept is the session's current one: the next refresh rotates it normally.
            try await client.refresh()
            #expect(
                try await Outcomes.settled(http, since: start, total: 3) == Outcomes(rotated: 2, grace: 1, reuse: 0)
            )
            #expect(try await client.sessionId == sessionId)
        }
    }

    @Test(
        "a gateway's 502 after Rotor rotated is retried like a lost answer, not taken for a logout",
        .timeLimit(.minutes(3))
    )
    func gatewayError() async throws {
        let store = MemoryTokenStore()
        try await Self.withClientBehindRelay(store: store) { client, loss, http, relay in
            let sessionId = try await client.sessionId
            let start = try await Outcomes.read(http)
            let before = await client.refreshCount
            loss.lose(next: 1, by: .badGateway)
            try await client.refresh()
            #expect(await client.refreshCount - before == 2)
            #expect(
                try await Outcomes.settled(http, since: start, total: 2) == Outcomes(rotated: 1, grace: 1, reuse: 0)
            )
            // The kept token is the current one: it rotates normally, and the session is the same.
            try await client.refresh()
            #expect(
                try await Outcomes.settled(http, since: start, total: 3) == Outcomes(rotated: 2, grace: 1, reuse: 0)
            )
            #expect(try await client.sessionId == sessionId)
            #expect(try await client.send(authorized: Self.me(relay)).1.statusCode == 200)

            // Every answer a 502: the retries run out inside the window, the error is thrown, the session kept.
            loss.lose(next: 10, by: .badGateway)
            await #expect(throws: RotorClientError.self) { try await client.refresh() }
            #expect(await store.load() != nil)
        }
    }

    @Test(
        "an answer that never comes times out and is asked for again inside the grace window",
        .timeLimit(.minutes(3))
    )
    func stalledAnswer() async throws {
        // 8 s an attempt: on two cores busy with the rest of the suite, an answer that does come has been seen to
        // take longer than 3 s, and three such timeouts in a row would fail the refresh.
        let retry = RefreshRetry(attempts: 4, attemptTimeout: 8, window: 50)
        try await Self.withClientBehindRelay(retry: retry) { client, loss, http, relay in
            let start = try await Outcomes.read(http)
            let before = await client.refreshCount
            loss.lose(next: 1, by: .stall)
            let began = ContinuousClock.now
            try await client.refresh()
            #expect(ContinuousClock.now - began >= .seconds(8))
            // Normally two attempts; more only if a loaded machine kept one past its timeout. Whatever the count,
            // one rotated and every other was answered from the grace window.
            let attempts = await client.refreshCount - before
            #expect((2...4).contains(attempts))
            #expect(
                try await Outcomes.settled(http, since: start, total: attempts)
                    == Outcomes(rotated: 1, grace: attempts - 1, reuse: 0)
            )
            #expect(try await client.send(authorized: Self.me(relay)).1.statusCode == 200)
        }
    }

    @Test(
        "when every answer is lost the client stops before its window closes, keeps the session, and the next refresh works",
        .timeLimit(.minutes(3))
    )
    func outage() async throws {
        // Five attempts allowed, but a third could start no earlier than 1 + 0.2 + 1 + 0.4 = 2.6 s after the
        // first, past the 2.5 s window: the window wins, however slow the machine.
        let retry = RefreshRetry(attempts: 5, attemptTimeout: 1, window: 2.5)
        let store = MemoryTokenStore()
        try await Self.withClientBehindRelay(retry: retry, store: store) { client, loss, http, relay in
            let start = try await Outcomes.read(http)
            let before = await client.refreshCount
            loss.lose(next: 100, by: .stall)
            await #expect(throws: URLError.self) { try await client.refresh() }
            let attempts = await client.refreshCount - before
            #expect((1...2).contains(attempts))
            #expect(try await client.isLoggedIn)
            #expect(
                try await Outcomes.settled(http, since: start, total: attempts)
                    == Outcomes(rotated: 1, grace: attempts - 1, reuse: 0)
            )

            // The network is back, inside Rotor's grace window: the app (here a client with a patient policy, on
            // the same store, as after a restart) sends the same token and gets the same new token.
            loss.lose(next: 0, by: .deliver)
            let app = RotorClient(baseURL: URL(string: relay)!, store: store, refreshRetry: Self.patient)
            try await app.refresh()
            #expect(
                try await Outcomes.settled(http, since: start, total: attempts + 1)
                    == Outcomes(rotated: 1, grace: attempts, reuse: 0)
            )
            #expect(try await app.send(authorized: Self.me(relay)).1.statusCode == 200)
            try await app.refresh()
            #expect(
                try await Outcomes.settled(http, since: start, total: attempts + 2)
                    == Outcomes(rotated: 2, grace: attempts, reuse: 0)
            )
        }
    }
}
