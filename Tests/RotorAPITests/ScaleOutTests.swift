import Foundation
import RotorJWT
import RotorTestSupport
import Synchronization
import Testing

/// docs/protocol.md (guarantees) across instances: three `rotor serve` processes on one PostgreSQL database. A refresh token presented
/// several times at once, whichever instances receive the copies, continues its session along one chain.
@Suite(
    "Three instances on one PostgreSQL",
    .serialized,
    .enabled(if: StoreKind.all.contains(.postgres), "needs PostgreSQL (ROTOR_TEST_POSTGRES_URL); required in CI")
)
struct ScaleOutTests {
    static let issuer = "http://rotor-scale.test"

    /// Three servers on one fresh database, the same settings for all, stopped afterwards; `requestTimeout` is how
    /// long a test request to one of them may take.
    static func withInstances<T>(
        grace: Int,
        requestTimeout: Int64 = 5,
        _ body: ([RotorProcess], [TestHTTP], TestDatabase, TemporaryDirectory) async throws -> T
    ) async throws -> T {
        try await TestDatabase.with(.postgres) { database in
            try await TemporaryDirectory.with { directory in
                let environment = Self.environment(database, grace: grace)
                // The first one migrates and creates the key; the others find both (and would wait on the
                // migration lock if they started together).
                var instances: [RotorProcess] = []
                defer { for instance in instances { instance.stop() } }
                for _ in 0..<3 {
                    instances.append(try RotorProcess(environment: environment, workingDirectory: directory.url))
                }
                return try await body(
                    instances,
                    instances.map { TestHTTP(port: $0.port, timeoutSeconds: requestTimeout) },
                    database,
                    directory
                )
            }
        }
    }

    static func environment(_ database: TestDatabase, grace: Int) -> [String: String] {
        [
            "ROTOR_DATABASE_URL": database.url, "ROTOR_PORT": "0", "ROTOR_ISSUER": issuer, "ROTOR_LOG_LEVEL": "warning",
            "ROTOR_REUSE_GRACE": "\(grace)", "ROTOR_MAX_SESSIONS_PER_USER": "10000", "ROTOR_PRUNE_INTERVAL": "0",
        ]
    }

    /// `count` fresh sessions of a new user, minted by the `rotor` command on the same database: refresh tokens.
    static func mint(_ count: Int, database: TestDatabase, grace: Int, directory: TemporaryDirectory) throws -> [String]
    {
        let email = "racer-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        let environment = Self.environment(database, grace: grace)
        let created = try RotorProcess.runToEnd(
            arguments: ["users", "create", "--email", email],
            environment: environment,
            workingDirectory: directory.url,
            input: "correct horse battery"
        )
        #expect(created.status == 0, "\(created.stderr)")
        let minted = try RotorProcess.runToEnd(
            arguments: ["sessions", "mint", "--email", email, "--count", "\(count)"],
            environment: environment,
            workingDirectory: directory.url
        )
        #expect(minted.status == 0, "\(minted.stderr)")
        return minted.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
    }

    /// Presents `token` `copies` times at once, spread round-robin over the instances from a random start.
    static func race(_ token: String, copies: Int, over servers: [TestHTTP]) async throws -> [HTTPAnswer] {
        let start = Int.random(in: 0..<servers.count)
        return try await withThrowingTaskGroup(of: HTTPAnswer.self) { group in
            for copy in 0..<copies {
                let server = servers[(start + copy) % servers.count]
                group.addTask { try await server.refresh(token) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test("grace 10 s: racing copies of one token across the three all get the same child, 250 trials, 0 forks")
    func raceWithGrace() async throws {
        try await Self.withInstances(grace: 10) { _, servers, database, directory in
            var token = try #require(try Self.mint(1, database: database, grace: 10, directory: directory).first)
            var forks = 0
            // A bound against a hang, not a speed claim: 250 trials took 224 s once in a loaded suite.
            let deadline = Date().addingTimeInterval(360)
            for trial in 0..<250 {
                #expect(Date() < deadline, "trial \(trial) ran past the time bound")
                let answers = try await Self.race(token, copies: 6, over: servers)
                #expect(answers.allSatisfy { $0.status == 200 }, "\(answers.map(\.status))")
                let children = Set(answers.compactMap { $0.string("refresh_token") })
                forks += children.count - 1
                token = try #require(children.first)
            }
            #expect(forks == 0)
            // The chain goes on through every instance.
            for server in servers {
                let next = try await server.refresh(token)
                #expect(next.status == 200)
                token = try next.issued().refresh
            }
        }
    }

    @Test("grace 0: of racing copies across the three exactly one wins and the session is revoked, 250 trials")
    func raceWithoutGrace() async throws {
        try await Self.withInstances(grace: 0) { _, servers, database, directory in
            let tokens = try Self.mint(250, database: database, grace: 0, directory: directory)
            #expect(tokens.count == 250)
            var forks = 0
            let deadline = Date().addingTimeInterval(360)
            for (trial, token) in tokens.enumerated() {
                #expect(Date() < deadline, "trial \(trial) ran past the time bound")
                let answers = try await Self.race(token, copies: 4, over: servers)
                let winners = answers.filter { $0.status == 200 }
                forks += max(0, winners.count - 1)
                #expect(winners.count == 1, "\(answers.map(\.status))")
                #expect(answers.filter { $0.status == 401 && $0.error == "invalid_grant" }.count == 3)
                // The losers were reuse: the winner's child is dead on every instance.
                if let child = winners.first?.string("refresh_token") {
                    let after = try await servers[trial % servers.count].refresh(child)
                    #expect(
                        after.status == 401 && after.string("error_description")?.contains("reuse_detected") == true
                    )
                }
            }
            #expect(forks == 0)
        }
    }

    @Test("12 sessions rotating in parallel through random instances never fork; a key rotation is seen by all")
    func parallelChains() async throws {
        try await Self.withInstances(grace: 10) { _, servers, database, directory in
            let tokens = try Self.mint(12, database: database, grace: 10, directory: directory)
            let chains = try await withThrowingTaskGroup(of: Int.self) { group in
                for token in tokens {
                    group.addTask {
                        var current = token
                        var generation = 0
                        for _ in 0..<40 {
                            let answer = try await servers.randomElement()!.refresh(current)
                            guard answer.status == 200, let next = answer.string("refresh_token") else { return -1 }
                            // Each access token verifies on another instance: the keys are shared.
                            let access = try answer.issued().access
                            let me = try await servers.randomElement()!.get("/v1/me", bearer: access)
                            guard me.status == 200 else { return -2 }
                            current = next
                            generation += 1
                        }
                        return generation
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(chains == Array(repeating: 40, count: 12), "\(chains)")

            // `rotor keys rotate` on the shared database: each instance signs with the new key after its next key
            // refresh (every 10 s), and a token it signs verifies on the others at once, even on one that has not
            // re-read the keys yet (an unknown kid makes an instance re-read them, at most once a second).
            let rotated = try RotorProcess.runToEnd(
                arguments: ["keys", "rotate"],
                environment: Self.environment(database, grace: 10),
                workingDirectory: directory.url
            )
            #expect(rotated.status == 0, "\(rotated.stderr)")
            let newKid = try #require(rotated.stdout.split(separator: " ").dropFirst().first.map(String.init))
            var token = try #require(try Self.mint(1, database: database, grace: 10, directory: directory).first)
            var seen: Set<Int> = []
            let deadline = Date().addingTimeInterval(25)
            while seen.count < servers.count, Date() < deadline {
                for (index, server) in servers.enumerated() where !seen.contains(index) {
                    let answer = try await server.refresh(token)
                    token = try answer.issued().refresh
                    let access = try answer.issued().access
                    guard AccessTokenHeader.parse(access)?.kid == newKid else { continue }
                    seen.insert(index)
                    for verifier in servers {
                        #expect(try await verifier.get("/v1/me", bearer: access).status == 200)
                    }
                }
                try await Task.sleep(for: .milliseconds(250))
            }
            #expect(seen.count == servers.count, "instances signing with the new key within 25 s: \(seen)")
        }
    }

    @Test("kill -9 of one instance in the middle of a burst: the others go on, and nothing issued is lost")
    func killOneInstance() async throws {
        try await Self.withInstances(grace: 10) { instances, servers, database, directory in
            let tokens = try Self.mint(12, database: database, grace: 10, directory: directory)
            let killed = 1
            // Presents a token to the preferred instance, or to the next one when that one is gone. Within the
            // grace window a token the dead instance had just rotated returns the same child elsewhere.
            // Once the instance is known dead, clients stop trying it (as a load balancer's health check would):
            // AsyncHTTPClient would otherwise retry the refused connection until the request's deadline.
            let dead = Flag()
            let progress = Counter()
            var answeredBeforeKill = 0
            @Sendable func refresh(_ token: String, preferring first: Int) async throws -> HTTPAnswer {
                var failure: (any Error)?
                for offset in 0..<servers.count {
                    let index = (first + offset) % servers.count
                    if index == killed, dead.isSet { continue }
                    do {
                        return try await servers[index].refresh(token)
                    } catch {
                        failure = error
                    }
                }
                throw failure!
            }
            let issued = try await withThrowingTaskGroup(of: [String].self) { group in
                for (index, token) in tokens.enumerated() {
                    group.addTask {
                        var current = token
                        var answered: [String] = []
                        for round in 0..<30 {
                            let answer = try await refresh(current, preferring: index + round)
                            guard answer.status == 200, let next = answer.string("refresh_token") else {
                                return ["refused \(answer.status) \(answer.text)"]
                            }
                            answered.append(next)
                            progress.add()
                            current = next
                        }
                        return answered
                    }
                }
                // Kill one while the burst runs: once a third of the refreshes are answered.
                let deadline = Date().addingTimeInterval(60)
                while progress.count < 120, Date() < deadline { try await Task.sleep(for: .milliseconds(5)) }
                instances[killed].kill9()
                dead.set()
                answeredBeforeKill = progress.count
                return try await group.reduce(into: [[String]]()) { $0.append($1) }
            }
            #expect(issued.allSatisfy { $0.count == 30 }, "\(issued.filter { $0.count != 30 })")
            #expect(answeredBeforeKill >= 120 && answeredBeforeKill < 300, "killed after \(answeredBeforeKill) of 360")
            // Every pair the instances answered is durable: the last token of each chain still rotates, on each
            // surviving instance in turn.
            let survivors = servers.enumerated().filter { $0.offset != killed }.map(\.element)
            for chain in issued {
                var current = try #require(chain.last)
                for server in survivors {
                    let answer = try await server.refresh(current)
                    #expect(answer.status == 200, "\(answer.text)")
                    current = try answer.issued().refresh
                }
            }
        }
    }

    @Test("40 logins for one account sent at once across the three: 5 are checked, 35 refused; the right one too")
    func loginBurstAcrossInstances() async throws {
        // Five password checks run at once on two cores next to the rest of the suite: a request may wait its
        // turn well past the 5 s the other tests here allow.
        try await Self.withInstances(grace: 10, requestTimeout: 60) { _, servers, database, directory in
            let created = try RotorProcess.runToEnd(
                arguments: ["users", "create", "--email", "ada@example.com"],
                environment: Self.environment(database, grace: 10),
                workingDirectory: directory.url,
                input: "correct horse battery"
            )
            #expect(created.status == 0, "\(created.stderr)")
            let answers = try await withThrowingTaskGroup(of: HTTPAnswer.self) { group in
                for attempt in 0..<40 {
                    group.addTask {
                        try await servers[attempt % servers.count].login("ada@example.com", "wrong horse \(attempt)")
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let counts = answers.reduce(into: [Int: Int]()) { $0[$1.status, default: 0] += 1 }
            #expect(counts[401] == 5 && counts[429] == 35, "\(counts)")
            for server in servers {
                #expect(try await server.login("ada@example.com", "correct horse battery").status == 429)
            }
        }
    }
}

/// Counts answers across tasks.
private final class Counter: Sendable {
    private let value = Mutex(0)
    var count: Int { value.withLock { $0 } }
    func add() { value.withLock { $0 += 1 } }
}
