public import Foundation
import JWTKit
public import Logging
public import RotorJWT

/// The token engine: accounts, sessions, rotation with reuse detection, logout, access-token issuance and
/// verification. It speaks neither HTTP nor SQL: the store does every write atomically, the clock is injected.
public struct TokenEngine: Sendable {
    /// The token settings.
    public let configuration: EngineConfiguration
    /// The signing keys.
    public let keys: KeyRing
    /// The password hasher.
    public let hasher: PasswordHasher
    /// Mints and recognises positioned refresh tokens.
    let tagger: RefreshTokenTagger
    let store: any RotorStore
    let clock: any RotorClock
    let logger: Logger
    let metrics: EngineMetrics
    /// Client records that authenticated in the last second.
    let clientCache: ClientRecordCache
    /// The public keys of `private_key_jwt` clients.
    let clientKeys: ClientKeySets

    /// Creates an engine.
    /// - Parameters:
    ///   - configuration: Token settings.
    ///   - store: Where everything is kept.
    ///   - keys: The signing keys (see ``KeyRing/load(from:now:)``).
    ///   - hasher: The password hasher.
    ///   - tagger: The refresh-token tag key (see ``RefreshTokenTagger/load(from:masterKey:)``).
    ///   - clock: The time source.
    ///   - logger: Where the engine reports what it does (never a secret).
    ///   - metrics: Where it counts outcomes.
    ///   - clientCache: Client records kept for a moment between token requests (one second by default).
    ///   - clientKeys: The keys of `private_key_jwt` clients (without a fetcher, `jwks_uri` clients cannot sign in).
    public init(
        configuration: EngineConfiguration,
        store: any RotorStore,
        keys: KeyRing,
        hasher: PasswordHasher,
        tagger: RefreshTokenTagger,
        clock: any RotorClock = SystemClock(),
        logger: Logger,
        metrics: EngineMetrics = .none,
        clientCache: ClientRecordCache = ClientRecordCache(),
        clientKeys: ClientKeySets = ClientKeySets(fetcher: nil)
    ) {
        self.configuration = configuration
        self.store = store
        self.keys = keys
        self.hasher = hasher
        self.tagger = tagger
        self.clock = clock
        self.logger = logger
        self.metrics = metrics
        self.clientCache = clientCache
        self.clientKeys = clientKeys
    }

    /// The rules access tokens are verified with.
    public var accessTokenRules: AccessTokenRules {
        AccessTokenRules(issuer: configuration.issuer, audience: configuration.audience, leeway: configuration.leeway)
    }

    /// The current time by the engine's clock.
    public func now() -> Date { clock.now() }

    // MARK: Access tokens

    /// Verifies an access token for Rotor's own routes and checks that its user still exists and is enabled.
    /// - Parameter accessToken: The compact JWS from `Authorization`.
    /// - Returns: The caller.
    /// - Throws: ``EngineError/invalidToken``.
    /// - Parameter dpopThumbprint: The key of the request's verified DPoP proof (`Authorization: DPoP`), or nil
    ///   for a bearer token: a DPoP-bound token needs a proof by its own key, and only it may come with one.
    public func authenticate(accessToken: String, dpopThumbprint: String? = nil) async throws -> Principal {
        let claims: AccessTokenClaims
        do {
            claims = try await verify(accessToken)
        } catch {
            logger.debug("access token refused", metadata: ["reason": "\(error)"])
            throw EngineError.invalidToken
        }
        guard claims.cnf?.jkt == dpopThumbprint else {
            logger.debug("access token refused", metadata: ["reason": "dpop binding"])
            throw EngineError.invalidToken
        }
        // Rotor's own routes act for a person in a session; a machine token names none.
        guard let sessionId = claims.sid else {
            logger.debug("access token refused", metadata: ["reason": "machine token"])
            throw EngineError.invalidToken
        }
        guard let user = try await store.user(id: claims.sub.value), user.disabledAt == nil else {
            throw EngineError.invalidToken
        }
        // Roles come from the account as it is now, not from the token: a revoked role stops working at once.
        return Principal(
            userId: user.id,
            sessionId: sessionId,
            roles: user.roles,
            scope: claims.scope,
            user: user,
            dpopThumbprint: dpopThumbprint
        )
    }

    /// Verifies an access token; a `kid` this instance does not know yet (another instance rotated the keys a
    /// moment ago) makes it re-read the keys from the store once, at most once a second, before refusing.
    func verify(
        _ accessToken: String,
        rules: AccessTokenRules? = nil
    ) async throws(AccessTokenRejection)
        -> AccessTokenClaims
    {
        let rules = rules ?? accessTokenRules
        do {
            return try await keys.verify(accessToken, rules: rules, now: clock.now())
        } catch .unknownKey where keys.claimOnDemandRefresh(now: clock.now()) {
            do {
                try await keys.refresh(from: store, now: clock.now())
            } catch {
                logger.warning("cannot re-read the signing keys", metadata: ["error_type": "\(type(of: error))"])
                throw .unknownKey
            }
            return try await keys.verify(accessToken, rules: rules, now: clock.now())
        }
    }

    func issue(
        session: SessionRecord,
        roles: [String],
        refreshToken: RefreshToken,
        now: Date
    ) async throws
        -> IssuedTokens
    {
        let iat = now.wholeSeconds
        let ttl = configuration.accessTTL.rounded(.down)
        let claims = AccessTokenClaims(
            iss: configuration.issuer,
            sub: session.userId,
            aud: session.audience ?? [configuration.audience],
            exp: iat.addingTimeInterval(ttl),
            iat: iat,
            jti: SecureRandom.identifier(byteCount: 16),
            sid: session.id,
            clientId: session.clientId,
            scope: session.scope,
            roles: roles,
            cnf: session.dpopThumbprint.map(Confirmation.init(jkt:))
        )
        return IssuedTokens(
            accessToken: try await keys.sign(claims),
            accessExpiresIn: Int(ttl),
            refreshToken: refreshToken,
            refreshExpiresAt: session.refreshExpiresAt,
            session: session,
            issuedAt: now
        )
    }

    /// Ends sessions through the store and counts them by cause.
    func endSessions(_ request: SessionEnding) async throws -> SessionEndingResult {
        let result = try await store.endSessions(request)
        metrics.sessionsEnded(request.reason, count: result.ended.count)
        return result
    }

    static func checkPassword(_ password: String, field: String) throws {
        guard PasswordPolicy.isAcceptable(password) else {
            throw EngineError.invalidField(
                name: field,
                reason: "must be \(PasswordPolicy.minimumBytes) to \(PasswordPolicy.maximumBytes) bytes long"
            )
        }
    }

    static func checkOptional(_ value: String?, field: String, maxBytes: Int) throws {
        guard let value else { return }
        guard !value.isEmpty, value.utf8.count <= maxBytes,
            !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else {
            throw EngineError.invalidField(name: field, reason: "must be 1 to \(maxBytes) bytes of printable text")
        }
    }
}
