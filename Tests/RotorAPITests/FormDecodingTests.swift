import Foundation
import RotorAPI
import Testing

/// The form decoder is written by hand for speed; it must read every form as Foundation's percent-decoding did.
@Suite("Form decoding")
struct FormDecodingTests {
    /// What the decoder replaced: `+` as a space, then Foundation's `removingPercentEncoding`, per component.
    static func reference(_ text: String) -> [(String, String)]? {
        var pairs: [(String, String)] = []
        for piece in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = parts[0].replacingOccurrences(of: "+", with: " ").removingPercentEncoding,
                let value = (parts.count > 1 ? parts[1] : "").replacingOccurrences(of: "+", with: " ")
                    .removingPercentEncoding
            else { return nil }
            pairs.append((name, value))
        }
        return pairs
    }

    static func decoded(_ text: String) -> [(String, String)]? {
        (try? FormBody.query(text))?.map { ($0.name, $0.value) }
    }

    @Test(
        "forms read as before: escapes in either case, plus as space, empty and missing values, repeated names",
        arguments: [
            (
                "grant_type=client_credentials&scope=reports.read",
                [("grant_type", "client_credentials"), ("scope", "reports.read")]
            ),
            ("a=1+2&b=%2B%2b&c=%e2%9C%93", [("a", "1 2"), ("b", "++"), ("c", "✓")]),
            ("&&a=&b&=c&", [("a", ""), ("b", ""), ("", "c")]),
            ("x=a=b&x=%3D", [("x", "a=b"), ("x", "=")]),
            ("redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fq%3D1", [("redirect_uri", "https://app.example/cb?q=1")]),
            ("n=%00", [("n", "\u{0}")]),
            ("", []),
        ] as [(String, [(String, String)])]
    )
    func table(_ text: String, _ expected: [(String, String)]) throws {
        let pairs = try #require(Self.decoded(text))
        #expect(pairs.map(\.0) == expected.map(\.0) && pairs.map(\.1) == expected.map(\.1), "\(text)")
    }

    @Test(
        "bad escapes and bytes that are not UTF-8 are refused",
        arguments: ["a=%", "a=%4", "a=%zz", "%g0=1", "a=%ff", "a=%C3", "a=%A9"]
    )
    func refused(_ text: String) {
        #expect(Self.decoded(text) == nil, "\(text)")
    }

    @Test("10,000 seeded random forms decode exactly as Foundation decoded them")
    func sameAsFoundation() {
        var generator = HostileInputTests.SeededGenerator(state: 0x5eed)
        // Escapes of ASCII bytes only: Foundation on Linux reads a lone byte ≥ 0x80 (`%A9`) as Latin-1, which the
        // decoder refuses as not UTF-8, as a body that is not UTF-8 always was (`refused`).
        let alphabet = Array("ab=&+%%%01234567Gg~.-_ é✓".unicodeScalars)
        for _ in 0..<10_000 {
            let length = Int.random(in: 0...24, using: &generator)
            var text = String.UnicodeScalarView()
            for _ in 0..<length { text.append(alphabet.randomElement(using: &generator)!) }
            let form = String(text)
            let mine = Self.decoded(form)
            let theirs = Self.reference(form)
            #expect(mine?.map(\.0) == theirs?.map(\.0) && mine?.map(\.1) == theirs?.map(\.1), "\(form)")
        }
    }
}
