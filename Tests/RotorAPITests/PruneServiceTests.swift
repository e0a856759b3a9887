import Foundation
import RotorCore
import RotorSQLite
import RotorServer
import RotorTestSupport
import Testing

/// `serve` prunes on its own, on a timer (`ROTOR_PRUNE_INTERVAL`).
@Suite("Periodic prune inside serve")
struct PruneServiceTests {
    @Test("an ended session disappears from the database without any command")
    func periodic() async throws {
        let clock = ManualClock(start: Date())
        try await InProcessServer.run(
            clock: clock,
            configure: {
                $0.pruneInterval = 1
                $0.engine.endedSessionRetention = 60
            }
        ) { http, path in
            let login = try await http.newAccount()
            #expect(try await http.post("/v1/auth/logout", json: ["refresh_token": login.refresh]).status == 204)
            let store = try SQLiteStore(path: path)
            #expect(try await store.rowCounts()["sessions"] == 1)
            clock.advance(by: 61)
            var sessions = 1
            for _ in 0..<50 where sessions > 0 {  // at most 5 s
                try await Task.sleep(for: .milliseconds(100))
                sessions = try await store.rowCounts()["sessions"] ?? -1
            }
            #expect(sessions == 0)
        }
    }
}
