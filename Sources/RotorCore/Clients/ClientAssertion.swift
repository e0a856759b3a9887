public import Foundation
public import JWTKit
import RotorJWT

/// `private_key_jwt` client authentication (RFC 7523 §2.2, OpenID Connect Core §9): the client signs a short-lived
/// JWT about itself with a key of its registered JWKS, instead of sending a secret.
///
/// The rules on the claims are one pure function, ``check(_:clientId:audiences:now:leeway:)``; the signature is
/// checked by jwt-kit with a key chosen by ``ClientKeySets``; single use of `jti` is the store's
/// (``ClientStore/useClientAssertion(clientId:jtiHash:expiresAt:now:)``), so that it holds across instances.
public enum ClientAssertion {
    /// The only `client_assertion_type` (RFC 7523 §2.2).
    public static let type = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    /// The furthest ahead `exp` may be: an assertion is made for one request, and its `jti` is remembered until
    /// it expires.
    public static let maximumLifetime: TimeInterval = 300
    /// The longest assertion read (a 4096-bit RSA signature and a few claims fit well inside).
    public static let maximumLength = 8 * 1024
    /// The algorithms an assertion may be signed with: asymmetric only, one per key (see ``ClientKeySets``).
    public static let algorithms: Set<String> = ["RS256", "PS256", "ES256", "EdDSA"]
    /// The longest `jti` accepted.
    public static let maximumJTIBytes = 256

    /// The claims of an assertion. Optional members are optional here so that a missing one is a refusal in
    /// words, not a decoding error.
    public struct Claims: JWTPayload, Equatable {
        /// The issuer: the client id.
        public var iss: String?
        /// The subject: the client id.
        public var sub: String?
        /// The audience: Rotor's issuer or its token endpoint.
        public var aud: AudienceClaim?
        /// Expiry, required.
        public var exp: ExpirationClaim?
        /// Issue time (optional, RFC 7523 §3).
        public var iat: IssuedAtClaim?
        /// Not valid before (optional).
        public var nbf: NotBeforeClaim?
        /// A unique id, required: it is what makes the assertion single use.
        public var jti: String?

        /// Creates claims (for clients and tests; Rotor only reads them).
        public init(
            iss: String?,
            sub: String?,
            aud: [String]?,
            exp: Date?,
            iat: Date? = nil,
            jti: String?
        ) {
            self.iss = iss
            self.sub = sub
            self.aud = aud.map(AudienceClaim.init(value:))
            self.exp = exp.map(ExpirationClaim.init(value:))
            self.iat = iat.map(IssuedAtClaim.init(value:))
            self.jti = jti
        }

        /// Nothing here: ``ClientAssertion/check(_:clientId:audiences:now:leeway:)`` judges the claims.
        public func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// Why an assertion was refused. Every case answers `invalid_client`; the case goes to the log only.
    public enum Refusal: Error, Sendable, Equatable {
        /// Not a compact JWS with a JSON header and payload, or too long.
        case malformed
        /// `alg` is not allowed, not the key's, or the header carries its own key (`jwk`, `jku`, `x5u`, `x5c`).
        case algorithmNotAllowed
        /// No key of the client's JWKS has this `kid` (or the JWKS could not be had).
        case unknownKey
        /// The signature does not verify.
        case badSignature
        /// `iss` or `sub` is not the client id.
        case wrongClient
        /// `aud` names neither the issuer nor the token endpoint.
        case wrongAudience
        /// `exp` is missing or past.
        case expired
        /// `exp` is more than ``ClientAssertion/maximumLifetime`` ahead.
        case lifetimeTooLong
        /// `nbf` or `iat` is in the future.
        case notYetValid
        /// `jti` is missing or too long.
        case missingJTI
        /// The `jti` was used already.
        case replayed
    }

    /// The client an assertion says it is from (`sub`, else `iss`), read without verifying anything: the token
    /// endpoint uses it only to find the client whose keys then decide.
    public static func claimedClient(_ assertion: String) -> String? {
        let parts = assertion.split(separator: ".", omittingEmptySubsequences: false)
        guard assertion.utf8.count <= maximumLength, parts.count == 3,
            let payload = Base64URL.decode(String(parts[1])),
            let object = try? JSONSerialization.jsonObject(with: payload) as? [String: Any]
        else { return nil }
        return (object["sub"] as? String) ?? (object["iss"] as? String)
    }

    /// Judges an assertion's claims, after its signature verified.
    /// - Parameters:
    ///   - claims: The verified claims.
    ///   - clientId: The client it must be from.
    ///   - audiences: What `aud` may name: the issuer and the token endpoint URL.
    ///   - now: The current time.
    ///   - leeway: Clock skew allowed on `exp`, `nbf` and `iat`.
    /// - Returns: The `jti` and until when it must be remembered (`exp` plus the leeway).
    /// - Throws: ``Refusal``.
    public static func check(
        _ claims: Claims,
        clientId: String,
        audiences: Set<String>,
        now: Date,
        leeway: TimeInterval
    ) throws(Refusal) -> (jti: String, rememberUntil: Date) {
        guard claims.iss == clientId, claims.sub == clientId else { throw .wrongClient }
        guard let aud = claims.aud?.value, aud.contains(where: audiences.contains) else { throw .wrongAudience }
        guard let exp = claims.exp?.value, exp.addingTimeInterval(leeway) > now else { throw .expired }
        guard exp <= now.addingTimeInterval(maximumLifetime + leeway) else { throw .lifetimeTooLong }
        if let nbf = claims.nbf?.value, nbf > now.addingTimeInterval(leeway) { throw .notYetValid }
        if let iat = claims.iat?.value, iat > now.addingTimeInterval(leeway) { throw .notYetValid }
        guard let jti = claims.jti, !jti.isEmpty, jti.utf8.count <= maximumJTIBytes else { throw .missingJTI }
        return (jti, exp.addingTimeInterval(leeway))
    }
}
