import Crypto
import Foundation
import GRDB
import JWTKit
import RotorJWT
import RotorTestSupport
import Testing

/// docs/protocol.md: Rotor's own routes refuse every kind of forged or misused access token. The tokens are built here
/// with swift-crypto, some with the server's real private key read from its database (what an attacker with a
/// copy of an unsealed database could do), so that each rejection tests exactly one rule.
@Suite("Forged access tokens")
struct ForgedTokenTests {
    struct Forger {
        let key: P256.Signing.PrivateKey
        let kid: String
        let issuer = "http://127.0.0.1:8080"

        func token(
            header: [String: Any],
            claims: [String: Any],
            signWith signer: ((Data) throws -> Data)? = nil
        )
            throws -> String
        {
            let h = Base64URL.encode(try JSONSerialization.data(withJSONObject: header))
            let c = Base64URL.encode(try JSONSerialization.data(withJSONObject: claims))
            let input = Data("\(h).\(c)".utf8)
            let signature = try signer?(input) ?? key.signature(for: input).rawRepresentation
            return "\(h).\(c).\(Base64URL.encode(signature))"
        }

        var header: [String: Any] { ["alg": "ES256", "typ": "at+jwt", "kid": kid] }

        func claims(userId: String, sessionId: String, now: Date = Date()) -> [String: Any] {
            let iat = Int(now.timeIntervalSince1970)
            return [
                "iss": issuer, "sub": userId, "aud": issuer, "exp": iat + 900, "iat": iat, "jti": "forged",
                "sid": sessionId, "client_id": "rotor", "scope": "", "roles": [],
            ]
        }
    }

    static func forger(databasePath: String) throws -> Forger {
        let queue = try DatabaseQueue(path: databasePath)
        let row = try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT kid, private_key FROM signing_keys WHERE retired_at IS NULL")
        }
        let pem = String(decoding: try #require(row?["private_key"] as Data?), as: UTF8.self)
        return Forger(key: try P256.Signing.PrivateKey(pemRepresentation: pem), kid: try #require(row?["kid"]))
    }

    @Test("each broken rule is refused with 401 invalid_token, and the well-formed control passes")
    func rejections() async throws {
        try await InProcessServer.run { http, path in
            let signup = try await http.signUp("ada@example.com", "correct horse")
            let userId = try #require(signup.string("id"))
            let login = try await http.signIn()
            let forger = try Self.forger(databasePath: path)
            let claims = forger.claims(userId: userId, sessionId: login.session)
            let jwks = try await http.get("/.well-known/jwks.json").text
            let outsider = P256.Signing.PrivateKey()

            // The control: everything right, signed by the real key. If this failed, the rejections below would
            // prove nothing.
            let control = try forger.token(header: forger.header, claims: claims)
            #expect(try await http.get("/v1/me", bearer: control).status == 200)

            func with(
                _ header: [String: Any] = [:],
                removing: [String] = [],
                claims overrides: [String: Any] = [:],
                removingClaims: [String] = []
            ) -> ([String: Any], [String: Any]) {
                var h = forger.header.merging(header) { _, new in new }
                for name in removing { h[name] = nil }
                var c = claims.merging(overrides) { _, new in new }
                for name in removingClaims { c[name] = nil }
                return (h, c)
            }
            let now = Int(Date().timeIntervalSince1970)
            var forged: [(String, String)] = []
            func add(
                _ name: String,
                _ parts: ([String: Any], [String: Any]),
                signer: ((Data) throws -> Data)? = nil
            ) throws {
                forged.append((name, try forger.token(header: parts.0, claims: parts.1, signWith: signer)))
            }
            try add("alg none", with(["alg": "none"]), signer: { _ in Data() })
            try add(
                "HS256 keyed with the public JWK",
                with(["alg": "HS256"]),
                signer: { input in
                    Data(HMAC<SHA256>.authenticationCode(for: input, using: SymmetricKey(data: Data(jwks.utf8))))
                }
            )
            try add(
                "HS256 keyed with the public key bytes",
                with(["alg": "HS256"]),
                signer: { input in
                    Data(
                        HMAC<SHA256>.authenticationCode(
                            for: input,
                            using: SymmetricKey(data: forger.key.publicKey.x963Representation)
                        )
                    )
                }
            )
            try add("unknown kid", with(["kid": "no-such-key"]))
            try add("missing kid", with(removing: ["kid"]))
            try add(
                "signed by an outsider under the real kid",
                with(),
                signer: { try outsider.signature(for: $0).rawRepresentation }
            )
            try add("embedded jwk", with(["jwk": ["kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"]]))
            try add("jku", with(["jku": "https://attacker.example/jwks.json"]))
            try add("x5u", with(["x5u": "https://attacker.example/cert.pem"]))
            try add("typ JWT", with(["typ": "JWT"]))
            try add("no typ", with(removing: ["typ"]))
            try add("wrong iss", with(claims: ["iss": "https://evil.example"]))
            try add("wrong aud", with(claims: ["aud": "https://other.example"]))
            try add("expired beyond the leeway", with(claims: ["exp": now - 31, "iat": now - 931]))
            // Ten minutes ahead, not just past the 30 s leeway: a loaded suite once took longer than that to send it.
            try add("not yet valid beyond the leeway", with(claims: ["iat": now + 600, "exp": now + 1500]))
            try add("missing exp", with(removingClaims: ["exp"]))
            try add("missing sub", with(removingClaims: ["sub"]))
            try add("ES256 claimed, RS256 named", with(["alg": "RS256"]))

            var tamperedPayload = control.split(separator: ".").map(String.init)
            var payload = claims
            payload["roles"] = ["admin"]
            tamperedPayload[1] = Base64URL.encode(try JSONSerialization.data(withJSONObject: payload))
            forged.append(("tampered payload", tamperedPayload.joined(separator: ".")))
            var tamperedSignature = control.split(separator: ".").map(String.init)
            var signature = try #require(Base64URL.decode(tamperedSignature[2]))
            signature[5] ^= 0x01
            tamperedSignature[2] = Base64URL.encode(signature)
            forged.append(("tampered signature", tamperedSignature.joined(separator: ".")))
            forged.append(("two segments", control.split(separator: ".").prefix(2).joined(separator: ".")))

            for (name, token) in forged {
                let answer = try await http.get("/v1/me", bearer: token)
                #expect(
                    answer.status == 401 && answer.error == "invalid_token",
                    "\(name) was accepted: \(answer.status)"
                )
            }
        }
    }

    @Test("a second spelling of a valid token is refused: base64url padding, or a Kelvin sign for a K")
    func secondSpellings() async throws {
        try await InProcessServer.run { http, _ in
            try await http.signUp("ada@example.com", "correct horse")
            // A token with a K in it (almost every one has one); the first use puts it in the verified cache.
            var token = ""
            for _ in 0..<20 where !token.contains("K") {
                token = try await http.login("ada@example.com", "correct horse").issued().access
            }
            #expect(token.contains("K"))
            #expect(try await http.get("/v1/me", bearer: token).status == 200)
            // U+212A compares equal to "K" as a Swift String: keyed by String, the cache took it for the token.
            let kelvin = token.replacingOccurrences(of: "K", with: "\u{212A}")
            let answer = try await http.get("/v1/me", bearer: kelvin)
            #expect(answer.status == 401 && answer.error == "invalid_token", "\(answer.status)")
            // A 64-byte signature is 86 symbols: "==" pads it to a second spelling of the same bytes.
            let padded = try await http.get("/v1/me", bearer: token + "==")
            #expect(padded.status == 401, "padding accepted")
        }
    }
}
