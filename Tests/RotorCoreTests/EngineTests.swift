import Foundation
import Logging
import RotorCore
import RotorJWT
import RotorSQLite
import RotorTestSupport
import Testing

/// The engine on each real store (a SQLite file; a PostgreSQL database), with time moved by hand: the store test
/// suite, run against both stores.
@Suite("Token engine on its stores")
struct EngineTests {
    struct Fixture {
        let engine: TokenEngine
        let store: any RowCountingStore
        let clock: ManualClock
        let database: TestDatabase
    }

    static func withEngine<T>(
        _ kind: StoreKind = .sqlite,
        _ configure: (inout EngineConfiguration) -> Void = { _ in },
        _ body: (Fixture) async throws -> T
    ) async throws -> T {
        try await TestDatabase.with(kind) { database in
            let clock = ManualClock()
            var configuration = EngineConfiguration(issuer: "https://auth.example.test")
            configure(&configuration)
            return try await database.withStore { opened in
                let store = try #require(opened as? any RowCountingStore)
                let engine = TokenEngine(
                    configuration: configuration,
                    store: store,
                    keys: try await KeyRing.load(from: store, now: clock.now()),
                    hasher: try PasswordHasher(parameters: ScryptParameters(logN: 10, blockSize: 8, parallelism: 1)),
                    tagger: try await RefreshTokenTagger.load(from: store, masterKey: nil),
                    clock: clock,
                    logger: InProcessServer.quietLogger
                )
                return try await body(Fixture(engine: engine, store: store, clock: clock, database: database))
            }
        }
    }

    static func loggedIn(_ f: Fixture) async throws -> IssuedTokens {
        _ = try await f.engine.signUp(email: "Ada@Example.com", password: "correct horse")
        return try await f.engine.login(email: "ada@example.com", password: "correct horse")
    }

    static func expectGrant(_ failure: GrantFailure, _ body: () async throws -> Void) async {
        await #expect(throws: EngineError.invalidGrant(failure)) { try await body() }
    }

    @Test("each refresh rotates: a new child, the parent spent, one chain", arguments: StoreKind.all)
    func rotation(_ kind: StoreKind) async throws {
        try await Self.withEngine(kind) { f in
            var tokens = try await Self.loggedIn(f)
            var seen: Set<String> = [tokens.refreshToken.value]
            for step in 1...5 {
                f.clock.advance(by: 60)
                tokens = try await f.engine.refresh(tokens.refreshToken.value)
                #expect(seen.insert(tokens.refreshToken.value).inserted)
                #expect(tokens.session.generation == step)
            }
            let stored = try await f.store.session(id: tokens.session.id)
            #expect(stored?.generation == 5)
            #expect(stored?.endedAt == nil)
        }
    }

    @Test(
        "a replay inside the grace window returns the same child; at the window's end it is reuse",
        arguments: StoreKind.all
    )
    func graceEdges(_ kind: StoreKind) async throws {
        try await Self.withEngine(kind) { f in
            let first = try await Self.loggedIn(f)
            let child = try await f.engine.refresh(first.refreshToken.value)
            f.clock.advance(by: 9.999)
            let replay = try await f.engine.refresh(first.refreshToken.value)
            #expect(replay.refreshToken == child.refreshToken)
            f.clock.advance(by: 0.001)  // exactly 10 s after the first use
            await Self.expectGrant(.reuseDetected) { _ = try await f.engine.refresh(first.refreshToken.value) }
            // The whole session is gone, the unused child included.
            await Self.expectGrant(.sessionEnded(.reuseDetected)) {
                _ = try await f.engine.refresh(child.refreshToken.value)
            }
            let events = try await f.store.events(userId: first.session.userId, limit: 10)
            #expect(events.first?.type == "refresh_token_reuse")
            #expect(events.first?.sessionId == first.session.id)
        }
    }

    @Test("a replay whose child was already used is reuse, even inside the window", arguments: StoreKind.all)
    func grandparentReplay(_ kind: StoreKind) async throws {
        try await Self.withEngine(kind) { f in
            let first = try await Self.loggedIn(f)
            let second = try await f.engine.refresh(first.refreshToken.value)
            _ = try await f.engine.refresh(second.refreshToken.value)
            await Self.expectGrant(.reuseDetected) { _ = try await f.engine.refresh(first.refreshToken.value) }
        }
    }

    @Test("grace 0: the second use of a token revokes the session", arguments: StoreKind.all)
    func zeroGrace(_ kind: StoreKind) async throws {
        try await Self.withEngine(kind, { $0.reuseGrace = 0 }) { f in
            let first = try await Self.loggedIn(f)
            let child = try await f.engine.refresh(first.refreshToken.value)
            await Self.expectGrant(.reuseDetected) { _ = try await f.engine.refresh(first.refreshToken.value) }
            await Self.expectGrant(.sessionEnded(.reuseDetected)) {
                _ = try await f.engine.refresh(child.refreshToken.value)
            }
        }
    }

    @Test("the idle lifetime restarts with each rotation and ends an unused session", arguments: StoreKind.all)
    func idleExpiry(_ kind: StoreKind) async throws {
        try await Self.withEngine(kind, { $0.refreshTTL = 100 }) { f in
            var tokens = try await Self.loggedIn(f)
            #expect(tokens.refreshExpiresIn == 100)
            f.clock.advance(by: 99.999)
            tokens = try await f.engine.refresh(tokens.refreshToken.value)
            f.clock.advance(by: 99.999)  // 200 s after login: alive only because the rotation restarted the clock
            tokens = try await f.engine.refresh(tokens.refreshToken.value)
            f.clock.advance(by: 100)
            await Self.expectGrant(.sessionEnded(.idleTimeout)) {
                _ = try await f.engine.refresh(tokens.refreshToken.value)
            }
            #expect(try await f.store.session(id: tokens.session.id)?.endReason == .idleTimeout)
        }
    }

    @Test("the absolute lifetime is never extended", arguments: StoreKind.all)
    func absoluteExpiry(_ kind: StoreKind) async throws {
        try await Self.withEngine(
            kind,
            {
                $0.refreshTTL = 200
                $0.sessionMaxAge = 300
            }
        ) { f in
            var tokens = try await Self.loggedIn(f)
            f.clock.advance(by: 150)
            tokens = try await f.engine.refresh(tokens.refreshToken.value)
            // The idle expiry would be t=350; the absolute one, t=300, caps it.
            #expect(tokens.refreshExpiresIn == 150)
            f.clock.advance(by: 149.999)
            tokens = try await f.engine.refresh(tokens.refreshToken.value)
            #expect(tokens.refreshExpiresIn == 0)
            f.clock.advance(by: 0.001)
            await Self.expectGrant(.sessionEnded(.absoluteTimeout)) {
                _ = try await f.engine.refresh(tokens.refreshToken.value)
            }
        }
    }

    @Test(
        "logout ends the session of the current token; unknown or used tokens change nothing",
        arguments: StoreKind.all
    )
    func logout(_ kind: StoreKind) async throws {
        try await Self.withEngine(kind) { f in
            let first = try await Self.loggedIn(f)
            let child = try await f.engine.refresh(first.refreshToken.value)
            try await f.engine.logout(refreshToken: RefreshToken.generate().value)
            try await f.engine.logout(refreshToken: "not a token")
            try await f.engine.logout(refreshToken: first.refreshToken.value)  // used: nothing happens
            #expect(try await f.store.session(id: child.session.id)?.endedAt == nil)
            try await f.engine.logout(refreshToken: child.refreshToken.value)
            #expect(try await f.store.session(id: child.session.id)?.endReason == .logout)
            await Self.expectGrant(.sessionEnded(.logout)) { _ = try await f.engine.refresh(child.refreshToken.value) }
        }
    }

    @Test(
        "unknown email and wrong password get the same refusal; a taken email is refused case-insensitively",
        arguments: StoreKind.all
    )
    func credentials(_ kind: StoreKind) async throws {
        try await Self.withEngine(kind) { f in
            _ = try await Self.loggedIn(f)
            await #expect(throws: EngineError.invalidCredentials) {
                _ = try await f.engine.login(email: "nobody@example.com", password: "correct horse")
            }
            await #expect(throws: EngineError.invalidCredentials) {
                _ = try await f.engine.login(email: "ada@example.com", password: "wrong horse")
            }
            await #expect(throws: EngineError.emailTaken) {
                _ = try await f.engine.signUp(email: "ADA@example.com", password: "another one")
            }
        }
    }

    @Test(
        "access tokens carry every claim of docs/protocol.md and verify; tampered or expired ones do not",
        arguments: StoreKind.all
    )
    func accessTokens(_ kind: StoreKind) async throws {
        try await Self.withEngine(kind, { $0.accessTTL = 600 }) { f in
            let tokens = try await Self.loggedIn(f)
            let parts = tokens.accessToken.split(separator: ".")
            let header = try JSONSerialization.jsonObject(with: Base64URL.decode(String(parts[0]))!) as! [String: Any]
            let claims = try JSONSerialization.jsonObject(with: Base64URL.decode(String(parts[1]))!) as! [String: Any]
            #expect(header["alg"] as? String == "ES256")
            #expect(header["typ"] as? String == "at+jwt")
            #expect(header["kid"] as? String == f.engine.keys.currentKid)
            #expect(claims["iss"] as? String == "https://auth.example.test")
            #expect(claims["sub"] as? String == tokens.session.userId)
            #expect(claims["sid"] as? String == tokens.session.id)
            #expect(claims["client_id"] as? String == "rotor")
            #expect(claims["scope"] as? String == "")
            #expect(claims["roles"] as? [String] == [])
            #expect((claims["jti"] as? String)?.isEmpty == false)
            let aud = claims["aud"] as? String ?? (claims["aud"] as? [String])?.first
            #expect(aud == "https://auth.example.test")
            // Integer NumericDates, exp - iat = the access TTL.
            let exp = try #require(claims["exp"] as? NSNumber)
            let iat = try #require(claims["iat"] as? NSNumber)
            #expect(exp.doubleValue == exp.doubleValue.rounded())
            #expect(exp.intValue - iat.intValue == 600)

            let principal = try await f.engine.authenticate(accessToken: tokens.accessToken)
            #expect(principal.userId == tokens.session.userId && principal.sessionId == tokens.session.id)

            var tampered = Array(tokens.accessToken)
            let index = tampered.index(tampered.startIndex, offsetBy: parts[0].count + 5)
            tampered[index] = tampered[index] == "A" ? "B" : "A"
            await #expect(throws: EngineError.invalidToken) {
                _ = try await f.engine.authenticate(accessToken: String(tampered))
            }
            f.clock.advance(by: 600 + 29)
            _ = try await f.engine.authenticate(accessToken: tokens.accessToken)  // inside the 30 s leeway
            f.clock.advance(by: 1)
            await #expect(throws: EngineError.invalidToken) {
                _ = try await f.engine.authenticate(accessToken: tokens.accessToken)
            }
        }
    }

    @Test("the signing key is kept in the store: a restarted engine verifies earlier tokens", arguments: StoreKind.all)
    func keyPersistence(_ kind: StoreKind) async throws {
        try await Self.withEngine(kind) { f in
            let tokens = try await Self.loggedIn(f)
            try await f.database.withStore { reopened in
                let keys = try await KeyRing.load(from: reopened, now: f.clock.now())
                #expect(keys.currentKid == f.engine.keys.currentKid)
                let rules = f.engine.accessTokenRules
                let claims = try await keys.verify(tokens.accessToken, rules: rules, now: f.clock.now())
                #expect(claims.sid == tokens.session.id)
                #expect(try await reopened.signingKeys().count == 1)
            }
        }
    }

    @Test("concurrent refreshes of many sessions share transactions (group commit), each rotated exactly once")
    func groupCommit() async throws {
        try await Self.withEngine { f in
            _ = try await f.engine.signUp(email: "ada@example.com", password: "correct horse")
            var tokens: [IssuedTokens] = []
            for _ in 0..<64 {
                tokens.append(try await f.engine.login(email: "ada@example.com", password: "correct horse"))
            }
            let store = try #require(f.store as? SQLiteStore)
            let before = store.rotationBatches
            let rotated = try await withThrowingTaskGroup(of: IssuedTokens.self) { group in
                for token in tokens {
                    group.addTask { try await f.engine.refresh(token.refreshToken.value) }
                }
                return try await group.reduce(into: [IssuedTokens]()) { $0.append($1) }
            }
            let after = store.rotationBatches
            #expect(rotated.count == 64 && rotated.allSatisfy { $0.session.generation == 1 })
            #expect(Set(rotated.map(\.session.id)).count == 64)
            #expect(after.requests - before.requests == 64)
            #expect(
                after.batches - before.batches <= 32,
                "64 refreshes took \(after.batches - before.batches) transactions"
            )
            // Every child continues its session.
            for token in rotated {
                #expect(try await f.engine.refresh(token.refreshToken.value).session.generation == 2)
            }
        }
    }

    @Test("the store runs in WAL with synchronous=FULL")
    func durabilitySettings() async throws {
        try await Self.withEngine { f in
            let store = try #require(f.store as? SQLiteStore)
            let journal = try store.journalMode()
            let synchronous = try store.synchronousSetting()
            #expect(journal == "wal")
            #expect(synchronous == 2)
        }
    }
}
