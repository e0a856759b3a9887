import Foundation
import RotorJWT
import Testing

@Suite("Base64url")
struct Base64URLTests {
    /// Foundation's base64 with the RFC 4648 §5 substitutions: the reference the table-driven codec must match.
    static func reference(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    @Test("encodes like Foundation and decodes back, for every length up to 70 and random bytes")
    func roundTrip() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...70 {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let text = Base64URL.encode(bytes)
                #expect(text == Self.reference(bytes))
                #expect(Base64URL.decode(text) == Data(bytes))
                // Padding is a second spelling of the same bytes: refused.
                let padded = text + String(repeating: "=", count: (4 - text.utf8.count % 4) % 4)
                if padded != text { #expect(Base64URL.decode(padded) == nil, "\(padded)") }
            }
        }
    }

    @Test("refuses what is not canonical base64url")
    func refusals() {
        for text in ["a", "abcde", "ab+c", "ab/c", "ab c", "abc=d", "ab===", "a===", "ab=", "é", "AB", "AAB"] {
            #expect(Base64URL.decode(text) == nil, "\(text)")
        }
        #expect(Base64URL.decode("AA") == Data([0]))
        #expect(Base64URL.decode("AAA") == Data([0, 0]))
        #expect(Base64URL.decode("") == Data())
    }
}
