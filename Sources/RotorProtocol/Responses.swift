/// The answer of `POST /v1/users` (201) and `GET /v1/me`.
public struct UserResponse: Codable, Sendable, Equatable {
    /// The user's id (the `sub` of their access tokens).
    public var id: String
    /// The email address, lower-cased.
    public var email: String
    /// When the account was created, RFC 3339 in UTC.
    public var createdAt: String
    /// The user's roles (`GET /v1/me` only).
    public var roles: [String]?

    /// Creates a user response.
    public init(id: String, email: String, createdAt: String, roles: [String]? = nil) {
        self.id = id
        self.email = email
        self.createdAt = createdAt
        self.roles = roles
    }

    enum CodingKeys: String, CodingKey {
        case id, email, roles
        case createdAt = "created_at"
    }
}

/// The answer of `GET /healthz` and `GET /readyz`.
public struct HealthResponse: Codable, Sendable, Equatable {
    /// `ok`, or `unavailable` when a dependency is down.
    public var status: String

    /// Creates a health response.
    public init(status: String) {
        self.status = status
    }
}

/// One live session in `GET /v1/sessions`.
public struct SessionInfo: Codable, Sendable, Equatable {
    /// The session id.
    public var id: String
    /// Login time (RFC 3339, UTC).
    public var createdAt: String
    /// Time of the latest login or refresh.
    public var lastUsedAt: String
    /// When its refresh token stops working unless used.
    public var expiresAt: String
    /// The device name given at login.
    public var deviceName: String?
    /// The user agent of the latest use.
    public var userAgent: String?
    /// The IP address of the latest use.
    public var ip: String?
    /// Whether this is the session of the access token that asked.
    public var current: Bool

    /// Creates a session entry.
    public init(
        id: String, createdAt: String, lastUsedAt: String, expiresAt: String, deviceName: String?,
        userAgent: String?, ip: String?, current: Bool
    ) {
        self.id = id
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.expiresAt = expiresAt
        self.deviceName = deviceName
        self.userAgent = userAgent
        self.ip = ip
        self.current = current
    }

    enum CodingKeys: String, CodingKey {
        case id, ip, current
        case createdAt = "created_at"
        case lastUsedAt = "last_used_at"
        case expiresAt = "expires_at"
        case deviceName = "device_name"
        case userAgent = "user_agent"
    }
}

/// The answer of `GET /v1/sessions`.
public struct SessionList: Codable, Sendable, Equatable {
    /// Live sessions, newest first.
    public var sessions: [SessionInfo]

    /// Creates a list.
    public init(sessions: [SessionInfo]) {
        self.sessions = sessions
    }
}

/// One security event in `GET /v1/me/events`.
public struct EventInfo: Codable, Sendable, Equatable {
    /// `login`, `logout`, `session_revoked`, `refresh_token_reuse`, …
    public var type: String
    /// When (RFC 3339, UTC).
    public var at: String
    /// The session concerned.
    public var sessionId: String?
    /// The client's IP address.
    public var ip: String?
    /// The client's user agent.
    public var userAgent: String?
    /// Why, for events with a cause (`session_revoked`: `logout`, `password_change`, `evicted`, …).
    public var cause: String?

    /// Creates an event entry.
    public init(type: String, at: String, sessionId: String?, ip: String?, userAgent: String?, cause: String?) {
        self.type = type
        self.at = at
        self.sessionId = sessionId
        self.ip = ip
        self.userAgent = userAgent
        self.cause = cause
    }

    enum CodingKeys: String, CodingKey {
        case type, at, ip, cause
        case sessionId = "session_id"
        case userAgent = "user_agent"
    }
}

/// The answer of `GET /v1/me/events`.
public struct EventList: Codable, Sendable, Equatable {
    /// Events, newest first.
    public var events: [EventInfo]

    /// Creates a list.
    public init(events: [EventInfo]) {
        self.events = events
    }
}
