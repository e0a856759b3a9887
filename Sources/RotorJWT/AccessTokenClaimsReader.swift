package import Foundation
import JWTKit

/// Reads access-token claims written exactly as ``AccessTokenJSONEncoder`` writes them, without Foundation.
///
/// Decoding the claims with `JSONDecoder` cost about a fifth of a first-sight verification (its keyed containers
/// and the claim wrappers), as much as everything but the ECDSA check together. Rotor's own tokens always carry one
/// form: the members in one order, no whitespace, integer dates, strings without escapes. This reads that form
/// only and answers nil for anything else — another order, an escape, a float, a duplicate or unknown member,
/// trailing bytes — so that `JSONDecoder` decides every other payload. Whatever it accepts decodes to the same
/// claims with `JSONDecoder` (a test compares both on every form it accepts and on many it must refuse).
package enum AccessTokenClaimsReader {
    /// The claims, or nil when `json` is not in Rotor's own form.
    package static func read(_ json: Data) -> AccessTokenClaims? {
        json.withUnsafeBytes { raw in
            var cursor = Cursor(bytes: raw.bindMemory(to: UInt8.self))
            return cursor.claims()
        }
    }

    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        mutating func claims() -> AccessTokenClaims? {
            guard literal("{\"iss\":"), let iss = string(),
                literal(",\"sub\":"), let sub = string(),
                literal(",\"aud\":"), let aud = audience(),
                literal(",\"exp\":"), let exp = seconds(),
                literal(",\"iat\":"), let iat = seconds(),
                literal(",\"jti\":"), let jti = string(),
                let sid = optionalSessionId(),
                literal(",\"client_id\":"), let clientId = string(),
                literal(",\"scope\":"), let scope = string(),
                literal(",\"roles\":"), let roles = strings()
            else { return nil }
            var claims = AccessTokenClaims(
                iss: iss,
                sub: sub,
                aud: aud,
                exp: exp,
                iat: iat,
                jti: jti,
                sid: sid,
                clientId: clientId,
                scope: scope,
                roles: roles
            )
            if literal(",\"cnf\":{\"jkt\":") {
                guard let jkt = string(), literal("}") else { return nil }
                claims.cnf = Confirmation(jkt: jkt)
            }
            if literal(",\"nbf\":") {
                guard let nbf = seconds() else { return nil }
                claims.nbf = NotBeforeClaim(value: nbf)
            }
            guard literal("}"), index == bytes.count else { return nil }
            return claims
        }

        /// `.some(sid)` for a person's token, `.some(nil)` for a machine's (no `sid` member), nil for a bad `sid`.
        mutating func optionalSessionId() -> String?? {
            guard literal(",\"sid\":") else { return .some(nil) }
            guard let sid = string() else { return nil }
            return .some(sid)
        }

        /// Consumes `text` if the input continues with it.
        mutating func literal(_ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            guard bytes.count - index >= count else { return false }
            let start = text.utf8Start
            for offset in 0..<count where bytes[index + offset] != start[offset] { return false }
            index += count
            return true
        }

        /// A string with no escape and no control character, as valid UTF-8.
        mutating func string() -> String? {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            let start = index + 1
            var end = start
            while end < bytes.count {
                let byte = bytes[end]
                if byte == UInt8(ascii: "\"") { break }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
                end += 1
            }
            guard end < bytes.count else { return nil }
            index = end + 1
            return String(validating: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }

        /// `[]` or `["a","b",…]`.
        mutating func strings() -> [String]? {
            guard literal("[") else { return nil }
            var values: [String] = []
            if literal("]") { return values }
            repeat {
                guard let value = string() else { return nil }
                values.append(value)
            } while literal(",")
            return literal("]") ? values : nil
        }

        /// One audience as a string, or several as an array (as jwt-kit's `AudienceClaim` reads both).
        mutating func audience() -> [String]? {
            if let single = string() { return [single] }
            return strings()
        }

        /// A NumericDate as Rotor writes it: an integer of at most 15 digits, no sign, no leading zero.
        mutating func seconds() -> Date? {
            let start = index
            var value: Int64 = 0
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                value = value * 10 + Int64(bytes[index] - UInt8(ascii: "0"))
                index += 1
            }
            let digits = index - start
            guard digits >= 1, digits <= 15, digits == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
            // A fraction or an exponent is another form: leave it to JSONDecoder.
            if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) {
                return nil
            }
            return Date(timeIntervalSince1970: TimeInterval(value))
        }
    }
}
