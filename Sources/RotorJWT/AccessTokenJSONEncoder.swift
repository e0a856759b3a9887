public import Foundation
public import JWTKit

/// The JSON encoder Rotor hands to jwt-kit for signing: it writes the two things Rotor signs on every login and
/// refresh — ``AccessTokenClaims`` and a header of plain strings (`alg`, `kid`, `typ`) — directly, and passes
/// anything else to Foundation's `JSONEncoder`.
///
/// Foundation's encoder took 8 % of a refresh (its keyed containers, not the bytes); this writes the same JSON
/// members (a test decodes both and compares) with integer NumericDates and unescaped slashes, as
/// ``fallback`` is configured.
public struct AccessTokenJSONEncoder: JWTJSONEncoder {
    /// What encodes every other value: integer dates, no escaped slashes.
    public let fallback: JSONEncoder

    /// Creates the encoder.
    public init() {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .integerSecondsSince1970
        encoder.outputFormatting = [.withoutEscapingSlashes]
        fallback = encoder
    }

    /// Encodes `value` as JSON.
    /// - Parameter value: Claims, a header, or anything `Encodable`.
    /// - Returns: The UTF-8 JSON text.
    /// - Throws: What the fallback encoder throws.
    public func encode<T: Encodable>(_ value: T) throws -> Data {
        if let claims = value as? AccessTokenClaims {
            return Self.writer(claims).data
        }
        if let header = value as? JWTHeader, let writer = Self.writer(header) {
            return writer.data
        }
        return try fallback.encode(value)
    }

    static func json(_ claims: AccessTokenClaims) -> String { writer(claims).text }

    private static func writer(_ claims: AccessTokenClaims) -> JSONObjectWriter {
        var out = JSONObjectWriter()
        out.begin()
        out.member("iss", string: claims.iss.value)
        out.member("sub", string: claims.sub.value)
        // jwt-kit's AudienceClaim writes one audience as a string, several as an array.
        if claims.aud.value.count == 1 {
            out.member("aud", string: claims.aud.value[0])
        } else {
            out.member("aud", strings: claims.aud.value)
        }
        out.member("exp", seconds: claims.exp.value)
        out.member("iat", seconds: claims.iat.value)
        out.member("jti", string: claims.jti.value)
        if let sid = claims.sid {
            out.member("sid", string: sid)
        }
        out.member("client_id", string: claims.clientId)
        out.member("scope", string: claims.scope)
        out.member("roles", strings: claims.roles)
        if let cnf = claims.cnf {
            out.member("cnf", object: [("jkt", cnf.jkt)])
        }
        if let nbf = claims.nbf {
            out.member("nbf", seconds: nbf.value)
        }
        out.end()
        return out
    }

    /// A header whose members are all strings, or nil for anything richer (left to Foundation).
    static func json(_ header: JWTHeader) -> String? { writer(header)?.text }

    private static func writer(_ header: JWTHeader) -> JSONObjectWriter? {
        var out = JSONObjectWriter()
        out.begin()
        for name in header.fields.keys.sorted() {
            guard let value = header.fields[name]?.asString else { return nil }
            out.member(name, string: value)
        }
        out.end()
        return out
    }
}
