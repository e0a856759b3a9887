import Foundation
import JWTKit
import RotorCore
import Testing

/// The claim rules of `private_key_jwt` assertions (RFC 7523 §3), as a table, and the one algorithm each kind of
/// key verifies.
@Suite("Client assertions: private_key_jwt")
struct ClientAssertionTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)
    static let issuer = "https://auth.example.com"
    static let audiences: Set<String> = [issuer, issuer + "/oauth/token"]

    static func claims(
        iss: String? = "svc",
        sub: String? = "svc",
        aud: [String]? = [issuer + "/oauth/token"],
        exp: TimeInterval? = 60,
        iat: TimeInterval? = nil,
        jti: String? = "j-1"
    ) -> ClientAssertion.Claims {
        ClientAssertion.Claims(
            iss: iss,
            sub: sub,
            aud: aud,
            exp: exp.map { now.addingTimeInterval($0) },
            iat: iat.map { now.addingTimeInterval($0) },
            jti: jti
        )
    }

    @Test(
        "who gets in",
        arguments: [
            (claims(), nil),
            (claims(aud: [issuer]), nil),
            (claims(aud: ["https://other.example", issuer]), nil),
            (claims(exp: 300), nil),
            (claims(exp: -20), nil),  // within the leeway
            (claims(iat: 20), nil),
            (claims(iss: "other"), .wrongClient),
            (claims(sub: "other"), .wrongClient),
            (claims(iss: nil), .wrongClient),
            (claims(sub: nil), .wrongClient),
            (claims(aud: ["https://other.example"]), .wrongAudience),
            (claims(aud: [issuer + "/oauth/token/"]), .wrongAudience),
            (claims(aud: nil), .wrongAudience),
            (claims(exp: nil), .expired),
            (claims(exp: -31), .expired),
            (claims(exp: 331), .lifetimeTooLong),
            (claims(exp: 86_400), .lifetimeTooLong),
            (claims(iat: 31), .notYetValid),
            (claims(jti: nil), .missingJTI),
            (claims(jti: ""), .missingJTI),
            (claims(jti: String(repeating: "j", count: 257)), .missingJTI),
        ] as [(ClientAssertion.Claims, ClientAssertion.Refusal?)]
    )
    func rules(_ claims: ClientAssertion.Claims, _ refusal: ClientAssertion.Refusal?) {
        do {
            let (jti, until) = try ClientAssertion.check(
                claims,
                clientId: "svc",
                audiences: Self.audiences,
                now: Self.now,
                leeway: 30
            )
            #expect(refusal == nil, "accepted, expected \(String(describing: refusal))")
            #expect(jti == claims.jti && until == claims.exp!.value.addingTimeInterval(30))
        } catch {
            #expect(error == refusal)
        }
    }

    @Test("the client an assertion names is read without trusting it; garbage names none")
    func claimedClient() {
        let payload = Data(#"{"iss":"a","sub":"svc"}"#.utf8).base64EncodedString()
            .replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
        #expect(ClientAssertion.claimedClient("e30.\(payload).sig") == "svc")
        #expect(ClientAssertion.claimedClient("not a jwt") == nil)
        #expect(ClientAssertion.claimedClient("e30.!!!.sig") == nil)
        #expect(ClientAssertion.claimedClient("e30.\(payload).sig." + String(repeating: "a", count: 9000)) == nil)
    }
}

extension ClientAssertionTests {
    @Test(
        "each key verifies one algorithm, fixed by its kind and never by a token",
        arguments: [
            (#"{"kty":"RSA","n":"AQAB","e":"AQAB"}"#, "RS256"),
            (#"{"kty":"RSA","n":"AQAB","e":"AQAB","alg":"PS256"}"#, "PS256"),
            (#"{"kty":"RSA","n":"AQAB","e":"AQAB","alg":"ES256"}"#, nil),
            (#"{"kty":"RSA","n":"AQAB","e":"AQAB","alg":"RS384"}"#, nil),
            (#"{"kty":"EC","crv":"P-256","x":"AQAB","y":"AQAB"}"#, "ES256"),
            (#"{"kty":"EC","crv":"P-384","x":"AQAB","y":"AQAB"}"#, nil),
            (#"{"kty":"EC","crv":"P-256","x":"AQAB","y":"AQAB","alg":"RS256"}"#, nil),
            (#"{"kty":"OKP","crv":"Ed25519","x":"AQAB"}"#, "EdDSA"),
            (#"{"kty":"EC","crv":"P-256","x":"AQAB","y":"AQAB","d":"AQAB"}"#, nil),
        ] as [(String, String?)]
    )
    func keyAlgorithms(_ json: String, _ algorithm: String?) throws {
        let jwk = try JSONDecoder().decode(JWK.self, from: Data(json.utf8))
        #expect(ClientKeySets.algorithm(of: jwk) == algorithm)
    }
}
