import Crypto
public import Foundation

/// The stored form of every high-entropy secret Rotor hands out (refresh tokens, client secrets, authorization
/// codes): SHA-256 of its text. The secrets carry 256 random bits, so a plain hash is as strong as a slow one and
/// a copy of the database yields nothing usable; passwords, with little entropy, go through scrypt instead.
public enum SecretHash {
    /// SHA-256 of `text`'s UTF-8 bytes.
    public static func of(_ text: String) -> Data {
        Data(SHA256.hash(data: Data(text.utf8)))
    }
}
