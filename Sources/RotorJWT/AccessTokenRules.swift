public import Foundation
import JWTKit

/// Why an access token was refused. The case tells operators and tests what failed; clients only ever see
/// `invalid_token`.
public enum AccessTokenRejection: Error, Sendable, Equatable {
    /// Not a compact JWS with a JSON header.
    case malformed
    /// `typ` is not `at+jwt`.
    case wrongType
    /// `alg` is missing, `none`, or not the algorithm of the key named by `kid`.
    case algorithmNotAllowed
    /// `kid` is missing or names no key Rotor publishes.
    case unknownKey
    /// The header carries its own key material (`jwk`, `jku`, `x5u`, `x5c`), which is never trusted.
    case embeddedKey
    /// The signature does not verify.
    case badSignature
    /// `iss` is not the configured issuer.
    case wrongIssuer
    /// `aud` does not contain the configured audience.
    case wrongAudience
    /// `exp` is in the past (beyond the leeway).
    case expired
    /// `iat` (or `nbf`) is in the future (beyond the leeway).
    case notYetValid
}

/// The rules every verifier of a Rotor access token applies (docs/protocol.md, RFC 9068 §4, RFC 8725).
public struct AccessTokenRules: Sendable, Equatable {
    /// The only accepted `typ`.
    public static let tokenType = "at+jwt"

    /// The expected `iss`.
    public var issuer: String
    /// The audience that must be in `aud`.
    public var audience: String
    /// Clock skew tolerated on `exp`, `iat` and `nbf`.
    public var leeway: TimeInterval
    /// Whether any `aud` is accepted: only for the provider's own userinfo endpoint, which serves the access
    /// tokens of every client whatever their audience.
    public var acceptsAnyAudience = false

    /// Creates rules.
    /// - Parameters:
    ///   - issuer: The expected `iss`.
    ///   - audience: The audience that must be in `aud`.
    ///   - leeway: Clock skew tolerated, 30 s by default.
    public init(issuer: String, audience: String, leeway: TimeInterval = 30) {
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
    }

    /// The rules of the OpenID provider's userinfo endpoint: Rotor's issuer, any audience.
    public static func anyAudience(issuer: String, leeway: TimeInterval = 30) -> AccessTokenRules {
        var rules = AccessTokenRules(issuer: issuer, audience: issuer, leeway: leeway)
        rules.acceptsAnyAudience = true
        return rules
    }

    /// Judges a header before any signature work.
    /// - Parameters:
    ///   - header: The parsed header.
    ///   - keyAlgorithms: The published keys: `kid` → the one algorithm that key signs with.
    /// - Returns: The `kid` to verify with.
    /// - Throws: ``AccessTokenRejection`` naming the first rule broken.
    public func checkHeader(
        _ header: AccessTokenHeader,
        keyAlgorithms: [String: String]
    ) throws(AccessTokenRejection)
        -> String
    {
        if header.jwk != nil || header.jku != nil || header.x5u != nil || header.x5c != nil {
            throw .embeddedKey
        }
        guard header.typ?.lowercased() == Self.tokenType || header.typ?.lowercased() == "application/at+jwt" else {
            throw .wrongType
        }
        guard let alg = header.alg, alg.lowercased() != "none" else { throw .algorithmNotAllowed }
        guard let kid = header.kid, let keyAlg = keyAlgorithms[kid] else { throw .unknownKey }
        guard alg == keyAlg else { throw .algorithmNotAllowed }
        return kid
    }

    /// Judges the claims of a token whose signature verified.
    /// - Parameters:
    ///   - claims: The verified claims.
    ///   - now: The current time.
    /// - Throws: ``AccessTokenRejection`` naming the first rule broken.
    public func checkClaims(_ claims: AccessTokenClaims, now: Date) throws(AccessTokenRejection) {
        guard claims.iss.value == issuer else { throw .wrongIssuer }
        guard acceptsAnyAudience || claims.aud.value.contains(audience) else { throw .wrongAudience }
        guard claims.exp.value.timeIntervalSince1970 + leeway > now.timeIntervalSince1970 else { throw .expired }
        guard claims.iat.value.timeIntervalSince1970 - leeway <= now.timeIntervalSince1970 else { throw .notYetValid }
        if let nbf = claims.nbf, nbf.value.timeIntervalSince1970 - leeway > now.timeIntervalSince1970 {
            throw .notYetValid
        }
    }
}
