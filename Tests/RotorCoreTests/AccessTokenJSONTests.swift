import Foundation
import JWTKit
import RotorJWT
import Testing

/// The hand-written JSON of signed claims and headers must say exactly what Foundation's encoder says.
@Suite("Access-token JSON")
struct AccessTokenJSONTests {
    static func object(_ data: Data) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: data) as? NSDictionary)
    }

    static let awkward = [
        "", "plain", "https://auth.example.com/path", "quote \" and \\ backslash", "tab\there",
        "line\nbreak\r", "\u{01}\u{1F}\u{7F}", "ünïcødé ✓ 🔑", "</script>",
    ]

    @Test("claims: the same members and values as JSONEncoder, for awkward strings, both audience forms, with no sid")
    func claims() throws {
        let encoder = AccessTokenJSONEncoder()
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        for text in Self.awkward {
            for (audience, sid) in [([text], "s\(text)"), (["https://a.example", text], "s\(text)"), ([text], nil)] {
                let claims = AccessTokenClaims(
                    iss: text,
                    sub: "u-\(text)",
                    aud: audience,
                    exp: now.addingTimeInterval(900),
                    iat: now,
                    jti: text,
                    sid: sid,
                    clientId: text,
                    scope: text,
                    roles: [text, "admin"]
                )
                let fast = try encoder.encode(claims)
                let reference = try encoder.fallback.encode(claims)
                #expect(try Self.object(fast) == Self.object(reference), "\(text)")
                // And jwt-kit reads it back as the same claims.
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .integerSecondsSince1970
                #expect(try decoder.decode(AccessTokenClaims.self, from: fast) == claims)
            }
        }
    }

    @Test("headers of strings are written directly; anything else goes to JSONEncoder")
    func headers() throws {
        let encoder = AccessTokenJSONEncoder()
        var header = JWTHeader()
        header.alg = "ES256"
        header.typ = "at+jwt"
        header.kid = "es256-20261201-\u{22}x"
        #expect(try Self.object(encoder.encode(header)) == Self.object(encoder.fallback.encode(header)))
        header.fields["crit"] = .array([.string("b64")])
        #expect(try Self.object(encoder.encode(header)) == Self.object(encoder.fallback.encode(header)))
    }
}
