/// An email address in Rotor's normalized form: the whole address lower-cased (docs/security.md, §7).
public struct EmailAddress: Sendable, Equatable, Hashable {
    /// The normalized address.
    public let value: String

    /// Validates and normalizes an address.
    /// - Parameter raw: What the client sent.
    /// - Returns: nil when the text is not a plausible address (one `@`, a non-empty local part, a dotted domain,
    ///   no spaces or control characters, at most 254 bytes).
    public init?(_ raw: String) {
        guard raw.utf8.count <= 254 else { return nil }
        let parts = raw.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let local = parts[0]
        let domain = parts[1]
        guard !local.isEmpty, local.utf8.count <= 64, !domain.isEmpty else { return nil }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }) else { return nil }
        let forbidden = raw.unicodeScalars.contains {
            $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F
                || "<>()[],;:\\\"".unicodeScalars.contains($0)
        }
        guard !forbidden else { return nil }
        self.value = raw.lowercased()
    }
}

/// The password rule of docs/security.md: 8 to 1024 bytes of UTF-8.
public enum PasswordPolicy {
    /// The shortest password accepted, in bytes.
    public static let minimumBytes = 8
    /// The longest password accepted, in bytes (bounds the hashing work an attacker can ask for).
    public static let maximumBytes = 1024

    /// Whether a password's length is acceptable.
    public static func isAcceptable(_ password: String) -> Bool {
        (minimumBytes...maximumBytes).contains(password.utf8.count)
    }
}
