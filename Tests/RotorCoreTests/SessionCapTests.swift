import Foundation
import RotorCore
import Testing

/// The session cap as a table: live sessions before a login → how many must end.
@Suite("Session cap")
struct SessionCapTests {
    @Test(
        "excess: how many live sessions end so that one more fits",
        arguments: [
            (cap: 3, live: 0, excess: 0),
            (cap: 3, live: 2, excess: 0),
            (cap: 3, live: 3, excess: 1),
            (cap: 3, live: 5, excess: 3),  // over the cap already (it was lowered): back to the cap at once
            (cap: 1, live: 1, excess: 1),
            (cap: 1, live: 0, excess: 0),
            (cap: 0, live: 1, excess: 1),  // a cap under 1 still lets the new session live
            (cap: Int.max, live: 1_000_000, excess: 0),
        ]
    )
    func excess(cap: Int, live: Int, excess: Int) {
        #expect(SessionCap(maxLive: cap).excess(live: live) == excess)
    }

    @Test("an evicted session records session_revoked, cause evicted, at the login's time and client")
    func event() {
        let login = Date(timeIntervalSince1970: 1_800_000_000)
        func session(_ id: String, at: Date, ip: String) -> SessionRecord {
            SessionRecord(
                id: id,
                userId: "u1",
                clientId: "rotor",
                scope: "",
                createdAt: at,
                lastUsedAt: at,
                idleExpiresAt: at + 3600,
                absoluteExpiresAt: at + 7200,
                createdBy: ClientInfo(ip: ip, userAgent: "agent \(id)")
            )
        }
        let victim = session("old", at: login - 100, ip: "192.0.2.1")
        let event = SessionCap(maxLive: 3).event(evicting: victim, for: session("new", at: login, ip: "192.0.2.9"))
        #expect(event.type == AuditEventType.sessionRevoked && event.cause == "evicted")
        #expect(event.userId == "u1" && event.sessionId == "old" && event.at == login)
        #expect(event.client.ip == "192.0.2.9")
    }
}
