import Foundation
import Logging

extension TokenEngine {
    /// Checks a password and starts a session.
    /// - Parameters:
    ///   - email: The account's address.
    ///   - password: The password.
    ///   - deviceId: Binds the session to a device: every refresh must carry the same id.
    ///   - deviceName: A name shown in the session list.
    ///   - client: Who logs in.
    /// - Returns: The first token pair of the new session.
    /// - Throws: ``EngineError/rateLimited(retryAfter:)`` (checked before the password, see
    ///   ``guardedPasswordCheck(_:email:user:client:now:cause:)``), ``EngineError/overloaded(retryAfter:)``,
    ///   ``EngineError/invalidCredentials`` (unknown email and wrong password alike, after the same hashing work),
    ///   ``EngineError/accountDisabled`` (only after the right password), field errors.
    public func login(
        email: String,
        password: String,
        deviceId: String? = nil,
        deviceName: String? = nil,
        dpopThumbprint: String? = nil,
        client: ClientInfo = ClientInfo()
    ) async throws -> IssuedTokens {
        let address = try Self.signInFields(email: email, password: password)
        try Self.checkOptional(deviceId, field: "device_id", maxBytes: 128)
        try Self.checkOptional(deviceName, field: "device_name", maxBytes: 200)
        let now = clock.now()
        let user = try await checkSignIn(address, password: password, client: client, now: now)

        var session = newSession(userId: user.id, now: now, deviceId: deviceId, deviceName: deviceName, client: client)
        session.dpopThumbprint = dpopThumbprint
        let tokens: IssuedTokens
        do {
            // The stamp read before the hash: a password change or a disable since then voids this login.
            tokens = try await open(session, for: user, cause: nil, client: client, now: now)
        } catch StoreError.accountChanged {
            metrics.login(.invalidCredentials)
            throw EngineError.invalidCredentials
        }
        metrics.login(.success)
        logger.info("login", metadata: ["user_id": "\(user.id)", "session_id": "\(session.id)"])
        return tokens
    }

    /// Starts a session for a user whose sign-in was checked, by whatever grant: its first refresh token, the
    /// `login` audit event, room made under the session cap, then the first token pair. Every way in (login, the
    /// code and device grants, `rotor sessions mint`) goes through here, so a session is the same whatever started
    /// it.
    /// - Parameters:
    ///   - session: The new session (``newSession(userId:now:deviceId:deviceName:client:)``, then the grant's
    ///     client, scope, audience and bindings).
    ///   - user: Its user, as read when the sign-in was checked: a change of the account since voids it.
    ///   - cause: The `login` event's cause (the grant), nil for a password login.
    ///   - client: Who asks.
    ///   - now: The time of the sign-in.
    /// - Throws: `StoreError.accountChanged` when the account changed since `user` was read; the caller answers.
    func open(
        _ session: SessionRecord,
        for user: UserRecord,
        cause: String?,
        client: ClientInfo,
        now: Date
    ) async throws -> IssuedTokens {
        let token = tagger.token(session: session.id, generation: 0)
        let event = AuditEvent(
            type: AuditEventType.login,
            at: now,
            userId: user.id,
            sessionId: session.id,
            client: client,
            cause: cause
        )
        let evicted = try await store.createSession(
            session,
            firstTokenHash: token.hash,
            event: event,
            cap: SessionCap(maxLive: configuration.maxSessionsPerUser),
            accountStamp: user.securityStamp
        )
        metrics.sessionsEnded(.evicted, count: evicted.count)
        return try await issue(session: session, roles: user.roles, refreshToken: token, now: now)
    }

    /// The fields of a sign-in, checked before any work: the address, normalized.
    static func signInFields(email: String, password: String) throws -> EmailAddress {
        guard let address = EmailAddress(email) else {
            throw EngineError.invalidField(name: "email", reason: "is not a valid email address")
        }
        try checkPassword(password, field: "password")
        return address
    }

    /// The password check of every sign-in (the JSON login and the hosted sign-in page alike): the login limits,
    /// the same hashing work for an unknown email, the metrics, and a renewed hash when the parameters rose.
    /// - Returns: The enabled user whose password it is.
    func checkSignIn(
        _ address: EmailAddress,
        password: String,
        client: ClientInfo,
        now: Date
    ) async throws
        -> UserRecord
    {
        let user = try await store.user(email: address.value)
        let needsRehash: Bool
        do {
            needsRehash = try await guardedPasswordCheck(
                password,
                email: address.value,
                user: user,
                client: client,
                now: now
            )
        } catch EngineError.rateLimited(let retryAfter) {
            metrics.login(.rateLimited)
            throw EngineError.rateLimited(retryAfter: retryAfter)
        } catch EngineError.invalidCredentials {
            metrics.login(.invalidCredentials)
            throw EngineError.invalidCredentials
        }
        guard let user else { throw EngineError.invalidCredentials }
        guard user.disabledAt == nil else {
            metrics.login(.disabled)
            throw EngineError.accountDisabled
        }
        // A renewal is worth a second hash only when there is room for it; the next login can do it otherwise.
        if needsRehash, let renewed = try? await hasher.hash(password) {
            try await store.updatePasswordHash(userId: user.id, passwordHash: renewed)
        }
        return user
    }

    /// Starts a session for a user without a password: for trusted callers only (the `rotor sessions mint` admin
    /// command, load tests). The caller must already hold the power to act for the user.
    /// - Parameters:
    ///   - userId: The user.
    ///   - deviceName: A name for the session list.
    ///   - client: Who asks.
    ///   - app: A registered client to tie the session to, as its code grant would (its scopes and audience): it
    ///     then refreshes only for that client, and its endings reach the client's back channel.
    /// - Throws: ``EngineError/notFound`` for an unknown user, ``EngineError/accountDisabled``.
    public func startSession(
        userId: String,
        deviceName: String? = nil,
        client: ClientInfo = ClientInfo(),
        app: ClientRecord? = nil
    ) async throws
        -> IssuedTokens
    {
        guard let user = try await store.user(id: userId) else { throw EngineError.notFound }
        guard user.disabledAt == nil else { throw EngineError.accountDisabled }
        let now = clock.now()
        var session = newSession(userId: user.id, now: now, deviceId: nil, deviceName: deviceName, client: client)
        if let app {
            session.clientId = app.id
            session.scope = app.metadata.scopes.joined(separator: " ")
            session.audience = app.metadata.audience.map { [$0] }
        }
        return try await open(session, for: user, cause: "minted", client: client, now: now)
    }

    /// Rotates a refresh token (docs/protocol.md): a new pair, the same child again inside the grace window, or reuse
    /// detection that revokes the session.
    /// - Parameters:
    ///   - presented: The refresh token the client sent.
    ///   - deviceId: The device id that came with it.
    ///   - dpopThumbprint: The key of the verified DPoP proof that came with it, if any.
    ///   - client: Who refreshes.
    ///   - clientId: The OAuth client that refreshes, authenticated by the caller: a session of another client is
    ///     refused as a binding mismatch.
    /// - Returns: A fresh access token and the session's current refresh token.
    /// - Throws: ``EngineError/invalidGrant(_:)`` with the cause.
    public func refresh(
        _ presented: String,
        deviceId: String? = nil,
        dpopThumbprint: String? = nil,
        client: ClientInfo = ClientInfo(),
        clientId: String = ClientRegistration.builtInClientId
    ) async throws -> IssuedTokens {
        guard let parent = RefreshToken(presented: presented) else {
            throw EngineError.invalidGrant(.unknownToken)
        }
        // Where the token stands: a positioned one says so (checked against its tag, so a forged one costs no
        // lookup); a plain one, from before positioned tokens, is looked up, and its child is positioned.
        let position: (sessionId: String, generation: Int)
        if let claimed = parent.position {
            guard tagger.recognises(parent) else {
                metrics.refresh(.invalid)
                throw EngineError.invalidGrant(.unknownToken)
            }
            position = (claimed.sessionId, claimed.generation)
        } else {
            guard let found = try await store.tokenPosition(hash: parent.hash) else {
                metrics.refresh(.invalid)
                throw EngineError.invalidGrant(.unknownToken)
            }
            position = found
        }
        let now = clock.now()
        let child = tagger.token(session: position.sessionId, generation: position.generation + 1)
        let request = RotationRequest(
            presentedHash: parent.hash,
            childHash: child.hash,
            sealedChild: try ChildTokenSeal.seal(child, parent: parent),
            now: now,
            grace: configuration.reuseGrace,
            refreshTTL: configuration.refreshTTL,
            deviceId: deviceId,
            dpopThumbprint: dpopThumbprint,
            client: client,
            clientId: clientId,
            position: parent.position
        )
        switch try await store.rotate(request) {
        case .rotated(let session, let roles):
            metrics.refresh(.rotated)
            return try await issue(session: session, roles: roles, refreshToken: child, now: now)
        case .replayed(let session, let roles, let sealed):
            guard let stored = ChildTokenSeal.open(sealed, parent: parent) else {
                throw EngineError.invalidGrant(.unknownToken)
            }
            metrics.refresh(.grace)
            logger.debug("refresh replayed inside grace", metadata: ["session_id": "\(session.id)"])
            return try await issue(session: session, roles: roles, refreshToken: stored, now: now)
        case .expired(let reason, _):
            metrics.refresh(.invalid)
            metrics.sessionsEnded(reason)
            throw EngineError.invalidGrant(.sessionEnded(reason))
        case .refused(let failure, let userId):
            switch failure {
            case .reuseDetected:
                metrics.refresh(.reuse)
                metrics.sessionsEnded(.reuseDetected)
                logger.warning(
                    "refresh token reuse detected; session revoked",
                    metadata: ["user_id": "\(userId ?? "-")"]
                )
            case .bindingMismatch:
                metrics.refresh(.bindingMismatch)
                logger.notice("refresh binding mismatch", metadata: ["user_id": "\(userId ?? "-")"])
            case .unknownToken, .sessionEnded, .invalidCode, .invalidDeviceCode:
                metrics.refresh(.invalid)
                logger.debug("refresh refused", metadata: ["reason": "\(failure.description)"])
            }
            throw EngineError.invalidGrant(failure)
        }
    }

    /// Logs out with a refresh token: `local` ends its session, `others` every other session of the user,
    /// `global` all of them. An unknown, used or revoked token changes nothing and is not an error (no oracle).
    /// - Parameter dpopThumbprint: The key of the request's verified DPoP proof; a session bound to a key is ended
    ///   only with a proof by it (``EngineError/dpopProofRequired``), as it is refreshed only with one.
    public func logout(
        refreshToken presented: String,
        scope: SessionScope = .local,
        dpopThumbprint: String? = nil,
        client: ClientInfo = ClientInfo()
    ) async throws {
        guard let token = RefreshToken(presented: presented) else { return }
        let now = clock.now()
        if let bound = try await store.liveSession(currentTokenHash: token.hash, now: now)?.dpopThumbprint,
            bound != dpopThumbprint
        {
            throw EngineError.dpopProofRequired
        }
        let result = try await endSessions(
            SessionEnding(
                anchor: .currentToken(hash: token.hash),
                scope: scope,
                reason: .logout,
                at: now,
                events: [EndingEvent(type: AuditEventType.logout, cause: scope.rawValue)],
                client: client
            )
        )
        if result.resolved {
            logger.info("logout", metadata: ["user_id": "\(result.userId ?? "-")", "ended": "\(result.ended.count)"])
        }
    }

    /// Logs out with an access token; the anchor is the session the token was issued for.
    public func logout(
        principal: Principal,
        scope: SessionScope = .local,
        client: ClientInfo = ClientInfo()
    ) async throws {
        let now = clock.now()
        let result = try await endSessions(
            SessionEnding(
                anchor: .session(id: principal.sessionId, userId: principal.userId),
                scope: scope,
                reason: .logout,
                at: now,
                events: [EndingEvent(type: AuditEventType.logout, cause: scope.rawValue)],
                client: client
            )
        )
        logger.info("logout", metadata: ["user_id": "\(principal.userId)", "ended": "\(result.ended.count)"])
    }

    /// The caller's live sessions, newest first.
    public func sessions(of userId: String) async throws -> [SessionRecord] {
        try await store.liveSessions(userId: userId, now: clock.now())
    }

    /// Ends one live session of a user.
    /// - Parameters:
    ///   - id: The session.
    ///   - userId: Its owner (another user's session reads as unknown).
    ///   - reason: `logout` when users end their own devices, `admin` for operators.
    ///   - client: Who asked.
    /// - Throws: ``EngineError/notFound`` when there is no such live session of that user.
    public func revokeSession(
        id: String,
        userId: String,
        reason: SessionEndReason = .logout,
        client: ClientInfo = ClientInfo()
    ) async throws {
        let result = try await endSessions(
            SessionEnding(
                anchor: .session(id: id, userId: userId),
                scope: .local,
                reason: reason,
                at: clock.now(),
                client: client
            )
        )
        guard !result.ended.isEmpty else { throw EngineError.notFound }
    }

    /// Ends every live session of a user (an admin action).
    /// - Returns: How many ended.
    /// - Throws: ``EngineError/notFound`` for an unknown user.
    @discardableResult
    public func revokeAllSessions(
        userId: String,
        reason: SessionEndReason = .admin,
        client: ClientInfo = ClientInfo()
    )
        async throws -> Int
    {
        let result = try await endSessions(
            SessionEnding(
                anchor: .user(id: userId),
                scope: .global,
                reason: reason,
                at: clock.now(),
                client: client
            )
        )
        guard result.resolved else { throw EngineError.notFound }
        return result.ended.count
    }

    /// Deletes what has expired: sessions ended or expired longer ago than the retention, used refresh tokens
    /// older than the idle lifetime, old events and old failed-login records.
    public func prune() async throws -> PruneReport {
        let report = try await store.prune(configuration.prunePolicy(now: clock.now()))
        logger.info(
            "pruned",
            metadata: [
                "sessions": "\(report.sessions)", "refresh_tokens": "\(report.refreshTokens)",
                "events": "\(report.events)", "login_failures": "\(report.loginFailures)",
            ]
        )
        return report
    }

    func newSession(
        userId: String,
        now: Date,
        deviceId: String?,
        deviceName: String?,
        client: ClientInfo
    )
        -> SessionRecord
    {
        let absolute = now.addingTimeInterval(configuration.sessionMaxAge)
        return SessionRecord(
            id: SecureRandom.uuid(),
            userId: userId,
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
    }
}
