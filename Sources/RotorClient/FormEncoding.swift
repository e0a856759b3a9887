import Foundation

/// `application/x-www-form-urlencoded` as RFC 6749 appendix B has it (also for the HTTP Basic pair of a client).
enum FormEncoding {
    /// ASCII letters, digits and `-._~`, spelled out: `CharacterSet.alphanumerics` is Unicode's, which left the
    /// escaping of `é` to Foundation's implementation (it escapes it on Linux) rather than to this rule.
    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    )

    /// One name or value, encoded.
    static func encode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }

    /// A form body of `fields`, in order.
    static func body(_ fields: [(String, String)]) -> Data {
        Data(fields.map { encode($0) + "=" + encode($1) }.joined(separator: "&").utf8)
    }
}
