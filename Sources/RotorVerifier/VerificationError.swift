/// Why an access token (or its DPoP proof) was refused. Resource services answer every case with RFC 6750's
/// `401 invalid_token`; the reason is for their logs and tests.
public struct VerificationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reasons; new ones may be added, so switch with a `default`.
    public enum Reason: String, Sendable, Equatable {
        /// Not a compact JWS with a JSON header and payload.
        case malformed
        /// `typ` is not `at+jwt`.
        case wrongType
        /// `alg` is missing, `none`, not allowed here, or not the algorithm of the key named by `kid`.
        case algorithmNotAllowed
        /// `kid` is missing, or names no key in Rotor's JWKS even after fetching it again.
        case unknownKey
        /// The header carries its own key material (`jwk`, `jku`, `x5u`, `x5c`).
        case embeddedKey
        /// The signature does not verify.
        case badSignature
        /// `iss` is not Rotor's.
        case wrongIssuer
        /// `aud` does not name this service.
        case wrongAudience
        /// `exp` has passed (beyond the leeway).
        case expired
        /// `iat` or `nbf` is in the future (beyond the leeway).
        case notYetValid
        /// The token's session has ended (logout, revocation): it appeared in the revocation feed.
        case revoked
        /// Rotor's keys could not be fetched, and none are known yet.
        case keysUnavailable
        /// The token is DPoP-bound and the request carries no proof, or a proof that does not hold.
        case dpopProofInvalid
        /// A DPoP-bound token was presented as a bearer token (`Authorization: Bearer`).
        case dpopRequired
        /// The revocation feed has not been read for longer than the configured fail-closed bound, so the verifier
        /// cannot know whether the token's session ended.
        case revocationsUnavailable
    }

    /// What failed.
    public var reason: Reason
    /// Details for logs; never a token.
    public var detail: String?

    /// Creates an error.
    public init(_ reason: Reason, detail: String? = nil) {
        self.reason = reason
        self.detail = detail
    }

    /// The reason, and the detail if any.
    public var description: String { detail.map { "\(reason.rawValue): \($0)" } ?? reason.rawValue }
}
