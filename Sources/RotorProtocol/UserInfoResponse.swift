/// The answer of `/oauth/userinfo` (OpenID Connect Core §5.3.2).
public struct UserInfoResponse: Codable, Sendable, Equatable {
    /// The user id, as in the ID token.
    public var sub: String
    /// With scope `email`.
    public var email: String?
    /// With scope `email`: false until Rotor verifies addresses.
    public var emailVerified: Bool?

    /// Creates an answer.
    public init(sub: String, email: String? = nil, emailVerified: Bool? = nil) {
        self.sub = sub
        self.email = email
        self.emailVerified = emailVerified
    }

    enum CodingKeys: String, CodingKey {
        case sub, email
        case emailVerified = "email_verified"
    }
}
