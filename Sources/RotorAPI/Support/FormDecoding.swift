/// `application/x-www-form-urlencoded` decoding (WHATWG URL, *application/x-www-form-urlencoded parsing*), on the
/// UTF-8 bytes.
///
/// Written by hand because the token endpoint spends its time here otherwise: Foundation's
/// `replacingOccurrences` and `removingPercentEncoding` bridge every component through NSString, which took 12 % of
/// the server's CPU in a `client_credentials` profile (docs/benchmarks.md). Splitting on bytes also splits where a
/// `&` or `=` is followed by a combining mark, which `Character`-wise splitting would glue to it.
enum FormDecoding {
    /// The pairs of `text` in order: split on `&` (empty pieces skipped), each at its first `=` (none: an empty
    /// value), each side decoded by ``component(_:)``.
    /// - Returns: nil when a side has a bad `%` escape or decodes to bytes that are not UTF-8.
    static func pairs(_ text: some StringProtocol) -> [(name: String, value: String)]? {
        var pairs: [(name: String, value: String)] = []
        for piece in text.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = piece.firstIndex(of: UInt8(ascii: "="))
            let nameBytes = equals.map { piece[..<$0] } ?? piece[...]
            let valueBytes = equals.map { piece[piece.index(after: $0)...] } ?? piece[piece.endIndex...]
            guard let name = component(nameBytes), let value = component(valueBytes) else { return nil }
            pairs.append((name, value))
        }
        return pairs
    }

    /// One component: `+` is a space, `%XX` the byte XX (either case), everything else itself.
    /// - Returns: nil for a `%` not followed by two hex digits, or bytes that are not UTF-8.
    static func component(_ bytes: some Collection<UInt8>) -> String? {
        guard bytes.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            return String(validating: bytes, as: UTF8.self)
        }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            index = bytes.index(after: index)
            switch byte {
            case UInt8(ascii: "+"):
                decoded.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard index != bytes.endIndex, let high = hexValue(bytes[index]) else { return nil }
                index = bytes.index(after: index)
                guard index != bytes.endIndex, let low = hexValue(bytes[index]) else { return nil }
                index = bytes.index(after: index)
                decoded.append(high << 4 | low)
            default:
                decoded.append(byte)
            }
        }
        return String(validating: decoded, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
