import Crypto
public import Foundation

/// Compares secrets in constant time (swift-crypto's `SymmetricKey` equality), so that the time an answer takes
/// says nothing about how much of a guess was right.
public enum SecretComparison {
    /// Whether two secrets are equal. Both are hashed first so that their lengths do not show either.
    public static func equal(_ a: String, _ b: String) -> Bool {
        SymmetricKey(data: SHA256.hash(data: Data(a.utf8))) == SymmetricKey(data: SHA256.hash(data: Data(b.utf8)))
    }

    /// Whether two digests of equal length are equal, in constant time.
    public static func equal(_ a: Data, _ b: Data) -> Bool {
        a.count == b.count && SymmetricKey(data: a) == SymmetricKey(data: b)
    }
}
