import RotorCore
import RotorJWT
import Testing

/// `SecureRandom` reads the kernel's CSPRNG itself (one `getentropy` call) rather than through swift-crypto.
@Suite("Secure random bytes")
struct SecureRandomTests {
    @Test("every size fills all its bytes: no word of 64 zero bits in 2,000 draws of each", arguments: [8, 16, 32, 64])
    func filled(_ count: Int) {
        for _ in 0..<2_000 {
            let bytes = SecureRandom.bytes(count)
            #expect(bytes.count == count)
            for word in stride(from: 0, to: count, by: 8) {
                #expect(bytes[word..<word + 8].contains { $0 != 0 }, "a zero word at \(word) of \(count)")
            }
        }
    }

    @Test("10,000 identifiers of 16 bytes are distinct, 22 base64url characters each")
    func identifiers() {
        let drawn = (0..<10_000).map { _ in SecureRandom.identifier(byteCount: 16) }
        #expect(Set(drawn).count == drawn.count)
        #expect(drawn.allSatisfy { $0.utf8.count == 22 && $0.utf8.allSatisfy(Base64URL.isAlphabet) })
    }

    @Test("each byte value turns up about as often as the others over 256,000 bytes")
    func spread() {
        var counts = [Int](repeating: 0, count: 256)
        for _ in 0..<4_000 { for byte in SecureRandom.bytes(64) { counts[Int(byte)] += 1 } }
        // 1,000 expected per value; a stuck or short fill puts some value far outside this.
        #expect(counts.allSatisfy { (800...1_200).contains($0) }, "\(counts.min()!)...\(counts.max()!)")
    }
}
