public import Foundation

/// A JSON object written member by member, for the few answers and payloads written on every request (claims,
/// headers, `GET /v1/me`), where Foundation's `JSONEncoder` cost more than the work around it. Strings are escaped as
/// RFC 8259 §7 requires; slashes are not escaped. Tests compare what it writes with `JSONEncoder`'s output.
///
/// It writes UTF-8 bytes, not a `String`: appending to a `String` piece by piece, and the copy into `Data` after,
/// were most of what writing a token's claims cost.
package struct JSONObjectWriter {
    private var bytes: [UInt8] = []
    private var first = true

    /// Creates an empty writer.
    package init() {}

    /// The JSON so far (complete after ``end()``).
    package var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The JSON so far as `Data`.
    package var data: Data { Data(bytes) }

    /// Opens the object.
    package mutating func begin() {
        bytes.reserveCapacity(320)
        bytes.append(UInt8(ascii: "{"))
    }

    /// Closes the object.
    package mutating func end() { bytes.append(UInt8(ascii: "}")) }

    /// Writes `"name":"value"`.
    package mutating func member(_ name: String, string value: String) {
        key(name)
        append(value)
    }

    /// Writes `"name":["a","b",…]`.
    package mutating func member(_ name: String, strings values: [String]) {
        key(name)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            append(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes `"name":{…}` with string members, in the order given.
    package mutating func member(_ name: String, object members: [(String, String)]) {
        key(name)
        var inner = JSONObjectWriter()
        inner.begin()
        for (key, value) in members { inner.member(key, string: value) }
        inner.end()
        bytes.append(contentsOf: inner.bytes)
    }

    /// Writes `"name":` and the date as whole seconds since 1970 (a NumericDate).
    package mutating func member(_ name: String, seconds date: Date) {
        key(name)
        bytes.append(contentsOf: String(Int64(date.timeIntervalSince1970.rounded(.towardZero))).utf8)
    }

    /// Writes `"name":` and an integer.
    package mutating func member(_ name: String, integer value: Int) {
        key(name)
        bytes.append(contentsOf: String(value).utf8)
    }

    private mutating func key(_ name: String) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        append(name)
        bytes.append(UInt8(ascii: ":"))
    }

    /// A JSON string: quotes, backslashes and control characters escaped (RFC 8259 §7), the rest as is.
    private mutating func append(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        // `withUTF8` reads a native string in place (and makes any other contiguous first).
        value.withUTF8 { utf8 in
            var start = 0
            for (index, byte) in utf8.enumerated() where Self.mustEscape(byte) {
                bytes.append(contentsOf: utf8[start..<index])
                Self.escape(byte, into: &bytes)
                start = index + 1
            }
            bytes.append(contentsOf: utf8[start...])
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func mustEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// A byte that must be escaped, as RFC 8259 §7 writes it: the short forms where there is one, `\u00XX` else.
    /// Every such byte is ASCII, so escaping byte by byte never splits a multi-byte character.
    private static func escape(_ byte: UInt8, into bytes: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
        case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
        case UInt8(ascii: "\n"): bytes.append(contentsOf: #"\n"#.utf8)
        case UInt8(ascii: "\r"): bytes.append(contentsOf: #"\r"#.utf8)
        case UInt8(ascii: "\t"): bytes.append(contentsOf: #"\t"#.utf8)
        default:
            let hex = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: #"\u00"#.utf8)
            bytes.append(hex[Int(byte >> 4)])
            bytes.append(hex[Int(byte & 0xF)])
        }
    }
}
