import Crypto
import Foundation
import RotorJWT

/// Random bytes from the system CSPRNG, through swift-crypto.
public enum SecureRandom {
    /// Returns `count` cryptographically secure random bytes.
    /// - Parameter count: How many bytes; a multiple of 8 between 8 and 64.
    /// - Returns: The bytes.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count > 0 && count % 8 == 0, "SecureRandom.bytes takes a multiple of 8")
        let key = SymmetricKey(size: SymmetricKeySize(bitCount: count * 8))
        return key.withUnsafeBytes { Array($0) }
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
