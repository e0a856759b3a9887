import Foundation
import RotorJWT

#if canImport(Glibc)
import Glibc
#endif

/// Random bytes from the kernel's CSPRNG.
public enum SecureRandom {
    /// Returns `count` cryptographically secure random bytes.
    /// - Parameter count: How many bytes; a multiple of 8 between 8 and 64.
    /// - Returns: The bytes.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count > 0 && count % 8 == 0, "SecureRandom.bytes takes a multiple of 8")
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            fill(UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }

    /// Fills `buffer` from the kernel's CSPRNG. On Linux one `getentropy(3)` call (one `getrandom(2)`, up to 256
    /// bytes); swift-crypto's `SymmetricKey(size:)` made a key object and a system call per 8 bytes, 2 % of a
    /// `client_credentials` grant, whose `jti` is 16 bytes (docs/benchmarks.md).
    private static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        #if canImport(Glibc)
        if buffer.count <= 256, getentropy(buffer.baseAddress, buffer.count) == 0 { return }
        #endif
        var generator = SystemRandomNumberGenerator()
        for offset in stride(from: 0, to: buffer.count, by: 8) {
            buffer.storeBytes(of: generator.next() as UInt64, toByteOffset: offset, as: UInt64.self)
        }
    }

    /// A random identifier: `byteCount` random bytes as unpadded base64url.
    /// - Parameter byteCount: The entropy in bytes (16 gives 128 bits).
    /// - Returns: The identifier.
    public static func identifier(byteCount: Int = 16) -> String {
        Base64URL.encode(bytes(byteCount))
    }

    /// A random UUID string in lower case, for user and session ids.
    public static func uuid() -> String {
        UUID().uuidString.lowercased()
    }
}
