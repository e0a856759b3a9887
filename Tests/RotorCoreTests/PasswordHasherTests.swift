import Foundation
import RotorCore
import Testing

@Suite("Password hashing")
struct PasswordHasherTests {
    static let cheap = ScryptParameters(logN: 10, blockSize: 8, parallelism: 1)

    @Test("OWASP setting: self-describing string, verifies, rejects a wrong password")
    func owasp() async throws {
        let hasher = try PasswordHasher(parameters: .owasp)
        let hash = try await hasher.hash("correct horse battery")
        #expect(hash.hasPrefix("$scrypt$ln=14,r=8,p=5$"))
        #expect(hash.split(separator: "$").count == 4)
        #expect(!hash.contains("correct horse"))
        #expect(try await hasher.verify("correct horse battery", against: hash) == .match(needsRehash: false))
        #expect(try await hasher.verify("correct horse batterY", against: hash) == .mismatch)
    }

    @Test("two hashes of one password differ (random salt)")
    func salted() async throws {
        let hasher = try PasswordHasher(parameters: Self.cheap)
        let first = try await hasher.hash("password123")
        let second = try await hasher.hash("password123")
        #expect(first != second)
    }

    @Test("a hash made with weaker parameters still verifies and asks for a re-hash")
    func rehash() async throws {
        let old = try await PasswordHasher(parameters: Self.cheap).hash("password123")
        let hasher = try PasswordHasher(parameters: ScryptParameters(logN: 11, blockSize: 8, parallelism: 1))
        #expect(try await hasher.verify("password123", against: old) == .match(needsRehash: true))
    }

    @Test("an unknown account (no hash) is a mismatch, and an unreadable hash too")
    func decoy() async throws {
        let hasher = try PasswordHasher(parameters: Self.cheap)
        #expect(try await hasher.verify("password123", against: nil) == .mismatch)
        #expect(try await hasher.verify("password123", against: "$scrypt$garbage") == .mismatch)
        #expect(try await hasher.verify("password123", against: "") == .mismatch)
    }

    @Test("concurrent hashes all complete, never more than the cap at once")
    func concurrency() async throws {
        let hasher = try PasswordHasher(parameters: Self.cheap, maxConcurrent: 2, maxWaiting: 64)
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<16 {
                group.addTask {
                    let hash = try await hasher.hash("password-\(i)")
                    return try await hasher.verify("password-\(i)", against: hash) == .match(needsRehash: false)
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 16 && results.allSatisfy { $0 })
        #expect(await hasher.queueDepth == 0)
        // 16 tasks at once on 2 slots: the cap was reached and held.
        #expect(await hasher.peakConcurrency == 2)
    }

    @Test("a full hashing queue refuses at once instead of growing")
    func boundedQueue() async throws {
        // A slow hash (about 0.1 s here) so that 20 requests sent together find the slot and the line taken.
        let hasher = try PasswordHasher(
            parameters: ScryptParameters(logN: 15, blockSize: 8, parallelism: 1),
            maxConcurrent: 1,
            maxWaiting: 3
        )
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<20 {
                group.addTask { (try? await hasher.hash("password-\(i)")) != nil }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        let done = outcomes.filter { $0 }.count
        // One running and three waiting when the burst lands; a slow scheduler may let a few more in later.
        #expect(done >= 1 && done <= 10, "got \(done) of 20 through")
        #expect(await hasher.queueDepth == 0)
    }

    @Test("emails are validated and lower-cased; passwords are 8…1024 bytes")
    func accountRules() {
        #expect(EmailAddress("Ada.Lovelace@Example.COM")?.value == "ada.lovelace@example.com")
        for bad in [
            "", "ada", "ada@", "@example.com", "ada@example", "a b@example.com", "ada@@example.com",
            "ada@example..com", "ada@example.com\n",
        ] {
            #expect(EmailAddress(bad) == nil, "\(bad) should be refused")
        }
        #expect(!PasswordPolicy.isAcceptable("1234567"))
        #expect(PasswordPolicy.isAcceptable("12345678"))
        #expect(PasswordPolicy.isAcceptable(String(repeating: "x", count: 1024)))
        #expect(!PasswordPolicy.isAcceptable(String(repeating: "x", count: 1025)))
        #expect(!PasswordPolicy.isAcceptable(String(repeating: "é", count: 513)))  // 1026 bytes
    }
}
