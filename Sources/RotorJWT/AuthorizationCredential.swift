/// The credential of an `Authorization` header with the `Bearer` or `DPoP` scheme (RFC 6750 §2.1, RFC 9449 §7.1):
/// the one parser Rotor's own routes and `RotorVerifierHummingbird` share.
///
/// The scheme matches case-insensitively, spaces or tabs separate it from the token, trailing blanks are dropped.
/// It works on bytes: it runs on every authenticated request.
public struct AuthorizationCredential: Sendable, Equatable {
    /// The schemes Rotor's access tokens travel under.
    public enum Scheme: String, Sendable, Equatable {
        /// `Authorization: Bearer <token>`.
        case bearer
        /// `Authorization: DPoP <token>`, with a `DPoP` proof header.
        case dpop
    }

    /// The scheme.
    public var scheme: Scheme
    /// The token after it.
    public var token: String

    /// Parses a header value; nil when it is not `Bearer` or `DPoP` followed by a token.
    public init?(_ value: String) {
        let bytes = Array(value.utf8)
        for scheme in [Scheme.bearer, .dpop] {
            if let token = Self.credential(bytes, scheme: scheme.rawValue) {
                self.scheme = scheme
                self.token = token
                return
            }
        }
        return nil
    }

    /// The credential after `scheme` (lower-case letters), or nil when the scheme differs or nothing follows.
    public static func credential(_ value: String, scheme: String) -> String? {
        credential(Array(value.utf8), scheme: scheme)
    }

    private static func credential(_ bytes: [UInt8], scheme: String) -> String? {
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var start = 0
        while start < bytes.count, isBlank(bytes[start]) { start += 1 }
        var from = start
        for expected in scheme.utf8 {
            guard from < bytes.count else { return nil }
            let byte = bytes[from]
            // ASCII lower-casing: the scheme is plain letters.
            guard (byte >= 65 && byte <= 90 ? byte + 32 : byte) == expected else { return nil }
            from += 1
        }
        guard from < bytes.count, isBlank(bytes[from]) else { return nil }
        while from < bytes.count, isBlank(bytes[from]) { from += 1 }
        var end = bytes.count
        while end > from, isBlank(bytes[end - 1]) { end -= 1 }
        guard end > from else { return nil }
        return String(decoding: bytes[from..<end], as: UTF8.self)
    }
}
