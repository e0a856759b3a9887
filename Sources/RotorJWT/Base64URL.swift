public import Foundation

/// Base64url without padding (RFC 4648 §5), as JOSE and Rotor's refresh tokens use it.
///
/// Written over bytes with lookup tables: it runs several times per request (token ids, refresh tokens, JWS
/// headers), and Foundation's base64 plus character replacement cost more than the SHA-256 next to it.
public enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    /// Each byte's 6-bit value in the alphabet, or 0xFF when it is not in it.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    /// Encodes bytes as unpadded base64url.
    /// - Parameter bytes: The bytes to encode.
    /// - Returns: The text, using only `A–Z a–z 0–9 - _`.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let input = Array(bytes)
        let length = (input.count * 4 + 2) / 3
        return String(unsafeUninitializedCapacity: length) { output in
            var out = 0
            var index = 0
            while index + 3 <= input.count {
                let chunk = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
                output[out] = alphabet[Int(chunk >> 18 & 63)]
                output[out + 1] = alphabet[Int(chunk >> 12 & 63)]
                output[out + 2] = alphabet[Int(chunk >> 6 & 63)]
                output[out + 3] = alphabet[Int(chunk & 63)]
                out += 4
                index += 3
            }
            let rest = input.count - index
            if rest > 0 {
                let chunk = UInt32(input[index]) << 16 | (rest == 2 ? UInt32(input[index + 1]) << 8 : 0)
                output[out] = alphabet[Int(chunk >> 18 & 63)]
                output[out + 1] = alphabet[Int(chunk >> 12 & 63)]
                out += 2
                if rest == 2 {
                    output[out] = alphabet[Int(chunk >> 6 & 63)]
                    out += 1
                }
            }
            return out
        }
    }

    /// Decodes unpadded base64url; padding or non-zero trailing bits are refused (one spelling per value).
    /// - Parameter text: The text to decode.
    /// - Returns: The bytes, or nil when the text is not base64url (or has bits set past its last byte).
    public static func decode(_ text: String) -> Data? {
        decode(utf8: text.utf8)
    }

    /// Decodes unpadded base64url; padding or non-zero trailing bits are refused (one spelling per value).from its UTF-8 bytes.
    /// - Parameter utf8: The text's bytes.
    /// - Returns: The bytes, or nil when the text is not base64url.
    public static func decode(utf8: some Collection<UInt8>) -> Data? {
        // Tokens and segments are contiguous already (String.UTF8View, ArraySlice): read them in place.
        if let decoded = utf8.withContiguousStorageIfAvailable({ decode(symbols: $0) }) { return decoded }
        return Array(utf8).withUnsafeBufferPointer { decode(symbols: $0) }
    }

    private static func decode(symbols: UnsafeBufferPointer<UInt8>) -> Data? {
        // No padding (RFC 7515 §2 forbids it in JWS) and canonical trailing bits: each value has one spelling, so a
        // token cannot be presented under a second one that caches, logs and hashes (`ath`) see as another.
        let count = symbols.count
        let remainder = count % 4
        if remainder == 1 { return nil }
        // Written into a sized buffer: appending byte by byte to Data cost more than the table lookups.
        var output = Data(count: count / 4 * 3 + max(0, remainder - 1))
        let valid = output.withUnsafeMutableBytes { (output: UnsafeMutableRawBufferPointer) -> Bool in
            var index = 0
            var out = 0
            while index + 4 <= count {
                let a = values[Int(symbols[index])]
                let b = values[Int(symbols[index + 1])]
                let c = values[Int(symbols[index + 2])]
                let d = values[Int(symbols[index + 3])]
                guard a < 64, b < 64, c < 64, d < 64 else { return false }
                let chunk = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                output[out] = UInt8(chunk >> 16 & 0xFF)
                output[out + 1] = UInt8(chunk >> 8 & 0xFF)
                output[out + 2] = UInt8(chunk & 0xFF)
                index += 4
                out += 3
            }
            if remainder > 0 {
                let a = values[Int(symbols[index])]
                let b = values[Int(symbols[index + 1])]
                let c = remainder == 3 ? values[Int(symbols[index + 2])] : 0
                guard a < 64, b < 64, c < 64 else { return false }
                let chunk = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6
                // Canonical form only: the bits past the last whole byte must be zero.
                if remainder == 2, chunk & 0xFFFF != 0 { return false }
                if remainder == 3, chunk & 0xFF != 0 { return false }
                output[out] = UInt8(chunk >> 16 & 0xFF)
                if remainder == 3 { output[out + 1] = UInt8(chunk >> 8 & 0xFF) }
            }
            return true
        }
        return valid ? output : nil
    }

    /// Whether a byte belongs to the base64url alphabet.
    @inlinable
    public static func isAlphabet(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }
}
