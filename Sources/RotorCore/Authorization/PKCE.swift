import Crypto
public import Foundation
import RotorJWT

/// Proof Key for Code Exchange (RFC 7636) with the `S256` method, the only one Rotor accepts: `plain` would let
/// whoever sees the authorization request redeem its code.
public enum PKCE {
    /// Whether a `code_challenge` or `code_verifier` is well formed: 43 to 128 characters of
    /// `A-Z a-z 0-9 - . _ ~` (RFC 7636 §4.1, §4.2).
    public static func isWellFormed(_ value: String) -> Bool {
        (43...128).contains(value.utf8.count)
            && value.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
                    || byte == UInt8(ascii: "~")
            }
    }

    /// The `S256` challenge of a verifier: base64url(SHA-256(ASCII(verifier))), unpadded.
    public static func challenge(for verifier: String) -> String {
        Base64URL.encode(Array(SHA256.hash(data: Data(verifier.utf8))))
    }

    /// Whether `verifier` answers `challenge`, compared in constant time.
    public static func verify(_ verifier: String, challenge: String) -> Bool {
        isWellFormed(verifier) && SecretComparison.equal(Self.challenge(for: verifier), challenge)
    }
}
