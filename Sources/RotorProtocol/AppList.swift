/// `GET /v1/me/apps`: the apps the caller is signed in to or has allowed.
public struct AppList: Codable, Sendable, Equatable {
    /// The apps, by name.
    public var apps: [AppInfo]

    /// Creates a list.
    public init(apps: [AppInfo]) {
        self.apps = apps
    }
}

/// One app of ``AppList``.
public struct AppInfo: Codable, Sendable, Equatable {
    /// The client id.
    public var clientId: String
    /// Its name, if registered with one.
    public var clientName: String?
    /// A first-party app of the organisation.
    public var firstParty: Bool
    /// The caller's live sessions at it.
    public var sessions: Int
    /// When one of them was last used (RFC 3339).
    public var lastUsedAt: String?
    /// What the caller allowed it.
    public var scopes: [String]

    /// Creates an entry.
    public init(
        clientId: String,
        clientName: String?,
        firstParty: Bool,
        sessions: Int,
        lastUsedAt: String?,
        scopes: [String]
    ) {
        self.clientId = clientId
        self.clientName = clientName
        self.firstParty = firstParty
        self.sessions = sessions
        self.lastUsedAt = lastUsedAt
        self.scopes = scopes
    }

    enum CodingKeys: String, CodingKey {
        case clientId = "client_id"
        case clientName = "client_name"
        case firstParty = "first_party"
        case sessions
        case lastUsedAt = "last_used_at"
        case scopes
    }
}
