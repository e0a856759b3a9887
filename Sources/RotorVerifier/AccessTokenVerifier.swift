public import AsyncHTTPClient
public import Foundation
import JWTKit
public import Logging
import RotorJWT
public import ServiceLifecycle

/// Verifies Rotor's access tokens inside a resource service, with no database and no call to Rotor per request.
///
/// What it checks, in order (docs/protocol.md, RFC 9068 §4, RFC 8725): the header first — `typ` must be `at+jwt`, `alg`
/// allowed and the one algorithm of the key named by `kid`, no embedded key material — then the signature with the
/// key from Rotor's JWKS (jwt-kit), then `iss`, `aud`, `exp`, `iat` and `nbf` with the leeway, then the revocation
/// feed (a session that ended stops working within its poll interval), then, for a DPoP-bound token, the proof.
///
/// Run it as a `Service` (``run()``) so that it reads the revocation feed; it verifies without running, but then
/// only expiry ends a token.
public final class AccessTokenVerifier: Sendable, Service {
    /// The settings.
    public let configuration: VerifierConfiguration
    let keys: JWKSCache
    let revocations: RevocationList?
    private let verified = VerifiedTokenCache()
    private let replays: DPoPReplayCache
    /// The configuration's rules, built once rather than on every verification.
    private let rules: AccessTokenRules
    private let logger: Logger

    /// Creates a verifier.
    /// - Parameters:
    ///   - configuration: Issuer, audience and the rest.
    ///   - httpClient: For the JWKS and the revocation feed.
    ///   - logger: Where fetch failures are reported (never a token).
    public init(configuration: VerifierConfiguration, httpClient: HTTPClient = .shared, logger: Logger) {
        self.configuration = configuration
        self.rules = AccessTokenRules(
            issuer: configuration.issuer,
            audience: configuration.audience,
            leeway: configuration.leeway
        )
        self.logger = logger
        let keys = JWKSCache(configuration: configuration, http: httpClient, logger: logger)
        self.keys = keys
        self.revocations = configuration.revocations.map {
            RevocationList(feed: $0, configuration: configuration, keys: keys, http: httpClient, logger: logger)
        }
        self.replays = DPoPReplayCache(capacity: configuration.dpop.replayCacheSize)
    }

    /// Reads the revocation feed until the service shuts down.
    public func run() async throws {
        guard let revocations else {
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown { await revocations.run() }
    }

    /// Verifies a bearer access token (`Authorization: Bearer …`). A DPoP-bound token is refused here: it must come
    /// with its proof (``verify(_:dpop:now:)``).
    /// - Parameters:
    ///   - token: The compact JWS.
    ///   - now: The current time.
    /// - Returns: Who is calling.
    /// - Throws: ``VerificationError`` with the first rule broken.
    public func verify(_ token: String, now: Date = Date()) async throws(VerificationError) -> VerifiedAccessToken {
        let verified = try await verifyToken(token, now: now)
        guard verified.dpopThumbprint == nil else { throw VerificationError(.dpopRequired) }
        return verified
    }

    /// Verifies a DPoP-bound access token (`Authorization: DPoP …`) with its proof (RFC 9449 §7).
    /// - Parameters:
    ///   - token: The access token.
    ///   - dpop: The request: its `DPoP` header, method and URL.
    ///   - now: The current time.
    /// - Returns: Who is calling.
    /// - Throws: ``VerificationError`` with the first rule broken.
    public func verify(
        _ token: String,
        dpop: DPoPRequest,
        now: Date = Date()
    ) async throws(VerificationError)
        -> VerifiedAccessToken
    {
        let verified = try await verifyToken(token, now: now)
        guard let bound = verified.dpopThumbprint else {
            throw VerificationError(.dpopProofInvalid, detail: "the token is not DPoP-bound")
        }
        guard let proof = dpop.proof else { throw VerificationError(.dpopProofInvalid, detail: "no DPoP proof") }
        do {
            let checked = try await DPoPProof.verify(
                proof,
                method: dpop.method,
                url: dpop.url,
                accessToken: token,
                now: now,
                lifetime: configuration.dpop.proofLifetime,
                replays: replays
            )
            guard checked.thumbprint == bound else { throw DPoPProof.Rejection.wrongKey }
        } catch {
            throw VerificationError(.dpopProofInvalid, detail: "\(error)")
        }
        return verified
    }

    private func verifyToken(_ token: String, now: Date) async throws(VerificationError) -> VerifiedAccessToken {
        guard token.utf8.count <= ReceivedAccessToken.maximumLength else { throw VerificationError(.malformed) }
        let claims: AccessTokenClaims
        if let remembered = verified.claims(of: token, publishedKids: keys.algorithms) {
            // What can change with time is judged again on every hit.
            do {
                try rules.checkClaims(remembered, now: now)
            } catch {
                throw VerificationError(Self.reason(error))
            }
            claims = remembered
        } else {
            // Judges the claims once, before remembering the token.
            claims = try await checkSignature(token, now: now)
        }
        if let revocations {
            if let sid = claims.sid, revocations.contains(sid) { throw VerificationError(.revoked) }
            if revocations.failsClosed(now: now) {
                throw VerificationError(.revocationsUnavailable, detail: "the revocation feed is too old")
            }
        }
        return VerifiedAccessToken(claims)
    }

    private func checkSignature(
        _ token: String,
        now: Date
    ) async throws(VerificationError)
        -> AccessTokenClaims
    {
        let received: ReceivedAccessToken
        do {
            received = try ReceivedAccessToken(token)
        } catch {
            throw VerificationError(.malformed)
        }
        let header = received.header
        // The header alone decides first: typ, embedded keys, alg allowed here. Then the kid, fetched if new.
        guard let alg = header.alg, configuration.allowedAlgorithms.contains(alg) else {
            throw VerificationError(.algorithmNotAllowed)
        }
        guard let kid = header.kid else { throw VerificationError(.unknownKey) }
        do {
            // typ, embedded keys and `none` before any key is looked up (or fetched) for this kid.
            _ = try rules.checkHeader(header, keyAlgorithms: [kid: alg])
        } catch {
            throw VerificationError(Self.reason(error))
        }
        let key = try await keys.key(kid, now: now)
        guard key.algorithm == alg else { throw VerificationError(.algorithmNotAllowed) }
        let claims: AccessTokenClaims
        do {
            claims = try received.claims(verifiedBy: key.verifier)
        } catch .malformed {
            throw VerificationError(.malformed, detail: "the claims are not Rotor's")
        } catch {
            throw VerificationError(Self.reason(error))
        }
        // Remember only what passed every rule that cannot change with time.
        do {
            try rules.checkClaims(claims, now: now)
            verified.insert(token, claims: claims, kid: kid, now: now)
        } catch {
            throw VerificationError(Self.reason(error))
        }
        return claims
    }

    static func reason(_ rejection: AccessTokenRejection) -> VerificationError.Reason {
        switch rejection {
        case .malformed: .malformed
        case .wrongType: .wrongType
        case .algorithmNotAllowed: .algorithmNotAllowed
        case .unknownKey: .unknownKey
        case .embeddedKey: .embeddedKey
        case .badSignature: .badSignature
        case .wrongIssuer: .wrongIssuer
        case .wrongAudience: .wrongAudience
        case .expired: .expired
        case .notYetValid: .notYetValid
        }
    }

    /// Fetches the JWKS now (at start-up, so that the first request does not wait for it).
    public func prefetchKeys() async throws {
        try await keys.fetch()
    }

    /// Reads the revocation feed now.
    public func pollRevocations() async throws {
        try await revocations?.poll()
    }

    /// How current the revocation feed is (nil: the verifier reads none). A service can report it in its own
    /// health check, and should alert on ``RevocationFeedHealth/stale(age:)``.
    public func revocationFeedHealth(now: Date = Date()) -> RevocationFeedHealth? {
        revocations?.health(now: now)
    }

    /// How many times the JWKS was fetched (for tests and metrics).
    public var keyFetchCount: Int { keys.fetchCount }
}

/// The parts of a request a DPoP proof is checked against.
public struct DPoPRequest: Sendable {
    /// The `DPoP` header's value (nil when absent).
    public var proof: String?
    /// The request's method.
    public var method: String
    /// The URL the client addressed: scheme, host, port and path (query and fragment are ignored).
    public var url: String

    /// Creates a request description.
    public init(proof: String?, method: String, url: String) {
        self.proof = proof
        self.method = method
        self.url = url
    }
}
