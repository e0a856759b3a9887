import Foundation
import JWTKit
import Testing

@testable import RotorJWT

/// The direct reader of Rotor's own claims form must agree with `JSONDecoder` on everything it accepts, and leave
/// everything else to it.
@Suite("Access-token claims reader")
struct AccessTokenClaimsReaderTests {
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()

    static func claims(
        _ text: String,
        audience: [String],
        cnf: Bool,
        nbf: Bool,
        machine: Bool = false
    ) -> AccessTokenClaims {
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        var claims = AccessTokenClaims(
            iss: "https://auth.example.com",
            sub: "u-\(text)",
            aud: audience,
            exp: now.addingTimeInterval(900),
            iat: now,
            jti: "j\(text)",
            sid: machine ? nil : "s-\(text)",
            clientId: "rotor",
            scope: text,
            roles: [text, "admin"],
            cnf: cnf ? Confirmation(jkt: "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I") : nil
        )
        if nbf { claims.nbf = NotBeforeClaim(value: now) }
        return claims
    }

    static func encoded(_ claims: AccessTokenClaims) throws -> Data {
        try AccessTokenJSONEncoder().encode(claims)
    }

    /// The reader either declines or says what JSONDecoder says.
    static func agrees(_ json: Data) -> Bool {
        guard let fast = AccessTokenClaimsReader.read(json) else { return true }
        return (try? decoder.decode(AccessTokenClaims.self, from: json)) == fast
    }

    @Test("Rotor's own form is read directly, for every audience form, with and without cnf, nbf and sid")
    func ownForm() throws {
        for text in ["", "plain", "ünïcødé ✓ 🔑", "</script>", "https://a.example/p?q=1"] {
            for audience in [["https://auth.example.com"], ["https://a.example", "https://b.example"], []] {
                for (cnf, machine) in [(false, false), (true, false), (false, true)] {
                    for nbf in [false, true] {
                        let claims = Self.claims(text, audience: audience, cnf: cnf, nbf: nbf, machine: machine)
                        let json = try Self.encoded(claims)
                        #expect(
                            AccessTokenClaimsReader.read(json) == claims,
                            "\(String(decoding: json, as: UTF8.self))"
                        )
                        #expect(AccessTokenClaims.decode(json: json) == claims)
                    }
                }
            }
        }
    }

    @Test("strings with escapes are left to JSONDecoder, which reads them")
    func escapes() throws {
        for text in ["quote \" here", "back\\slash", "tab\there", "line\nbreak", "\u{01}"] {
            let claims = Self.claims(text, audience: ["https://auth.example.com"], cnf: false, nbf: false)
            let json = try Self.encoded(claims)
            #expect(AccessTokenClaimsReader.read(json) == nil)
            #expect(AccessTokenClaims.decode(json: json) == claims)
        }
    }

    @Test(
        "other forms are declined: whitespace, order, duplicates, unknown members, floats, signs, zeros, trailing bytes"
    )
    func otherForms() throws {
        let json = String(
            decoding: try Self.encoded(
                Self.claims(
                    "x",
                    audience: ["https://auth.example.com"],
                    cnf: false,
                    nbf: false
                )
            ),
            as: UTF8.self
        )
        let open = String(json.dropLast())
        let body = String(json.dropFirst())
        func replacing(_ target: String, _ replacement: String) -> String {
            json.replacingOccurrences(of: target, with: replacement)
        }
        var variants: [String] = []
        variants.append(replacing(",", ", "))
        variants.append("{ " + body)
        variants.append(json + " ")
        variants.append(json + "x")
        variants.append(open + ",\"sid\":\"other\"}")
        variants.append(open + ",\"extra\":1}")
        for nbf in ["1.5", "-1", "01", "1e3", "1234567890123456", "\"1\""] {
            variants.append(open + ",\"nbf\":" + nbf + "}")
        }
        variants.append(replacing("\"exp\":1795000900", "\"exp\":1795000900.0"))
        variants.append(replacing("\"exp\":1795000900", "\"exp\":\"1795000900\""))
        variants.append(replacing("\"roles\":[\"x\",\"admin\"]", "\"roles\":[\"x\",]"))
        variants.append(replacing("\"roles\":[\"x\",\"admin\"]", "\"roles\":\"x\""))
        variants.append(replacing("\"iss\":", "\"iss\" :"))
        variants.append("{\"sub\":\"u\"," + body)
        variants.append(replacing("\"sid\":\"s-x\"", "\"sid\":null"))
        variants.append(replacing("\"sid\":\"s-x\",", "").replacingOccurrences(of: "}", with: ",\"sid\":\"s-x\"}"))
        for variant in variants {
            #expect(AccessTokenClaimsReader.read(Data(variant.utf8)) == nil, "\(variant)")
        }
        // Every prefix is declined (none is a whole object in Rotor's form but the whole).
        let bytes = Array(json.utf8)
        for length in 0..<bytes.count {
            #expect(AccessTokenClaimsReader.read(Data(bytes[..<length])) == nil)
        }
    }

    @Test("random byte changes: the reader declines or agrees with JSONDecoder, 5,000 mutations")
    func mutations() throws {
        var generator = SystemRandomNumberGenerator()
        let base = Array(
            try Self.encoded(
                Self.claims(
                    "x",
                    audience: ["https://auth.example.com"],
                    cnf: true,
                    nbf: true
                )
            )
        )
        let alphabet = Array("{}[]\",:0123456789.eE-+ \\nulltruefalse\u{00}\u{FF}abc".utf8)
        var accepted = 0
        for _ in 0..<5_000 {
            var bytes = base
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[position] = alphabet.randomElement(using: &generator)!
                case 1: bytes.remove(at: position)
                default: bytes.insert(alphabet.randomElement(using: &generator)!, at: position)
                }
                if bytes.isEmpty { bytes = base }
            }
            let json = Data(bytes)
            #expect(Self.agrees(json), "\(String(decoding: json, as: UTF8.self))")
            if AccessTokenClaimsReader.read(json) != nil { accepted += 1 }
        }
        // Changes inside string values and digits stay in Rotor's form: the reader must have read some of them.
        #expect(accepted > 0)
    }
}
