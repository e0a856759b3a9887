public import Logging
public import RotorJWT
import JWTKit

public import Foundation

/// The token engine: accounts, sessions, rotation with reuse detection, logout, access-token issuance and
/// verification. It speaks neither HTTP nor SQL: the store does every write atomically, the clock is injected.
public struct TokenEngine: Sendable {
    /// The token settings.
    public let configuration: EngineConfiguration
    /// The signing keys.
    public let keys: KeyRing
    /// The password hasher.
    public let hasher: PasswordHasher
    let store: any RotorStore
    let clock: any RotorClock
    let logger: Logger

    /// Creates an engine.
    /// - Parameters:
    ///   - configuration: Token settings.
    ///   - store: Where everything is kept.
    ///   - keys: The signing keys (see ``KeyRing/load(from:now:)``).
    ///   - hasher: The password hasher.
    ///   - clock: The time source.
    ///   - logger: Where the engine reports what it does (never a secret).
    public init(
        configuration: EngineConfiguration,
        store: any RotorStore,
        keys: KeyRing,
        hasher: PasswordHasher,
        clock: any RotorClock = SystemClock(),
        logger: Logger
    ) {
        self.configuration = configuration
        self.store = store
        self.keys = keys
        self.hasher = hasher
        self.clock = clock
        self.logger = logger
    }

    /// The rules access tokens are verified with.
    public var accessTokenRules: AccessTokenRules {
        AccessTokenRules(issuer: configuration.issuer, audience: configuration.audience, leeway: configuration.leeway)
    }

    /// The current time by the engine's clock.
    public func now() -> Date { clock.now() }

    // MARK: Accounts

    /// Creates an account.
    /// - Parameters:
    ///   - email: The address as typed; stored lower-cased.
    ///   - password: 8…1024 bytes.
    /// - Returns: The new account.
    /// - Throws: ``EngineError/invalidField(name:reason:)``, ``EngineError/emailTaken``.
    public func signUp(email: String, password: String) async throws -> UserRecord {
        guard let address = EmailAddress(email) else {
            throw EngineError.invalidField(name: "email", reason: "is not a valid email address")
        }
        try Self.checkPassword(password, field: "password")
        let user = UserRecord(
            id: SecureRandom.uuid(),
            email: address.value,
            passwordHash: try await hasher.hash(password),
            createdAt: clock.now().wholeSeconds
        )
        do {
            try await store.createUser(user)
        } catch StoreError.emailTaken {
            throw EngineError.emailTaken
        }
        logger.info("user created", metadata: ["user_id": "\(user.id)"])
        return user
    }

    /// Finds an account by id.
    public func user(id: String) async throws -> UserRecord? {
        try await store.user(id: id)
    }

    // MARK: Sessions

    /// Checks a password and starts a session.
    /// - Parameters:
    ///   - email: The account's address.
    ///   - password: The password.
    ///   - deviceId: Binds the session to a device: every refresh must carry the same id.
    ///   - deviceName: A name shown in the session list.
    ///   - client: Who logs in.
    /// - Returns: The first token pair of the new session.
    /// - Throws: ``EngineError/invalidCredentials`` (unknown email and wrong password alike, after the same
    ///   hashing work), ``EngineError/accountDisabled`` (only after the right password), field errors.
    public func login(
        email: String,
        password: String,
        deviceId: String? = nil,
        deviceName: String? = nil,
        client: ClientInfo = ClientInfo()
    ) async throws -> IssuedTokens {
        guard let address = EmailAddress(email) else {
            throw EngineError.invalidField(name: "email", reason: "is not a valid email address")
        }
        try Self.checkPassword(password, field: "password")
        try Self.checkOptional(deviceId, field: "device_id", maxBytes: 128)
        try Self.checkOptional(deviceName, field: "device_name", maxBytes: 200)

        let user = try await store.user(email: address.value)
        let verification = try await hasher.verify(password, against: user?.passwordHash)
        guard case .match(let needsRehash) = verification, let user else {
            logger.info("login failed", metadata: ["reason": "invalid_credentials"])
            throw EngineError.invalidCredentials
        }
        guard user.disabledAt == nil else { throw EngineError.accountDisabled }
        if needsRehash {
            try await store.updatePasswordHash(userId: user.id, passwordHash: try await hasher.hash(password))
        }

        let now = clock.now()
        let absolute = now.addingTimeInterval(configuration.sessionMaxAge)
        let session = SessionRecord(
            id: SecureRandom.uuid(),
            userId: user.id,
            clientId: configuration.clientId,
            scope: "",
            createdAt: now,
            lastUsedAt: now,
            idleExpiresAt: min(now.addingTimeInterval(configuration.refreshTTL), absolute),
            absoluteExpiresAt: absolute,
            deviceId: deviceId,
            deviceName: deviceName,
            createdBy: client,
            lastUsedBy: client
        )
        let token = RefreshToken.generate()
        let event = AuditEvent(type: AuditEventType.login, at: now, userId: user.id, sessionId: session.id, client: client)
        try await store.createSession(session, firstTokenHash: token.hash, event: event)
        logger.info("login", metadata: ["user_id": "\(user.id)", "session_id": "\(session.id)"])
        return try await issue(session: session, roles: user.roles, refreshToken: token, now: now)
    }

    /// Rotates a refresh token (SPEC §2): a new pair, the same child again inside the grace window, or reuse
    /// detection that revokes the session.
    /// - Parameters:
    ///   - presented: The refresh token the client sent.
    ///   - deviceId: The device id that came with it.
    ///   - client: Who refreshes.
    /// - Returns: A fresh access token and the session's current refresh token.
    /// - Throws: ``EngineError/invalidGrant(_:)`` with the cause.
    public func refresh(_ presented: String, deviceId: String? = nil, client: ClientInfo = ClientInfo()) async throws
        -> IssuedTokens
    {
        guard let parent = RefreshToken(presented: presented) else {
            throw EngineError.invalidGrant(.unknownToken)
        }
        let now = clock.now()
        let child = RefreshToken.generate()
        let request = RotationRequest(
            presentedHash: parent.hash,
            childHash: child.hash,
            sealedChild: try ChildTokenSeal.seal(child, parent: parent),
            now: now,
            grace: configuration.reuseGrace,
            refreshTTL: configuration.refreshTTL,
            deviceId: deviceId,
            client: client
        )
        switch try await store.rotate(request) {
        case .rotated(let session, let roles):
            return try await issue(session: session, roles: roles, refreshToken: child, now: now)
        case .replayed(let session, let roles, let sealed):
            guard let stored = ChildTokenSeal.open(sealed, parent: parent) else {
                throw EngineError.invalidGrant(.unknownToken)
            }
            logger.debug("refresh replayed inside grace", metadata: ["session_id": "\(session.id)"])
            return try await issue(session: session, roles: roles, refreshToken: stored, now: now)
        case .refused(let failure, let userId):
            switch failure {
            case .reuseDetected:
                logger.warning(
                    "refresh token reuse detected; session revoked",
                    metadata: ["user_id": "\(userId ?? "-")"]
                )
            case .bindingMismatch:
                logger.notice("refresh binding mismatch", metadata: ["user_id": "\(userId ?? "-")"])
            case .unknownToken, .sessionEnded:
                logger.debug("refresh refused", metadata: ["reason": "\(failure.description)"])
            }
            throw EngineError.invalidGrant(failure)
        }
    }

    /// Ends the session of a refresh token (logout, scope `local`). An unknown, used or revoked token changes
    /// nothing and is not an error (no oracle).
    /// - Parameters:
    ///   - presented: The refresh token.
    ///   - client: Who logs out.
    public func logout(refreshToken presented: String, client: ClientInfo = ClientInfo()) async throws {
        guard let token = RefreshToken(presented: presented) else { return }
        let now = clock.now()
        let event = AuditEvent(type: AuditEventType.logout, at: now, userId: "", sessionId: nil, client: client)
        if let ended = try await store.endSession(currentTokenHash: token.hash, reason: .logout, event: event) {
            logger.info("logout", metadata: ["user_id": "\(ended.userId)", "session_id": "\(ended.id)"])
        }
    }

    /// Ends the session an access token was issued for (logout, scope `local`).
    /// - Parameters:
    ///   - principal: The verified caller.
    ///   - client: Who logs out.
    public func logout(principal: Principal, client: ClientInfo = ClientInfo()) async throws {
        let event = AuditEvent(
            type: AuditEventType.logout,
            at: clock.now(),
            userId: principal.userId,
            sessionId: principal.sessionId,
            client: client
        )
        if try await store.endSession(id: principal.sessionId, userId: principal.userId, reason: .logout, event: event)
            != nil
        {
            logger.info("logout", metadata: ["user_id": "\(principal.userId)", "session_id": "\(principal.sessionId)"])
        }
    }

    // MARK: Access tokens

    /// Verifies an access token for Rotor's own routes and checks that its user still exists and is enabled.
    /// - Parameter accessToken: The compact JWS from `Authorization`.
    /// - Returns: The caller.
    /// - Throws: ``EngineError/invalidToken``.
    public func authenticate(accessToken: String) async throws -> Principal {
        let claims: AccessTokenClaims
        do {
            claims = try await keys.verify(accessToken, rules: accessTokenRules, now: clock.now())
        } catch {
            logger.debug("access token refused", metadata: ["reason": "\(error)"])
            throw EngineError.invalidToken
        }
        guard let user = try await store.user(id: claims.sub.value), user.disabledAt == nil else {
            throw EngineError.invalidToken
        }
        return Principal(userId: user.id, sessionId: claims.sid, roles: claims.roles, scope: claims.scope)
    }

    private func issue(session: SessionRecord, roles: [String], refreshToken: RefreshToken, now: Date) async throws
        -> IssuedTokens
    {
        let iat = now.wholeSeconds
        let ttl = configuration.accessTTL.rounded(.down)
        let claims = AccessTokenClaims(
            iss: configuration.issuer,
            sub: session.userId,
            aud: [configuration.audience],
            exp: iat.addingTimeInterval(ttl),
            iat: iat,
            jti: SecureRandom.identifier(byteCount: 16),
            sid: session.id,
            clientId: session.clientId,
            scope: session.scope,
            roles: roles
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
