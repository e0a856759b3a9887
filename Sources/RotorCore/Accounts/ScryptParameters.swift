/// scrypt's cost parameters, kept in every stored hash so that they can rise later.
public struct ScryptParameters: Sendable, Equatable {
    /// log2 of N, the CPU/memory cost.
    public var logN: Int
    /// The block size r.
    public var blockSize: Int
    /// The parallelism p.
    public var parallelism: Int

    /// Creates parameters.
    public init(logN: Int, blockSize: Int, parallelism: Int) {
        self.logN = logN
        self.blockSize = blockSize
        self.parallelism = parallelism
    }

    /// OWASP's scrypt setting N=2^14, r=8, p=5 (16 MiB): one of the equivalent minimums of the OWASP Password
    /// Storage Cheat Sheet. Of those equivalents it is the cheapest here in time (~0.2 s against ~0.45 s for
    /// N=2^17, p=1; docs/dependencies.md, scrypt) and uses an eighth of the memory, so more logins fit in 2 cores.
    public static let owasp = ScryptParameters(logN: 14, blockSize: 8, parallelism: 5)

    /// The memory one hash needs: 128·N·r bytes.
    public var memoryBytes: Int { 128 * (1 << logN) * blockSize }
}
