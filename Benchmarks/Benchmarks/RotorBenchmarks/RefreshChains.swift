import Foundation
import Logging
import RotorCore
import RotorSQLite
import Synchronization

/// Sessions on a real SQLite file (WAL, synchronous=FULL), each refreshed along its own chain: every refresh
/// presents the token the previous one returned, as a client does, so that no token is ever presented twice.
final class RefreshChains: Sendable {
    let engine: TokenEngine
    private let tokens: Mutex<[String]>

    var count: Int { tokens.withLock { $0.count } }

    private init(engine: TokenEngine, tokens: [String]) {
        self.engine = engine
        self.tokens = Mutex(tokens)
    }

    static func make(count: Int) async throws -> RefreshChains {
        let store = try SQLiteStore(path: BenchFiles.path("engine-\(count)-\(UUID().uuidString).sqlite"))
        let keys = try await KeyRing.load(from: store, now: Date())
        let engine = TokenEngine(
            configuration: EngineConfiguration(issuer: "https://auth.example.com", maxSessionsPerUser: 1_000),
            store: store,
            keys: keys,
            hasher: try PasswordHasher(parameters: ScryptParameters(logN: 10, blockSize: 8, parallelism: 1)),
            tagger: try await RefreshTokenTagger.load(from: store, masterKey: nil),
            logger: Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        )
        let user = UserRecord(id: UUID().uuidString.lowercased(), email: "bench@example.com",
                              passwordHash: try await engine.hasher.hash("bench-password-1"), createdAt: Date())
        try await store.createUser(user)
        var tokens: [String] = []
        for _ in 0..<count {
            tokens.append(try await engine.startSession(userId: user.id).refreshToken.value)
        }
        return RefreshChains(engine: engine, tokens: tokens)
    }

    /// Refreshes chain `index` once and keeps the child for the next time.
    func refresh(index: Int) async throws {
        let token = tokens.withLock { $0[index] }
        let issued = try await engine.refresh(token)
        tokens.withLock { $0[index] = issued.refreshToken.value }
    }

    static func removeFiles() {
        try? FileManager.default.removeItem(at: BenchFiles.directory)
    }
}
