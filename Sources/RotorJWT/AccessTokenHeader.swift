import Foundation

/// The JOSE header of a token as received, read before any key is touched so that `typ`, `alg`, `kid` and the
/// dangerous key-carrying members are judged first (RFC 8725 §3.1, §3.11; STACK.md jwt-kit pitfalls 1–3).
public struct AccessTokenHeader: Decodable, Sendable, Equatable {
    /// The signature algorithm named by the token.
    public var alg: String?
    /// The token type; must be `at+jwt` for access tokens.
    public var typ: String?
    /// The signing key's id.
    public var kid: String?
    /// An embedded key (never trusted).
    public var jwk: JSONValuePresence?
    /// A key URL (never trusted).
    public var jku: JSONValuePresence?
    /// A certificate URL (never trusted).
    public var x5u: JSONValuePresence?
    /// An embedded certificate chain (never trusted).
    public var x5c: JSONValuePresence?

    /// Parses the header segment of a compact JWS.
    /// - Parameter token: The whole compact token `header.payload.signature`.
    /// - Returns: The decoded header, or nil when the token is not three base64url segments with a JSON header.
    public static func parse(_ token: String) -> AccessTokenHeader? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        guard let data = Base64URL.decode(String(parts[0])) else { return nil }
        return try? JSONDecoder().decode(AccessTokenHeader.self, from: data)
    }
}

/// Records only that a JSON member was present, whatever its value.
public struct JSONValuePresence: Decodable, Sendable, Equatable {
    /// Accepts any JSON value.
    public init(from decoder: any Decoder) throws {}
}
