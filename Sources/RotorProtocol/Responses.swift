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
