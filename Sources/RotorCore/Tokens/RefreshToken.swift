import Crypto
import RotorJWT

public import Foundation

/// An opaque refresh token: `rtr_` followed by 256 random bits in base64url (47 characters in all).
///
/// The prefix lets secret scanners recognise a leaked token and lets Rotor refuse garbage before any database
/// access. Only ``hash`` is ever stored.
public struct RefreshToken: Sendable, Equatable {
    /// The prefix of every refresh token.
    public static let prefix = "rtr_"
    /// The random part's length in bytes.
    public static let entropyBytes = 32
    /// The exact length of a well-formed token: the prefix plus 43 base64url characters.
    public static let length = prefix.utf8.count + 43

    /// The token as the client holds it. A secret: never log it.
    public let value: String

    /// Wraps a token a client presented, if it is well formed.
    /// - Parameter value: The presented text.
    /// - Returns: nil when the text cannot be a Rotor refresh token.
    public init?(presented value: String) {
        guard value.utf8.count == Self.length, value.hasPrefix(Self.prefix),
            value.utf8.dropFirst(Self.prefix.utf8.count).allSatisfy(Base64URL.isAlphabet)
        else { return nil }
        self.value = value
    }

    private init(unchecked value: String) {
        self.value = value
    }

    /// Makes a new token from the system CSPRNG.
    public static func generate() -> RefreshToken {
        RefreshToken(unchecked: prefix + Base64URL.encode(SecureRandom.bytes(entropyBytes)))
    }

    /// SHA-256 of the token: the only form a store keeps. A full copy of the database yields no usable token.
    public var hash: Data { Data(SHA256.hash(data: Data(value.utf8))) }
}

extension RefreshToken: CustomStringConvertible, CustomDebugStringConvertible {
    /// Redacted, so that string interpolation into a log line cannot leak the secret.
    public var description: String { "rtr_<redacted>" }
    /// Redacted, like ``description``.
    public var debugDescription: String { "rtr_<redacted>" }
}
