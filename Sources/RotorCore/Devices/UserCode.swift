/// The code a person types at `/device` (RFC 8628 §6.1): 8 letters from an alphabet with no vowels (no words, no
/// 0/O or 1/I confusion), shown `XXXX-XXXX`. Guessing is bounded by the login limits, not by the code's length:
/// 20⁸ ≈ 2.6 × 10¹⁰ codes against a handful of live ones and 5 wrong tries per person per 15 minutes.
public enum UserCode {
    /// The letters a user code is made of (SPEC §8).
    public static let alphabet = Array("BCDFGHJKLMNPQRSTVWXZ")
    /// Letters in a code.
    public static let length = 8

    /// A new random code, without its hyphen.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// The code as shown: `XXXX-XXXX`.
    public static func display(_ code: String) -> String {
        guard code.count == length else { return code }
        return String(code.prefix(length / 2)) + "-" + String(code.suffix(length / 2))
    }

    /// What a person typed, as the code it must be: case, spaces and hyphens do not matter; nil for anything that
    /// cannot be a code (another letter, a digit, too short or too long), so that a typo costs no lookup.
    public static func normalize(_ typed: String) -> String? {
        guard typed.utf8.count <= 64 else { return nil }
        let letters = typed.uppercased().filter { $0 != "-" && $0 != " " }
        guard letters.count == length, letters.allSatisfy(alphabet.contains) else { return nil }
        return letters
    }
}
