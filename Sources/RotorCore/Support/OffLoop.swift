import Dispatch

/// Runs slow, blocking work on Dispatch's global pool and awaits its result.
///
/// A request's task runs on its connection's event loop (docs/architecture.md): work that takes milliseconds there
/// would hold up every other connection of that loop. scrypt and the making of an RSA key go through here.
enum OffLoop {
    /// Runs `work` on Dispatch's global pool.
    /// - Returns: What `work` returns.
    /// - Throws: What `work` throws.
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let result: Result<T, any Error> = await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(returning: Result { try work() })
            }
        }
        return try result.get()
    }
}
