import Foundation
import GRDB
import Logging
import RotorCore
import RotorSQLite
import Synchronization

// Database size under steady churn, with Rotor's production lifetimes and pruning every hour, over simulated days:
// every simulated hour, `logins` people log in; each session refreshes `refreshes` times; a third log out, the
// rest abandon their sessions, which expire after the idle lifetime (30 days). Prints one line per simulated day.
//
//   swift run -c release StorageChurn [days] [logins-per-hour]

let days = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 120 : 120
let loginsPerHour = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 6 : 6
let refreshes = 4

/// Simulated time: moves only when the loop moves it.
final class SimulatedClock: RotorClock {
    private let current = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
    func now() -> Date { current.withLock { $0 } }
    func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rotor-churn-\(getpid())")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }
let path = directory.appendingPathComponent("rotor.sqlite").path

let clock = SimulatedClock()
let store = try SQLiteStore(path: path)
let configuration = EngineConfiguration(issuer: "https://auth.example.com")  // docs/operations.md defaults
let engine = TokenEngine(
    configuration: configuration,
    store: store,
    keys: try await KeyRing.load(from: store, now: clock.now()),
    // Hashing is not what this measures: a cheap setting keeps the simulation short.
    hasher: try PasswordHasher(parameters: ScryptParameters(logN: 8, blockSize: 8, parallelism: 1)),
    tagger: try await RefreshTokenTagger.load(from: store, masterKey: nil),
    clock: clock,
    logger: Logger(label: "churn") { _ in SwiftLogNoOpLogHandler() }
)
let users = 50
for index in 0..<users {
    _ = try await engine.signUp(email: "user\(index)@example.com", password: "churn-password-\(index)")
}

func sizes() throws -> (file: Int, wal: Int, pages: Int, free: Int, rows: [String: Int]) {
    let attributes = { (suffix: String) in
        (try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? Int) ?? 0
    }
    var readOnly = Configuration()
    readOnly.readonly = true
    let queue = try DatabaseQueue(path: path, configuration: readOnly)
    return try queue.read { db in
        var rows: [String: Int] = [:]
        for table in ["sessions", "refresh_tokens", "audit_events", "login_failures"] {
            rows[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
        }
        return (attributes(""), attributes("-wal"), try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0,
                try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0, rows)
    }
}

print("lifetimes: refresh \(Int(configuration.refreshTTL / 86_400)) d, ended sessions kept "
      + "\(Int(configuration.endedSessionRetention / 86_400)) d, events kept \(Int(configuration.eventRetention / 86_400)) d; "
      + "\(loginsPerHour) logins/h, \(refreshes) refreshes each, a third log out; prune hourly")
print("day  db_bytes  wal_bytes  pages  free_pages  sessions  refresh_tokens  audit_events")
var login = 0
let started = Date()
for day in 1...days {
    for _ in 0..<24 {
        for _ in 0..<loginsPerHour {
            let user = login % users
            var tokens = try await engine.login(email: "user\(user)@example.com", password: "churn-password-\(user)")
            for _ in 0..<refreshes {
                tokens = try await engine.refresh(tokens.refreshToken.value)
            }
            if login % 3 == 0 { try await engine.logout(refreshToken: tokens.refreshToken.value) }
            login += 1
        }
        clock.advance(by: 3_600)
        _ = try await engine.prune()
    }
    if day % 5 == 0 || day == 1 {
        let s = try sizes()
        print(String(format: "%3d  %8d  %9d  %5d  %10d  %8d  %14d  %12d", day, s.file, s.wal, s.pages, s.free,
                     s.rows["sessions"]!, s.rows["refresh_tokens"]!, s.rows["audit_events"]!))
    }
}
print(String(format: "%d logins, %d refreshes in %.0f s", login, login * refreshes, Date().timeIntervalSince(started)))
