import Foundation
import RotorCore
import Testing

@Suite("Refresh token format and child sealing")
struct TokenFormatTests {
    @Test("tokens are 256 random bits, URL-safe, prefixed, and unique")
    func format() {
        var seen = Set<String>()
        for _ in 0..<1_000 {
            let token = RefreshToken.generate()
            #expect(token.value.hasPrefix("rtr_"))
            #expect(token.value.utf8.count == 47)
            #expect(token.value.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
            #expect(RefreshToken(presented: token.value) == token)
            seen.insert(token.value)
        }
        #expect(seen.count == 1_000)
    }

    @Test("garbage is refused before any lookup")
    func garbage() {
        for text in [
            "", "rtr_", "rtr_short", "xyz_" + String(repeating: "a", count: 43),
            "rtr_" + String(repeating: "a", count: 42) + "!", "rtr_" + String(repeating: "a", count: 44),
        ] {
            #expect(RefreshToken(presented: text) == nil)
        }
    }

    @Test("the hash is SHA-256 and never contains the token")
    func hash() {
        let token = RefreshToken.generate()
        #expect(token.hash.count == 32)
        #expect(token.hash == RefreshToken(presented: token.value)?.hash)
        #expect(!String(decoding: token.hash, as: UTF8.self).contains(token.value))
        #expect("\(token)" == "rtr_<redacted>")
    }

    @Test("a sealed child opens only with its parent")
    func sealing() throws {
        let parent = RefreshToken.generate()
        let child = RefreshToken.generate()
        let sealed = try ChildTokenSeal.seal(child, parent: parent)
        #expect(ChildTokenSeal.open(sealed, parent: parent) == child)
        #expect(ChildTokenSeal.open(sealed, parent: RefreshToken.generate()) == nil)
        #expect(sealed.range(of: Data(child.value.utf8)) == nil)
        var tampered = sealed
        tampered[tampered.count - 1] ^= 1
        #expect(ChildTokenSeal.open(tampered, parent: parent) == nil)
    }
}
