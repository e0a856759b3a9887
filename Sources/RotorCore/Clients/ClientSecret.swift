public import Foundation
import RotorJWT

/// A client secret: `rcs_` and 256 random bits in base64url. Shown once when made; the store keeps its SHA-256.
public struct ClientSecret: Sendable {
    /// The secret as the client sends it.
    public let text: String

    /// The prefix of every client secret, so that a leaked one is recognisable (secret scanners, logs).
    public static let prefix = "rcs_"

    /// A new random secret.
    public static func generate() -> ClientSecret {
        ClientSecret(text: prefix + Base64URL.encode(SecureRandom.bytes(32)))
    }

    /// Whether `text` is one of the client's live secrets at `now`; every live secret is compared in constant
    /// time, whatever matches first.
    public static func verify(_ text: String, against client: ClientRecord, at now: Date) -> Bool {
        let presented = SecretHash.of(text)
        var matched = false
        for secret in client.liveSecrets(at: now) where SecretComparison.equal(secret.hash, presented) {
            matched = true
        }
        return matched
    }
}
