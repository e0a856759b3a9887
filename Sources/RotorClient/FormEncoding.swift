import Foundation

/// `application/x-www-form-urlencoded` as RFC 6749 appendix B has it (also for the HTTP Basic pair of a client).
enum FormEncoding {
    private static let unreserved: CharacterSet = {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return allowed
    }()

    /// One name or value, encoded.
    static func encode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }

    /// A form body of `fields`, in order.
    static func body(_ fields: [(String, String)]) -> Data {
        Data(fields.map { encode($0) + "=" + encode($1) }.joined(separator: "&").utf8)
    }
}
