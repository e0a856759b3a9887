import Foundation
import RotorCore
import RotorServer
import RotorTestSupport
import Testing

/// A used refresh token is recognised as reuse for as long as its session lives, also once its row was pruned:
/// positioned tokens carry their session and generation under Rotor's tag. Over real HTTP, with the real prune.
@Suite("Reuse detection after pruning")
struct ReuseAfterPruneTests {
    @Test(
        "a thief who keeps a stolen session alive past the idle lifetime is caught when the victim comes back",
        arguments: StoreKind.all
    )
    func thiefCaughtAfterPrune(_ store: StoreKind) async throws {
        let clock = ManualClock(start: Date())
        try await InProcessServer.run(on: store, transport: .router, clock: clock) { http, database in
            try await http.signUp("ada@example.com", "correct horse")
            let victim = try await http.login("ada@example.com", "correct horse").issued().refresh
            #expect(victim.utf8.count == RefreshToken.positionedLength)
            let rotated = try await http.refresh(victim)
            // The thief copies the victim's new token and refreshes it every day for 40 days; the victim's device
            // still holds its first token, and comes back after that.
            var stolen = try rotated.issued().refresh
            for _ in 0..<40 {
                clock.advance(by: 86_400)
                let answer = try await http.refresh(stolen)
                #expect(answer.status == 200, "\(answer.text)")
                stolen = try answer.issued().refresh
            }
            // The periodic prune has deleted every used row older than an hour: the victim's token has none.
            try await database.withStore { opened in
                let files = try #require(opened as? any RowCountingStore)
                let report = try await files.prune(EngineConfiguration().prunePolicy(now: clock.now()))
                #expect(report.refreshTokens >= 40)
                // A session's rows do not pile up with its refreshes: its current token and at most the last used one.
                #expect(try await files.rowCounts()["refresh_tokens"]! <= 2)
            }

            let back = try await http.refresh(victim)
            #expect(
                back.status == 401 && back.string("error_description")?.contains("reuse_detected") == true,
                "\(back.text)"
            )
            let thief = try await http.refresh(stolen)
            #expect(
                thief.status == 401 && thief.error == "invalid_grant",
                "the thief's session survived: \(thief.text)"
            )
        }
    }

    @Test("a forged position costs no session: only Rotor's tag is recognised", arguments: StoreKind.all)
    func forgedPosition(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, _ in
            try await http.signUp("ada@example.com", "correct horse")
            let login = try await http.login("ada@example.com", "correct horse")
            let token = try login.issued().refresh
            // Another token "of the same session at generation 0" with a made-up secret and tag: its body keeps
            // the session id and generation (the first 27 symbols cover their 20 bytes) and changes the rest.
            let prefix = token.prefix(4 + 27)
            let forged = prefix + String(repeating: "A", count: RefreshToken.positionedLength - prefix.count)
            let refused = try await http.refresh(String(forged))
            #expect(refused.status == 401 && refused.error == "invalid_grant")
            // The session lives on.
            #expect(try await http.refresh(token).status == 200)
        }
    }

    @Test(
        "a plain token from before positioned ones still refreshes, and its child is positioned",
        arguments: StoreKind.all
    )
    func plainTokensStillWork(_ store: StoreKind) async throws {
        try await InProcessServer.run(on: store, transport: .router) { http, database in
            try await http.signUp("ada@example.com", "correct horse")
            // A session as an older Rotor left it: its first token plain.
            let plain = RefreshToken.generate()
            let session = try await database.withStore { store in
                let user = try #require(try await store.user(email: "ada@example.com"))
                let now = Date()
                let session = SessionRecord(
                    id: SecureRandom.uuid(),
                    userId: user.id,
                    clientId: "rotor",
                    scope: "",
                    createdAt: now,
                    lastUsedAt: now,
                    idleExpiresAt: now.addingTimeInterval(3_600),
                    absoluteExpiresAt: now.addingTimeInterval(86_400)
                )
                try await store.createSession(
                    session,
                    firstTokenHash: plain.hash,
                    event: AuditEvent(
                        type: AuditEventType.login,
                        at: now,
                        userId: user.id,
                        sessionId: session.id,
                        client: ClientInfo()
                    ),
                    cap: SessionCap(maxLive: 100),
                    accountStamp: user.securityStamp
                )
                return session
            }
            #expect(plain.value.utf8.count == RefreshToken.plainLength)
            let answer = try await http.refresh(plain.value)
            #expect(answer.status == 200 && answer.string("session_id") == session.id, "\(answer.text)")
            let child = try answer.issued().refresh
            #expect(child.utf8.count == RefreshToken.positionedLength)
            #expect(try await http.refresh(child).status == 200)
        }
    }
}
