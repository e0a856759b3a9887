import Foundation
import RotorCore
import RotorTestSupport
import Testing

/// Authorization codes on both stores: single use, bound to client, redirect URI and PKCE verifier, 60 s, and a
/// replay ends the session the code started.
@Suite("Authorization codes")
struct AuthorizationCodeTests {
    static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

    static func request() -> AuthorizationRequest {
        AuthorizationRequest(
            clientId: "wiki",
            redirectURI: "https://wiki.example/cb",
            scopes: ["openid", "email"],
            state: "s",
            nonce: "n-1",
            codeChallenge: PKCE.challenge(for: verifier),
            prompt: [],
            maxAge: nil,
            loginHint: nil,
            resources: []
        )
    }

    static func redeem(
        _ f: EngineTests.Fixture,
        _ code: String,
        client: String = "wiki",
        redirect: String = "https://wiki.example/cb",
        verifier: String = verifier
    ) async throws
        -> RedeemedCode
    {
        try await f.engine.redeemAuthorizationCode(
            code,
            clientId: client,
            redirectURI: redirect,
            codeVerifier: verifier
        )
    }

    static func refused(_ body: () async throws -> Void) async {
        await #expect(throws: EngineError.invalidGrant(.invalidCode)) { try await body() }
    }

    @Test("a code redeems once, with what it is bound to; never again", arguments: StoreKind.all)
    func singleUse(_ kind: StoreKind) async throws {
        try await EngineTests.withEngine(kind) { f in
            let user = try await f.engine.signUp(email: "ada@example.com", password: "correct horse")
            let code = try await f.engine.issueAuthorizationCode(
                for: Self.request(),
                userId: user.id,
                authTime: f.clock.now()
            )
            #expect(code.hasPrefix("rac_") && code.count == 47)
            let redeemed = try await Self.redeem(f, code)
            #expect(redeemed.record.userId == user.id && redeemed.record.scopes == ["openid", "email"])
            #expect(redeemed.record.nonce == "n-1" && redeemed.record.clientId == "wiki")
            await Self.refused { _ = try await Self.redeem(f, code) }
            await Self.refused { _ = try await Self.redeem(f, "rac_" + String(repeating: "A", count: 43)) }
            await Self.refused { _ = try await Self.redeem(f, "not a code") }
        }
    }

    @Test(
        "a wrong client, redirect URI or verifier, or a late redemption, is refused and uses the code up",
        arguments: StoreKind.all
    )
    func boundAndBurned(_ kind: StoreKind) async throws {
        try await EngineTests.withEngine(kind) { f in
            let user = try await f.engine.signUp(email: "ada@example.com", password: "correct horse")
            func issue() async throws -> String {
                try await f.engine.issueAuthorizationCode(for: Self.request(), userId: user.id, authTime: f.clock.now())
            }
            for attempt in [
                { (code: String) in _ = try await Self.redeem(f, code, client: "other") },
                { code in _ = try await Self.redeem(f, code, redirect: "https://wiki.example/cb/") },
                { code in _ = try await Self.redeem(f, code, verifier: String(repeating: "x", count: 43)) },
                { code in _ = try await Self.redeem(f, code, verifier: PKCE.challenge(for: Self.verifier)) },
            ] {
                let code = try await issue()
                await Self.refused { try await attempt(code) }
                // The right parameters no longer help: one try per code.
                await Self.refused { _ = try await Self.redeem(f, code) }
            }
            let late = try await issue()
            f.clock.advance(by: 61)
            await Self.refused { _ = try await Self.redeem(f, late) }
            let inTime = try await issue()
            f.clock.advance(by: 59)
            _ = try await Self.redeem(f, inTime)
        }
    }

    @Test("a replay ends the session the code started, before or after it was attached", arguments: StoreKind.all)
    func replay(_ kind: StoreKind) async throws {
        try await EngineTests.withEngine(kind) { f in
            let user = try await f.engine.signUp(email: "ada@example.com", password: "correct horse")
            // A session started from the code, then the code presented again: the session ends (reuse_detected).
            let code = try await f.engine.issueAuthorizationCode(
                for: Self.request(),
                userId: user.id,
                authTime: f.clock.now()
            )
            let redeemed = try await Self.redeem(f, code)
            let session = try await f.engine.login(email: "ada@example.com", password: "correct horse")
            try await f.engine.attachSession(session.session.id, to: redeemed)
            await Self.refused { _ = try await Self.redeem(f, code) }
            await #expect(throws: EngineError.invalidGrant(.sessionEnded(.reuseDetected))) {
                _ = try await f.engine.refresh(session.refreshToken.value)
            }
            // The replay comes between the redemption and the session: attaching ends it at once.
            let second = try await f.engine.issueAuthorizationCode(
                for: Self.request(),
                userId: user.id,
                authTime: f.clock.now()
            )
            let early = try await Self.redeem(f, second)
            await Self.refused { _ = try await Self.redeem(f, second) }
            let late = try await f.engine.login(email: "ada@example.com", password: "correct horse")
            await Self.refused { try await f.engine.attachSession(late.session.id, to: early) }
            await #expect(throws: EngineError.invalidGrant(.sessionEnded(.reuseDetected))) {
                _ = try await f.engine.refresh(late.refreshToken.value)
            }
        }
    }

    @Test("two redemptions of one code at once: exactly one wins", arguments: StoreKind.all)
    func race(_ kind: StoreKind) async throws {
        try await EngineTests.withEngine(kind) { f in
            let user = try await f.engine.signUp(email: "ada@example.com", password: "correct horse")
            for _ in 0..<10 {
                let code = try await f.engine.issueAuthorizationCode(
                    for: Self.request(),
                    userId: user.id,
                    authTime: f.clock.now()
                )
                let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for _ in 0..<4 {
                        group.addTask { (try? await Self.redeem(f, code)) != nil }
                    }
                    return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                }
                #expect(wins == 1)
            }
        }
    }
}
