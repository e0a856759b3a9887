import Foundation
import RotorCore
import RotorJWT
import RotorSQLite
import RotorTestSupport
import Testing

/// Signing keys: algorithms, rotation with a publication window, sealing at rest with the master key.
@Suite("Signing keys")
struct KeyRingTests {
    static let masterKey = MasterKey(Data(repeating: 7, count: 32).base64EncodedString())!
    static let otherMasterKey = MasterKey(Data(repeating: 9, count: 32).base64EncodedString())!

    static func claims(now: Date) -> AccessTokenClaims {
        AccessTokenClaims(
            iss: "https://auth.example.test",
            sub: "user",
            aud: ["https://auth.example.test"],
            exp: now.wholeSeconds.addingTimeInterval(900),
            iat: now.wholeSeconds,
            jti: "j",
            sid: "s",
            clientId: "rotor",
            scope: "",
            roles: []
        )
    }

    static let rules = AccessTokenRules(issuer: "https://auth.example.test", audience: "https://auth.example.test")

    @Test(
        "every algorithm signs, publishes its JWK with alg and kid, and verifies",
        arguments: SigningAlgorithm.allCases
    )
    func algorithms(_ algorithm: SigningAlgorithm) async throws {
        try await TemporaryDirectory.with { directory in
            let store = try SQLiteStore(path: directory.path("rotor.sqlite"))
            let now = Date()
            let keys = try await KeyRing.load(from: store, now: now, settings: KeyRingSettings(algorithm: algorithm))
            let token = try await keys.sign(Self.claims(now: now))
            let header = try #require(AccessTokenHeader.parse(token))
            #expect(header.alg == algorithm.rawValue && header.kid == keys.currentKid && header.typ == "at+jwt")
            #expect(try await keys.verify(token, rules: Self.rules, now: now).sid == "s")
            let jwks = try JSONDecoder().decode(PublicJWKSet.self, from: keys.jwksDocument)
            #expect(jwks.keys.map(\.alg) == [algorithm.rawValue])
            #expect(jwks.keys.map(\.kty) == [["ES256": "EC", "EdDSA": "OKP", "RS256": "RSA"][algorithm.rawValue]!])
            let text = String(decoding: keys.jwksDocument, as: UTF8.self)
            #expect(!text.contains("\"d\"") && !text.contains("\"p\"") && !text.contains("\"q\""))
        }
    }

    @Test("rotation: the new key signs at once; the old one verifies until its window ends, then leaves the JWKS")
    func rotation() async throws {
        try await TemporaryDirectory.with { directory in
            let store = try SQLiteStore(path: directory.path("rotor.sqlite"))
            let clock = ManualClock()
            let settings = KeyRingSettings(algorithm: .es256, publicationWindow: 930)
            let keys = try await KeyRing.load(from: store, now: clock.now(), settings: settings)
            let oldKid = keys.currentKid
            let oldToken = try await keys.sign(Self.claims(now: clock.now()))

            let newKid = try await KeyRing.rotate(in: store, now: clock.now(), settings: settings)
            try await keys.refresh(from: store, now: clock.now())
            #expect(keys.currentKid == newKid && newKid != oldKid)
            #expect(Set(keys.publishedKids) == [oldKid, newKid])
            #expect(AccessTokenHeader.parse(try await keys.sign(Self.claims(now: clock.now())))?.kid == newKid)
            clock.advance(by: 900)  // the old token's last valid second (with leeway)
            #expect(try await keys.verify(oldToken, rules: Self.rules, now: clock.now()).sid == "s")

            clock.advance(by: 31)  // past access TTL + leeway since the rotation
            try await keys.refresh(from: store, now: clock.now())
            #expect(keys.publishedKids == [newKid])
            await #expect(throws: AccessTokenRejection.unknownKey) {
                _ = try await keys.verify(oldToken, rules: Self.rules, now: clock.now())
            }
            let infos = KeyRing.describe(try await store.signingKeys(), now: clock.now(), publicationWindow: 930)
            #expect(infos.map(\.state) == [.signing, .expired])
            let report = try await store.prune(
                PrunePolicy(
                    now: clock.now(),
                    endedSessionRetention: 0,
                    usedTokenRetention: 0,
                    eventRetention: 0,
                    failureRetention: 0,
                    retiredKeyRetention: 930
                )
            )
            #expect(report.signingKeys == 1)
        }
    }

    @Test("a verified token is remembered, yet its claims are judged again on every use")
    func verifiedTokenCache() async throws {
        try await TemporaryDirectory.with { directory in
            let store = try SQLiteStore(path: directory.path("rotor.sqlite"))
            let now = Date()
            let keys = try await KeyRing.load(from: store, now: now)
            let token = try await keys.sign(Self.claims(now: now))
            #expect(keys.verifiedTokenCount == 0)
            #expect(try await keys.verify(token, rules: Self.rules, now: now).sid == "s")
            #expect(keys.verifiedTokenCount == 1)
            #expect(try await keys.verify(token, rules: Self.rules, now: now).sid == "s")
            #expect(keys.verifiedTokenCount == 1)
            // Remembered, but expiry, issuer and audience still apply.
            await #expect(throws: AccessTokenRejection.expired) {
                _ = try await keys.verify(token, rules: Self.rules, now: now.addingTimeInterval(931))
            }
            let elsewhere = AccessTokenRules(issuer: "https://other.example", audience: "https://auth.example.test")
            await #expect(throws: AccessTokenRejection.wrongIssuer) {
                _ = try await keys.verify(token, rules: elsewhere, now: now)
            }
            // A forgery of the remembered token (one flipped signature bit) is not the same bytes: refused.
            var parts = token.split(separator: ".").map(String.init)
            var signature = try #require(Base64URL.decode(parts[2]))
            signature[0] ^= 1
            parts[2] = Base64URL.encode(signature)
            await #expect(throws: AccessTokenRejection.badSignature) {
                _ = try await keys.verify(parts.joined(separator: "."), rules: Self.rules, now: now)
            }
            // Refused tokens are never remembered.
            #expect(keys.verifiedTokenCount == 1)
        }
    }

    @Test("a changed ROTOR_SIGNING_ALG rotates to a key of the new algorithm at start")
    func algorithmChange() async throws {
        try await TemporaryDirectory.with { directory in
            let store = try SQLiteStore(path: directory.path("rotor.sqlite"))
            let first = try await KeyRing.load(from: store, now: Date(), settings: KeyRingSettings(algorithm: .es256))
            let second = try await KeyRing.load(from: store, now: Date(), settings: KeyRingSettings(algorithm: .eddsa))
            #expect(second.currentAlgorithm == .eddsa && second.currentKid != first.currentKid)
            #expect(Set(second.publishedKids) == [first.currentKid, second.currentKid])
            let third = try await KeyRing.load(from: store, now: Date(), settings: KeyRingSettings(algorithm: .eddsa))
            #expect(third.currentKid == second.currentKid)
        }
    }

    @Test("with a master key, private keys are sealed at rest; a missing or wrong master key stops and loses nothing")
    func masterKey() async throws {
        try await TemporaryDirectory.with { directory in
            let store = try SQLiteStore(path: directory.path("rotor.sqlite"))
            let plain = try await KeyRing.load(from: store, now: Date())
            #expect(String(decoding: try await store.signingKeys()[0].privateKey, as: UTF8.self).contains("BEGIN"))

            // Setting a master key seals the existing key in place; the key itself stays the same.
            let sealed = try await KeyRing.load(
                from: store,
                now: Date(),
                settings: KeyRingSettings(masterKey: Self.masterKey)
            )
            #expect(sealed.currentKid == plain.currentKid)
            let stored = try await store.signingKeys()
            #expect(stored.allSatisfy { MasterKey.isSealed($0.privateKey) })
            #expect(!String(decoding: stored[0].privateKey, as: UTF8.self).contains("BEGIN"))

            await #expect(throws: KeyError.masterKeyRequired) { _ = try await KeyRing.load(from: store, now: Date()) }
            await #expect(throws: KeyError.masterKeyMismatch) {
                _ = try await KeyRing.load(
                    from: store,
                    now: Date(),
                    settings: KeyRingSettings(masterKey: Self.otherMasterKey)
                )
            }
            await #expect(throws: KeyError.masterKeyMismatch) {
                _ = try await KeyRing.rotate(
                    in: store,
                    now: Date(),
                    settings: KeyRingSettings(masterKey: Self.otherMasterKey)
                )
            }
            #expect(try await store.signingKeys() == stored)  // nothing lost, nothing added
            let again = try await KeyRing.load(
                from: store,
                now: Date(),
                settings: KeyRingSettings(masterKey: Self.masterKey)
            )
            #expect(again.currentKid == plain.currentKid)
            #expect(MasterKey("short") == nil && MasterKey(Data(count: 31).base64EncodedString()) == nil)
        }
    }

    @Test("one current key per algorithm: an ID-token key is made once on first use, published, and rotated too")
    func keyPerAlgorithm() async throws {
        try await TemporaryDirectory.with { directory in
            let store = try SQLiteStore(path: directory.path("rotor.sqlite"))
            let clock = ManualClock()
            let settings = KeyRingSettings(algorithm: .es256)
            let keys = try await KeyRing.load(from: store, now: clock.now(), settings: settings)
            #expect(!keys.hasKey(for: .rs256) && keys.publishedKids.count == 1)
            await #expect(throws: KeyError.noCurrentKey) {
                _ = try await keys.sign(Self.claims(now: clock.now()), type: "JWT", algorithm: .rs256)
            }
            // Instances asking at once agree on one key.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await KeyRing.ensureKey(.rs256, in: store, now: clock.now(), settings: settings)
                    }
                }
                try await group.waitForAll()
            }
            try await keys.refresh(from: store, now: clock.now())
            let stored = try await store.signingKeys()
            #expect(stored.filter { $0.algorithm == "RS256" }.count == 1 && stored.allSatisfy { $0.retiredAt == nil })
            let accessKid = keys.currentKid
            #expect(keys.currentAlgorithm == .es256 && keys.hasKey(for: .rs256) && keys.publishedKids.count == 2)
            let idToken = try await keys.sign(Self.claims(now: clock.now()), type: "JWT", algorithm: .rs256)
            let header = try #require(AccessTokenHeader.parse(idToken))
            #expect(header.alg == "RS256" && header.typ == "JWT" && header.kid != accessKid)
            // An ID token is never an access token, whatever key signed it.
            await #expect(throws: AccessTokenRejection.self) {
                _ = try await keys.verify(idToken, rules: Self.rules, now: clock.now())
            }

            let rotated = try await KeyRing.rotate(in: store, now: clock.now(), settings: settings)
            let after = try await store.signingKeys()
            #expect(
                after.count == 4
                    && after.filter { $0.retiredAt == nil }.map(\.algorithm).sorted() == ["ES256", "RS256"]
            )
            #expect(after.first { $0.retiredAt == nil && $0.algorithm == "ES256" }?.kid == rotated)
        }
    }
}
