import Foundation
import Logging

extension TokenEngine {
    /// Creates an account.
    /// - Parameters:
    ///   - email: The address as typed; stored lower-cased.
    ///   - password: 8…1024 bytes.
    ///   - roles: Roles to grant (`rotor users create --admin` grants `admin`).
    ///   - client: Who signs up: sign-ups from one IP are limited like failed logins (each costs a hash).
    /// - Returns: The new account.
    /// - Throws: ``EngineError/invalidField(name:reason:)``, ``EngineError/emailTaken``,
    ///   ``EngineError/rateLimited(retryAfter:)``, ``EngineError/overloaded(retryAfter:)``.
    public func signUp(
        email: String,
        password: String,
        roles: [String] = [],
        client: ClientInfo = ClientInfo()
    )
        async throws -> UserRecord
    {
        guard let address = EmailAddress(email) else {
            throw EngineError.invalidField(name: "email", reason: "is not a valid email address")
        }
        try Self.checkPassword(password, field: "password")
        try await reserveSignUp(client: client, now: clock.now())
        let passwordHash: String
        do {
            passwordHash = try await hasher.hash(password)
        } catch is PasswordHasherBusy {
            throw EngineError.overloaded(retryAfter: 1)
        }
        let user = UserRecord(
            id: SecureRandom.uuid(),
            email: address.value,
            passwordHash: passwordHash,
            createdAt: clock.now().wholeSeconds,
            roles: roles
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

    /// Finds an account by email (normalized here).
    public func user(email: String) async throws -> UserRecord? {
        guard let address = EmailAddress(email) else { return nil }
        return try await store.user(email: address.value)
    }

    /// Changes the caller's password: every session of the user ends (`password_change`) and a new one starts,
    /// in one transaction.
    /// - Returns: The first pair of the new session.
    /// - Throws: ``EngineError/invalidCredentials`` for a wrong current password (nothing changes).
    public func changePassword(
        principal: Principal,
        currentPassword: String,
        newPassword: String,
        client: ClientInfo = ClientInfo()
    ) async throws -> IssuedTokens {
        try Self.checkPassword(newPassword, field: "new_password")
        let user = try await verifiedUser(
            principal,
            password: currentPassword,
            cause: "password_change",
            client: client
        )
        let hash: String
        do {
            hash = try await hasher.hash(newPassword)
        } catch is PasswordHasherBusy {
            throw EngineError.overloaded(retryAfter: 1)
        }
        return try await restartSessions(
            user: user,
            change: .passwordHash(hash),
            reason: .passwordChange,
            eventType: AuditEventType.passwordChanged,
            dpopThumbprint: principal.dpopThumbprint,
            client: client
        )
    }

    /// Changes the caller's email address: every session ends (`email_change`) and a new one starts.
    /// - Returns: The first pair of the new session.
    /// - Throws: ``EngineError/invalidCredentials`` (wrong password), ``EngineError/emailTaken``.
    public func changeEmail(
        principal: Principal,
        password: String,
        newEmail: String,
        client: ClientInfo = ClientInfo()
    ) async throws -> IssuedTokens {
        guard let address = EmailAddress(newEmail) else {
            throw EngineError.invalidField(name: "new_email", reason: "is not a valid email address")
        }
        let user = try await verifiedUser(principal, password: password, cause: "email_change", client: client)
        do {
            return try await restartSessions(
                user: user,
                change: .email(address.value),
                reason: .emailChange,
                eventType: AuditEventType.emailChanged,
                dpopThumbprint: principal.dpopThumbprint,
                client: client
            )
        } catch StoreError.emailTaken {
            throw EngineError.emailTaken
        }
    }

    /// Disables or enables an account. Disabling ends every session (`user_disabled`); the user's access tokens
    /// stop working on Rotor's routes and logins answer `403 account_disabled`.
    /// - Throws: ``EngineError/notFound`` for an unknown user.
    public func setDisabled(userId: String, disabled: Bool, client: ClientInfo = ClientInfo()) async throws {
        let now = clock.now()
        let result = try await endSessions(
            SessionEnding(
                anchor: .user(id: userId),
                scope: disabled ? .global : .local,
                reason: .userDisabled,
                at: now,
                accountChange: .disabled(disabled ? now : nil),
                events: [EndingEvent(type: disabled ? AuditEventType.userDisabled : AuditEventType.userEnabled)],
                client: client
            )
        )
        guard result.resolved else { throw EngineError.notFound }
        logger.notice(
            disabled ? "user disabled" : "user enabled",
            metadata: ["user_id": "\(userId)", "sessions_ended": "\(result.ended.count)"]
        )
    }

    /// Replaces an account's roles.
    public func setRoles(userId: String, roles: [String]) async throws {
        try await store.setRoles(userId: userId, roles: roles)
    }

    /// All accounts.
    public func users() async throws -> [UserRecord] {
        try await store.users()
    }

    /// The caller's newest audit events, newest first.
    public func events(userId: String, limit: Int = 100) async throws -> [AuditEvent] {
        try await store.events(userId: userId, limit: limit)
    }

    /// The caller's account, once the password they typed is checked under the login limits (a stolen access
    /// token is no way around them) and their session is found still live.
    private func verifiedUser(
        _ principal: Principal,
        password: String,
        cause: String,
        client: ClientInfo
    ) async throws
        -> UserRecord
    {
        try await requireLiveSession(principal)
        guard let user = try await store.user(id: principal.userId), user.disabledAt == nil else {
            throw EngineError.invalidToken
        }
        guard PasswordPolicy.isAcceptable(password) else { throw EngineError.invalidCredentials }
        _ = try await guardedPasswordCheck(
            password,
            email: user.email,
            user: user,
            client: client,
            now: clock.now(),
            cause: cause
        )
        return user
    }

    /// Refuses a caller whose session has ended: its access token still verifies until it expires, but Rotor
    /// itself knows better, and the routes that change the account or other sessions ask.
    /// - Throws: ``EngineError/invalidToken``.
    public func requireLiveSession(_ principal: Principal) async throws {
        guard let session = try await store.session(id: principal.sessionId), session.userId == principal.userId,
            session.isLive(at: clock.now())
        else { throw EngineError.invalidToken }
    }

    private func restartSessions(
        user: UserRecord,
        change: AccountChange,
        reason: SessionEndReason,
        eventType: String,
        dpopThumbprint: String?,
        client: ClientInfo
    ) async throws -> IssuedTokens {
        let now = clock.now()
        // The new session keeps the caller's DPoP key: the device that asked stays bound to it.
        var session = newSession(userId: user.id, now: now, deviceId: nil, deviceName: nil, client: client)
        session.dpopThumbprint = dpopThumbprint
        let token = tagger.token(session: session.id, generation: 0)
        let event = AuditEvent(type: eventType, at: now, userId: user.id, sessionId: session.id, client: client)
        do {
            // Only if the account is as it was when the password was checked: of two changes racing, one wins.
            _ = try await endSessions(
                SessionEnding(
                    anchor: .user(id: user.id),
                    scope: .global,
                    reason: reason,
                    at: now,
                    accountChange: change,
                    events: [],
                    client: client,
                    newSession: (session, token.hash, event),
                    expectedStamp: user.securityStamp
                )
            )
        } catch StoreError.accountChanged {
            throw EngineError.invalidCredentials
        }
        logger.info("\(eventType)", metadata: ["user_id": "\(user.id)"])
        return try await issue(session: session, roles: user.roles, refreshToken: token, now: now)
    }
}
