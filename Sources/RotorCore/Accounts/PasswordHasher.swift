import Crypto
import CryptoExtras
import Foundation

/// Hashes and checks passwords with scrypt (swift-crypto's CryptoExtras, BoringSSL underneath).
///
/// Hashes are self-describing, `$scrypt$ln=14,r=8,p=5$<salt>$<key>` (unpadded base64), so that parameters can
/// rise: ``verify(_:against:)`` says when a stored hash is weaker than the current setting. Hashing runs on
/// Dispatch's global pool (never on an event loop or the Swift concurrency pool), at most `maxConcurrent` at once.
public final class PasswordHasher: Sendable {
    /// The parameters new hashes get.
    public let parameters: ScryptParameters
    private let gate: HashingGate
    /// A hash of a random password with the current parameters: an unknown email is checked against it, so that
    /// it costs the same work as a wrong password.
    private let decoyHash: String

    /// The outcome of a check.
    public enum Verification: Sendable, Equatable {
        /// The password matches; `needsRehash` when the stored hash used weaker parameters than the current ones.
        case match(needsRehash: Bool)
        /// The password does not match (or the stored hash is unreadable).
        case mismatch
    }

    /// Creates a hasher.
    /// - Parameters:
    ///   - parameters: The scrypt parameters for new hashes.
    ///   - maxConcurrent: How many hashes may run at once (default: the number of cores).
    ///   - maxWaiting: How many may wait for a slot (default: 16 per slot, a few seconds of work); beyond, a hash
    ///     throws ``PasswordHasherBusy`` at once.
    ///   - metrics: Where the queue depth is reported.
    /// - Throws: If scrypt rejects the parameters.
    public init(
        parameters: ScryptParameters = .owasp,
        maxConcurrent: Int? = nil,
        maxWaiting: Int? = nil,
        metrics: EngineMetrics = .none
    ) throws {
        self.parameters = parameters
        let slots = maxConcurrent ?? ProcessInfo.processInfo.activeProcessorCount
        self.gate = HashingGate(limit: slots, maxWaiting: maxWaiting ?? 16 * max(1, slots)) {
            metrics.hashQueueDepth($0)
        }
        self.decoyHash = try Self.hashNow(SecureRandom.identifier(byteCount: 16), parameters: parameters)
    }

    /// How many hashes wait for a slot right now.
    public var queueDepth: Int {
        get async { await gate.queueDepth }
    }

    /// The most hashes that ever ran at once.
    public var peakConcurrency: Int {
        get async { await gate.peak }
    }

    /// Hashes a new password.
    /// - Parameter password: The password (already checked against ``PasswordPolicy``).
    /// - Returns: The self-describing hash.
    /// - Throws: ``PasswordHasherBusy`` when the queue is full.
    public func hash(_ password: String) async throws -> String {
        let parameters = self.parameters
        return try await offload { try Self.hashNow(password, parameters: parameters) }
    }

    /// Checks a password against a stored hash.
    /// - Parameters:
    ///   - password: What the user typed.
    ///   - encoded: The stored hash, or nil for an unknown account (then a decoy hash is checked, and the answer
    ///     is ``Verification/mismatch`` after the same work).
    /// - Returns: Whether it matches, and whether the hash should be renewed.
    /// - Throws: ``PasswordHasherBusy`` when the queue is full.
    public func verify(_ password: String, against encoded: String?) async throws -> Verification {
        let target = encoded ?? decoyHash
        let current = parameters
        let result = try await offload { try Self.verifyNow(password, encoded: target, current: current) }
        return encoded == nil ? .mismatch : result
    }

    private func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await gate.acquire()
        let result: Result<T, any Error>
        do { result = .success(try await OffLoop.run(work)) } catch { result = .failure(error) }
        await gate.release()
        return try result.get()
    }

    static func hashNow(_ password: String, parameters p: ScryptParameters) throws -> String {
        let salt = SecureRandom.bytes(16)
        let key = try derive(password, salt: salt, parameters: p)
        let keyBytes = key.withUnsafeBytes { Data($0) }
        return "$scrypt$ln=\(p.logN),r=\(p.blockSize),p=\(p.parallelism)$\(b64(Data(salt)))$\(b64(keyBytes))"
    }

    static func verifyNow(_ password: String, encoded: String, current: ScryptParameters) throws -> Verification {
        guard let stored = StoredScryptHash(encoded) else { return .mismatch }
        let derived = try derive(password, salt: stored.salt, parameters: stored.parameters, length: stored.key.count)
        guard derived == SymmetricKey(data: stored.key) else { return .mismatch }  // constant-time comparison
        let weaker =
            stored.parameters.logN < current.logN
            || stored.parameters.memoryBytes * stored.parameters.parallelism < current.memoryBytes * current.parallelism
        return .match(needsRehash: weaker)
    }

    private static func derive(
        _ password: String,
        salt: some DataProtocol,
        parameters p: ScryptParameters,
        length: Int = 32
    ) throws -> SymmetricKey {
        try KDF.Scrypt.deriveKey(
            from: Array(password.utf8),
            salt: salt,
            outputByteCount: length,
            rounds: 1 << p.logN,
            blockSize: p.blockSize,
            parallelism: p.parallelism
        )
    }

    private static func b64(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "=", with: "")
    }
}

/// A parsed `$scrypt$ln=…,r=…,p=…$salt$key` string.
struct StoredScryptHash {
    var parameters: ScryptParameters
    var salt: Data
    var key: Data

    init?(_ encoded: String) {
        let fields = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[0].isEmpty, fields[1] == "scrypt" else { return nil }
        var values: [Substring: Int] = [:]
        for pair in fields[2].split(separator: ",") {
            let kv = pair.split(separator: "=")
            guard kv.count == 2, let number = Int(kv[1]) else { return nil }
            values[kv[0]] = number
        }
        guard let ln = values["ln"], let r = values["r"], let p = values["p"], (1...24).contains(ln),
            (1...32).contains(r), (1...64).contains(p),
            let salt = Self.unb64(fields[3]), let key = Self.unb64(fields[4]), key.count >= 16
        else { return nil }
        self.parameters = ScryptParameters(logN: ln, blockSize: r, parallelism: p)
        self.salt = salt
        self.key = key
    }

    private static func unb64(_ text: Substring) -> Data? {
        var padded = String(text)
        while padded.utf8.count % 4 != 0 { padded += "=" }
        return Data(base64Encoded: padded)
    }
}
