public import Foundation

/// What a resource service expects of Rotor's access tokens, and where it finds Rotor's keys.
public struct VerifierConfiguration: Sendable {
    /// Rotor's `ROTOR_ISSUER`: the exact `iss` of its tokens, and the base of its URLs.
    public var issuer: String
    /// The audience this service is: it must be in `aud` (Rotor's default audience is the issuer).
    public var audience: String
    /// Where the JWKS is (default: the issuer's `/.well-known/jwks.json`).
    public var jwksURL: String
    /// A JWKS given as a document instead (keys from a file, tests, benchmarks): then it is never fetched.
    public var jwksDocument: Data?
    /// The signature algorithms accepted; a token naming another (or `none`, or an HMAC) is refused.
    public var allowedAlgorithms: Set<String>
    /// Clock skew tolerated on `exp`, `iat` and `nbf`.
    public var leeway: TimeInterval
    /// A JWKS is kept at most this long, even when its `Cache-Control: max-age` says longer.
    public var maximumKeyAge: TimeInterval
    /// A JWKS is kept at least this long, even when its `Cache-Control` says less (or nothing).
    public var minimumKeyAge: TimeInterval
    /// A token with an unknown `kid` makes the verifier fetch the JWKS again at most once per this interval, so that
    /// a key rotation never causes an outage and forged `kid`s never cause a flood of fetches.
    public var unknownKeyRefetchInterval: TimeInterval
    /// The revocation feed: where it is, and how often it is read (nil: no feed, tokens die only by expiry).
    public var revocations: RevocationFeedConfiguration?
    /// DPoP proofs (RFC 9449) for DPoP-bound tokens.
    public var dpop: DPoPConfiguration

    /// Creates a configuration.
    /// - Parameters:
    ///   - issuer: Rotor's issuer URL.
    ///   - audience: This service's audience (default: the issuer, Rotor's default `aud`).
    ///   - jwksURL: The JWKS URL (default: the issuer's `/.well-known/jwks.json`).
    ///   - allowedAlgorithms: Accepted `alg`s (default: the three Rotor signs with).
    ///   - leeway: Clock skew tolerated (default 30 s).
    ///   - revocations: The revocation feed (default: Rotor's `/v1/revocations`, read every 10 s).
    public init(
        issuer: String,
        audience: String? = nil,
        jwksURL: String? = nil,
        allowedAlgorithms: Set<String> = ["ES256", "EdDSA", "RS256"],
        leeway: TimeInterval = 30,
        revocations: RevocationFeedConfiguration? = .init()
    ) {
        let base = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        self.issuer = issuer
        self.audience = audience ?? issuer
        self.jwksURL = jwksURL ?? base + "/.well-known/jwks.json"
        self.allowedAlgorithms = allowedAlgorithms.subtracting(["none", "HS256", "HS384", "HS512"])
        self.leeway = leeway
        self.maximumKeyAge = 3_600
        self.minimumKeyAge = 30
        self.unknownKeyRefetchInterval = 30
        self.revocations = revocations.map { feed in
            var feed = feed
            if feed.url.isEmpty { feed.url = base + "/v1/revocations" }
            return feed
        }
        self.dpop = DPoPConfiguration()
    }
}

/// How the verifier learns of sessions that ended before their access tokens expired.
public struct RevocationFeedConfiguration: Sendable {
    /// The feed's URL (default: the issuer's `/v1/revocations`).
    public var url: String
    /// How often it is read: the longest an ended session's access tokens keep working here.
    public var pollInterval: TimeInterval
    /// The feed counts as stale once its last good read is older than this (default: three poll intervals, at
    /// least 30 s): the verifier says so in its log, its metric and ``AccessTokenVerifier/revocationFeedHealth``.
    public var staleAfter: TimeInterval
    /// When set, a token is refused (``VerificationError/Reason/revocationsUnavailable``) while the feed's last
    /// good read is older than this: the service prefers refusing everyone to honouring a logout late. Nil
    /// (the default): tokens keep working on their signature and expiry, and the staleness is only reported.
    public var failClosedAfter: TimeInterval?

    /// Creates a feed configuration.
    /// - Parameters:
    ///   - url: The feed's URL; empty means the issuer's `/v1/revocations`.
    ///   - pollInterval: Seconds between two reads (default 10).
    ///   - staleAfter: When the feed is reported stale (default: 3 poll intervals, at least 30 s).
    ///   - failClosedAfter: When tokens are refused for want of a current feed (default: never).
    public init(
        url: String = "",
        pollInterval: TimeInterval = 10,
        staleAfter: TimeInterval? = nil,
        failClosedAfter: TimeInterval? = nil
    ) {
        self.url = url
        self.pollInterval = pollInterval
        self.staleAfter = staleAfter ?? max(30, 3 * pollInterval)
        self.failClosedAfter = failClosedAfter
    }
}

/// How DPoP proofs are judged at this resource service.
public struct DPoPConfiguration: Sendable {
    /// How far a proof's `iat` may be from now.
    public var proofLifetime: TimeInterval
    /// How many proof `jti`s are remembered to refuse replays (the oldest go first).
    public var replayCacheSize: Int

    /// Creates a DPoP configuration (60 s, 100,000 proofs).
    public init(proofLifetime: TimeInterval = 60, replayCacheSize: Int = 100_000) {
        self.proofLifetime = proofLifetime
        self.replayCacheSize = replayCacheSize
    }
}
