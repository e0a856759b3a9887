public import Foundation

/// A JSON object written member by member, for the few answers and payloads written on every request (claims,
/// headers, `GET /v1/me`), where Foundation's `JSONEncoder` cost more than the work around it. Strings are escaped as
/// RFC 8259 §7 requires; slashes are not escaped. Tests compare what it writes with `JSONEncoder`'s output.
package struct JSONObjectWriter {
    /// The JSON so far (complete after ``end()``).
    package private(set) var text = ""
    private var first = true

    /// Creates an empty writer.
    package init() {}

    /// Opens the object.
    package mutating func begin() {
        text.reserveCapacity(320)
        text.append("{")
    }

    /// Closes the object.
    package mutating func end() { text.append("}") }

    /// Writes `"name":"value"`.
    package mutating func member(_ name: String, string value: String) {
        key(name)
        append(value)
    }

    /// Writes `"name":["a","b",…]`.
    package mutating func member(_ name: String, strings values: [String]) {
        key(name)
        text.append("[")
        for (index, value) in values.enumerated() {
            if index > 0 { text.append(",") }
            append(value)
        }
        text.append("]")
    }

    /// Writes `"name":{…}` with string members, in the order given.
    package mutating func member(_ name: String, object members: [(String, String)]) {
        key(name)
        var inner = JSONObjectWriter()
        inner.begin()
        for (key, value) in members { inner.member(key, string: value) }
        inner.end()
        text.append(inner.text)
    }

    /// Writes `"name":` and the date as whole seconds since 1970 (a NumericDate).
    package mutating func member(_ name: String, seconds date: Date) {
        key(name)
        text.append(String(Int64(date.timeIntervalSince1970.rounded(.towardZero))))
    }

    /// Writes `"name":` and an integer.
    package mutating func member(_ name: String, integer value: Int) {
        key(name)
        text.append(String(value))
    }

    private mutating func key(_ name: String) {
        if !first { text.append(",") }
        first = false
        append(name)
        text.append(":")
    }

    /// A JSON string: quotes, backslashes and control characters escaped (RFC 8259 §7), the rest as is.
    private mutating func append(_ value: String) {
        text.append("\"")
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            text.append(value)
        } else {
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": text.append("\\\"")
                case "\\": text.append("\\\\")
                case "\n": text.append("\\n")
                case "\r": text.append("\\r")
                case "\t": text.append("\\t")
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    text.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                default: text.unicodeScalars.append(scalar)
                }
            }
        }
        text.append("\"")
    }
}
