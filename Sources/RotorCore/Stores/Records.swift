public import Foundation

/// An account as stored.
public struct UserRecord: Sendable, Equatable {
    /// The user id (a lower-case UUID).
    public var id: String
    /// The normalized (lower-cased) email address.
    public var email: String
    /// The self-describing password hash (see ``PasswordHasher``).
    public var passwordHash: String
    /// When the account was created.
    public var createdAt: Date
    /// When an administrator disabled the account, or nil.
    public var disabledAt: Date?
    /// The user's roles, e.g. `admin`.
    public var roles: [String]
    /// Raised by every change of the password, the email or the disabled flag. A session starts only if the stamp
    /// is still the one read when the password was checked, so a login in flight cannot outlive such a change.
    public var securityStamp: Int64

    /// Creates a user record.
    public init(
        id: String,
        email: String,
        passwordHash: String,
        createdAt: Date,
        disabledAt: Date? = nil,
        roles: [String] = [],
        securityStamp: Int64 = 0
    ) {
        self.id = id
        self.email = email
        self.passwordHash = passwordHash
        self.createdAt = createdAt
        self.disabledAt = disabledAt
        self.roles = roles
        self.securityStamp = securityStamp
    }
}

/// Who is on the other end of a request: recorded with sessions and audit events.
public struct ClientInfo: Sendable, Equatable {
    /// The peer's IP address.
    public var ip: String?
    /// The `User-Agent` header.
    public var userAgent: String?

    /// Creates client information.
    public init(ip: String? = nil, userAgent: String? = nil) {
        self.ip = ip
        self.userAgent = userAgent
    }
}

/// A session: one token family, from login to its end.
public struct SessionRecord: Sendable, Equatable {
    /// The session id (the `sid` claim).
    public var id: String
    /// The user it belongs to.
    public var userId: String
    /// The OAuth client id.
    public var clientId: String
    /// Space-separated scopes.
    public var scope: String
    /// Login time.
    public var createdAt: Date
    /// Time of the last login or rotation.
    public var lastUsedAt: Date
    /// When the current refresh token expires if unused.
    public var idleExpiresAt: Date
    /// When the session ends at the latest.
    public var absoluteExpiresAt: Date
    /// The generation of the newest refresh token.
    public var generation: Int
    /// When it ended, or nil while live.
    public var endedAt: Date?
    /// Why it ended.
    public var endReason: SessionEndReason?
    /// The device id it is bound to, if any.
    public var deviceId: String?
    /// The RFC 7638 thumbprint of the DPoP key the session is bound to (RFC 9449), if any: every refresh needs a
    /// proof by that key, and its access tokens carry it as `cnf.jkt`.
    public var dpopThumbprint: String?
    /// The device name for people.
    public var deviceName: String?
    /// The client at login.
    public var createdBy: ClientInfo
    /// The client at the latest use.
    public var lastUsedBy: ClientInfo
    /// The `aud` of its access tokens when not the server's audience: a client's audience or the granted
    /// RFC 8707 resources.
    public var audience: [String]?
    /// The SSO session it was issued under (a client's sign-in through `/oauth/authorize`), which ends it too.
    public var ssoSessionId: String?

    /// Creates a session record.
    public init(
        id: String,
        userId: String,
        clientId: String,
        scope: String,
        createdAt: Date,
        lastUsedAt: Date,
        idleExpiresAt: Date,
        absoluteExpiresAt: Date,
        generation: Int = 0,
        endedAt: Date? = nil,
        endReason: SessionEndReason? = nil,
        deviceId: String? = nil,
        deviceName: String? = nil,
        createdBy: ClientInfo = ClientInfo(),
        lastUsedBy: ClientInfo = ClientInfo(),
        dpopThumbprint: String? = nil,
        audience: [String]? = nil,
        ssoSessionId: String? = nil
    ) {
        self.id = id
        self.userId = userId
        self.clientId = clientId
        self.scope = scope
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.idleExpiresAt = idleExpiresAt
        self.absoluteExpiresAt = absoluteExpiresAt
        self.generation = generation
        self.endedAt = endedAt
        self.endReason = endReason
        self.deviceId = deviceId
        self.deviceName = deviceName
        self.createdBy = createdBy
        self.lastUsedBy = lastUsedBy
        self.dpopThumbprint = dpopThumbprint
        self.audience = audience
        self.ssoSessionId = ssoSessionId
    }

    /// When the current refresh token stops working: the earlier of the idle and the absolute expiry.
    public var refreshExpiresAt: Date { min(idleExpiresAt, absoluteExpiresAt) }

    /// Whether the session is live at `now`: not ended, and neither lifetime over (the one definition of "live").
    public func isLive(at now: Date) -> Bool {
        endedAt == nil && idleExpiresAt > now && absoluteExpiresAt > now
    }

    /// The state the rotation rule looks at.
    public var rotationState: RotationStateMachine.SessionState {
        .init(
            currentGeneration: generation,
            endReason: endReason,
            idleExpiresAt: idleExpiresAt,
            absoluteExpiresAt: absoluteExpiresAt,
            deviceId: deviceId,
            dpopThumbprint: dpopThumbprint,
            clientId: clientId
        )
    }
}

/// A security event in a user's audit trail.
public struct AuditEvent: Sendable, Equatable {
    /// The event type, e.g. `login`, `logout`, `refresh_token_reuse`.
    public var type: String
    /// When it happened.
    public var at: Date
    /// Whose event it is.
    public var userId: String
    /// The session concerned, if any.
    public var sessionId: String?
    /// The client that caused it.
    public var client: ClientInfo
    /// Why, for events that have a cause (`session_revoked`: the session's end reason).
    public var cause: String?

    /// Creates an audit event.
    public init(type: String, at: Date, userId: String, sessionId: String?, client: ClientInfo, cause: String? = nil) {
        self.type = type
        self.at = at
        self.userId = userId
        self.sessionId = sessionId
        self.client = client
        self.cause = cause
    }
}

/// The audit event types the engine records.
public enum AuditEventType {
    /// A successful login.
    public static let login = "login"
    /// A login with a wrong password (for a known account).
    public static let loginFailed = "login_failed"
    /// A logout (the caller's own session).
    public static let logout = "logout"
    /// A session ended for another reason than the caller's own logout; `cause` says which.
    public static let sessionRevoked = "session_revoked"
    /// A refresh token was reused and its session revoked.
    public static let refreshTokenReuse = "refresh_token_reuse"
    /// A refresh came with another device id than the session's.
    public static let refreshBindingMismatch = "refresh_binding_mismatch"
    /// A session ran out (`cause`: `idle_timeout` or `absolute_timeout`).
    public static let sessionExpired = "session_expired"
    /// The password was changed.
    public static let passwordChanged = "password_changed"
    /// The email address was changed.
    public static let emailChanged = "email_changed"
    /// An administrator disabled the account.
    public static let userDisabled = "user_disabled"
    /// An administrator enabled the account.
    public static let userEnabled = "user_enabled"
    /// A login was refused by the brute-force limits.
    public static let rateLimited = "rate_limited"
}

/// A signing key as stored.
public struct SigningKeyRecord: Sendable, Equatable {
    /// The key id published as `kid`.
    public var kid: String
    /// The JOSE algorithm, e.g. `ES256`.
    public var algorithm: String
    /// The private key (PEM). A secret.
    public var privateKey: Data
    /// When it was created.
    public var createdAt: Date
    /// When it stopped signing (a newer key took over), or nil for the current key.
    public var retiredAt: Date?

    /// Creates a signing key record.
    public init(kid: String, algorithm: String, privateKey: Data, createdAt: Date, retiredAt: Date? = nil) {
        self.kid = kid
        self.algorithm = algorithm
        self.privateKey = privateKey
        self.createdAt = createdAt
        self.retiredAt = retiredAt
    }
}
