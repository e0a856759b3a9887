import Foundation
import RotorCore
import RotorSQLite
import RotorTestSupport
import Testing

/// docs/protocol.md (guarantees): the store does not grow without bound under steady use, with pruning on.
@Suite("Bounded storage")
struct StorageBoundsTests {
    @Test("row counts stay flat over a bounded login / refresh / logout churn with pruning", arguments: StoreKind.all)
    func churn(_ kind: StoreKind) async throws {
        try await EngineTests.withEngine(
            kind,
            {
                $0.refreshTTL = 300
                $0.endedSessionRetention = 60
                $0.eventRetention = 600
            }
        ) { f in
            _ = try await f.engine.signUp(email: "ada@example.com", password: "correct horse")
            var samples: [[String: Int]] = []
            for round in 1...400 {
                let login = try await f.engine.login(email: "ada@example.com", password: "correct horse")
                var tokens = try await f.engine.refresh(login.refreshToken.value)
                tokens = try await f.engine.refresh(tokens.refreshToken.value)
                if round % 3 == 0 {
                    try await f.engine.logout(refreshToken: tokens.refreshToken.value)
                }  // the others are abandoned and must expire
                f.clock.advance(by: 10)
                if round % 20 == 0 {
                    _ = try await f.engine.prune()
                }
                if round % 100 == 0 {
                    samples.append(try await f.store.rowCounts())
                }
            }
            // Bounds from the retention: ended or expired sessions live at most idle TTL + retention (360 s = 36
            // rounds), each with 3 token rows; events at most 600 s = 60 rounds of at most 2 events (+ one prune
            // interval of slack).
            for sample in samples {
                #expect(sample["sessions"]! <= 60, "\(sample)")
                #expect(sample["refresh_tokens"]! <= 3 * 60, "\(sample)")
                #expect(sample["audit_events"]! <= 2 * 80, "\(sample)")
            }
            // Flat: the last sample is no larger than the second (the first is still filling up).
            #expect(samples[3]["sessions"]! <= samples[1]["sessions"]! + 3)
            #expect(samples[3]["audit_events"]! <= samples[1]["audit_events"]! + 6)
        }
    }

    @Test(
        "prune deletes used tokens older than the idle lifetime but keeps a live session working",
        arguments: StoreKind.all
    )
    func usedTokens(_ kind: StoreKind) async throws {
        try await EngineTests.withEngine(
            kind,
            {
                $0.refreshTTL = 100
                $0.endedSessionRetention = 0
            }
        ) { f in
            _ = try await f.engine.signUp(email: "ada@example.com", password: "correct horse")
            var tokens = try await f.engine.login(email: "ada@example.com", password: "correct horse")
            for _ in 0..<10 {
                f.clock.advance(by: 30)
                tokens = try await f.engine.refresh(tokens.refreshToken.value)
            }
            let report = try await f.engine.prune()
            #expect(report.refreshTokens >= 6)
            #expect(try await f.store.rowCounts()["refresh_tokens"]! <= 5)
            tokens = try await f.engine.refresh(tokens.refreshToken.value)
            #expect(tokens.session.generation == 11)
        }
    }
}
