public import Crypto
public import Foundation
public import JWTKit
import RotorCore
import RotorJWT
public import RotorProtocol

/// A client's P-256 signing key, as its private_key_jwt assertions use it.
public struct AssertionKey: Sendable {
    /// Its id in the client's JWK set.
    public let kid: String
    /// The private key.
    public let key = P256.Signing.PrivateKey()

    /// A new random key named `kid`.
    public init(kid: String) {
        self.kid = kid
    }

    /// The public JWK (what the client registers or publishes).
    public var jwk: JSONValue {
        let point = key.publicKey.x963Representation
        return .object([
            "kty": .string("EC"), "crv": .string("P-256"), "kid": .string(kid), "use": .string("sig"),
            "x": .string(Base64URL.encode(point[1..<33])), "y": .string(Base64URL.encode(point[33..<65])),
        ])
    }

    /// A JWK set of `keys`.
    public static func set(_ keys: [AssertionKey]) -> JSONValue { .object(["keys": .array(keys.map(\.jwk))]) }

    /// An assertion for `client` to Rotor's token endpoint, valid for a minute from `now`, unless told otherwise.
    public func assertion(
        client: String,
        issuer: String = "http://127.0.0.1:8080",
        now: Date = Date(),
        iss: String? = nil,
        aud: String? = nil,
        lifetime: TimeInterval = 60,
        jti: String = UUID().uuidString,
        kid: String? = nil,
        header: JWTHeader = JWTHeader()
    ) async throws -> String {
        let keys = JWTKeyCollection()
        let name = JWKIdentifier(string: kid ?? self.kid)
        await keys.add(ecdsa: try ES256PrivateKey(backing: key), kid: name)
        return try await keys.sign(
            ClientAssertion.Claims(
                iss: iss ?? client,
                sub: client,
                aud: [aud ?? issuer + "/oauth/token"],
                exp: now.addingTimeInterval(lifetime),
                iat: now,
                jti: jti
            ),
            kid: name,
            header: header
        )
    }

    /// The form fields that present `assertion`.
    public static func form(_ assertion: String) -> String {
        "grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type"
            + "%3Ajwt-bearer&client_assertion=\(assertion)"
    }
}

extension JSONValue {
    /// The same value as a jwt-kit header field.
    public var jwtField: JWTHeaderField {
        switch self {
        case .null: .null
        case .bool(let value): .bool(value)
        case .number(let value): .decimal(value)
        case .string(let value): .string(value)
        case .array(let values): .array(values.map(\.jwtField))
        case .object(let members): .object(members.mapValues(\.jwtField))
        }
    }
}
