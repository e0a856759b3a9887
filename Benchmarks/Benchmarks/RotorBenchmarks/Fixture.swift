import Crypto
import JWTKit
import Foundation
import Logging
import RotorCore
import RotorJWT
import RotorSQLite
import RotorVerifier
import Synchronization

/// A key ring over a fresh SQLite file, with one signed access token and the rules to verify it.
final class Fixture: Sendable {
    static let freshTokenCount = 25_000

    let keys: KeyRing
    let claims: AccessTokenClaims
    let token: String
    let rules: AccessTokenRules
    let now: Date
    /// Tokens not verified yet, each with its own `jti`, handed out once each.
    private let fresh: [String]
    private let nextFresh = Atomic<Int>(0)

    init(keys: KeyRing, claims: AccessTokenClaims, token: String, rules: AccessTokenRules, now: Date, fresh: [String]) {
        self.keys = keys
        self.claims = claims
        self.token = token
        self.rules = rules
        self.now = now
        self.fresh = fresh
    }

    /// The next token nobody has verified; wraps around (and so hits the cache) only past ``freshTokenCount``.
    func nextFreshToken() -> String {
        fresh[nextFresh.wrappingAdd(1, ordering: .relaxed).oldValue % fresh.count]
    }

    static func make(algorithm: SigningAlgorithm, freshTokens: Bool = false) async throws -> Fixture {
        let store = try SQLiteStore(path: BenchFiles.path("keys-\(algorithm.rawValue)-\(UUID().uuidString).sqlite"))
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let keys = try await KeyRing.load(from: store, now: now, settings: KeyRingSettings(algorithm: algorithm))
        let issuer = "https://auth.example.com"
        // The claims of a real login: Rotor's issuer, a UUID subject and session, a 16-byte jti, no roles.
        let claims = AccessTokenClaims(
            iss: issuer, sub: UUID().uuidString.lowercased(), aud: [issuer], exp: now.addingTimeInterval(900), iat: now,
            jti: SecureRandom.identifier(byteCount: 16), sid: UUID().uuidString.lowercased(), clientId: "rotor",
            scope: "", roles: []
        )
        let token = try await keys.sign(claims)
        var fresh: [String] = []
        if freshTokens {
            var other = claims
            for _ in 0..<freshTokenCount {
                other.jti = IDClaim(value: SecureRandom.identifier(byteCount: 16))
                fresh.append(try await keys.sign(other))
            }
        }
        return Fixture(keys: keys, claims: claims, token: token, rules: AccessTokenRules(issuer: issuer, audience: issuer),
                       now: now, fresh: fresh)
    }
}

/// What a raw ES256 check costs with nothing around it: the same token's signature, checked by swift-crypto.
struct P256Floor: Sendable {
    let key: P256.Signing.PublicKey
    let signature: P256.Signing.ECDSASignature
    let rawSignature: Data
    let message: Data

    init(_ fixture: Fixture) throws {
        struct JWKS: Decodable { struct Key: Decodable { let x: String; let y: String }; let keys: [Key] }
        let jwk = try JSONDecoder().decode(JWKS.self, from: fixture.keys.jwksDocument).keys[0]
        guard let x = Base64URL.decode(jwk.x), let y = Base64URL.decode(jwk.y) else { throw BenchError.badFixture }
        key = try P256.Signing.PublicKey(x963Representation: Data([0x04]) + x + y)
        let parts = fixture.token.split(separator: ".")
        guard parts.count == 3, let raw = Base64URL.decode(String(parts[2])) else { throw BenchError.badFixture }
        signature = try P256.Signing.ECDSASignature(rawRepresentation: raw)
        rawSignature = raw
        message = Data("\(parts[0]).\(parts[1])".utf8)
        guard key.isValidSignature(signature, for: message) else { throw BenchError.badFixture }
    }
}

/// A verifier for the fixture's issuer, with the fixture's JWKS as a document (fetched once, at set-up).
struct VerifierFixture: Sendable {
    let fixture: Fixture
    let verifier: AccessTokenVerifier

    init(_ fixture: Fixture) async throws {
        self.fixture = fixture
        var configuration = VerifierConfiguration(issuer: fixture.rules.issuer, revocations: nil)
        configuration.jwksDocument = fixture.keys.jwksDocument
        verifier = AccessTokenVerifier(configuration: configuration, logger: Logger(label: "bench") { _ in
            SwiftLogNoOpLogHandler()
        })
        try await verifier.prefetchKeys()
        _ = try await verifier.verify(fixture.token, now: fixture.now)
    }
}

enum BenchError: Error {
    case badFixture
}

/// The benchmarks' scratch folder.
enum BenchFiles {
    static let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("rotor-benchmarks-\(ProcessInfo.processInfo.processIdentifier)")

    static func path(_ name: String) -> String {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent(name).path
    }
}
