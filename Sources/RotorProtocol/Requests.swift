/// `POST /v1/users`: create an account.
public struct SignupRequest: Codable, Sendable, Equatable {
    /// The email address; compared case-insensitively and stored lower-cased.
    public var email: String
    /// The password, 8…1024 bytes of UTF-8.
    public var password: String

    /// Creates a sign-up request.
    public init(email: String, password: String) {
        self.email = email
        self.password = password
    }
}

/// `POST /v1/auth/login`: start a session.
public struct LoginRequest: Codable, Sendable, Equatable {
    /// The account's email address.
    public var email: String
    /// The account's password.
    public var password: String
    /// An id the client chooses for its device; every refresh of the session must then carry it.
    public var deviceId: String?
    /// A name for people, shown in the session list.
    public var deviceName: String?
    /// `body` (default) or `cookie` (browser mode).
    public var tokenDelivery: String?

    /// Creates a login request.
    public init(
        email: String,
        password: String,
        deviceId: String? = nil,
        deviceName: String? = nil,
        tokenDelivery: String? = nil
    ) {
        self.email = email
        self.password = password
        self.deviceId = deviceId
        self.deviceName = deviceName
        self.tokenDelivery = tokenDelivery
    }

    enum CodingKeys: String, CodingKey {
        case email, password
        case deviceId = "device_id"
        case deviceName = "device_name"
        case tokenDelivery = "token_delivery"
    }
}

/// `POST /v1/auth/token/refresh`: rotate a refresh token.
public struct RefreshRequest: Codable, Sendable, Equatable {
    /// The refresh token to present (nil in cookie mode, where the browser sends the cookie instead).
    public var refreshToken: String?
    /// The device id the session was bound to at login, if any.
    public var deviceId: String?

    /// Creates a refresh request.
    public init(refreshToken: String?, deviceId: String? = nil) {
        self.refreshToken = refreshToken
        self.deviceId = deviceId
    }

    enum CodingKeys: String, CodingKey {
        case refreshToken = "refresh_token"
        case deviceId = "device_id"
    }
}

/// `POST /v1/auth/logout`: end a session.
public struct LogoutRequest: Codable, Sendable, Equatable {
    /// The refresh token of the session to end (or an access token in `Authorization`).
    public var refreshToken: String?
    /// `local` (default): this session only.
    public var scope: String?

    /// Creates a logout request.
    public init(refreshToken: String? = nil, scope: String? = nil) {
        self.refreshToken = refreshToken
        self.scope = scope
    }

    enum CodingKeys: String, CodingKey {
        case refreshToken = "refresh_token"
        case scope
    }
}

/// `POST /v1/me/password`: change the password; every session ends and a new pair answers.
public struct PasswordChangeRequest: Codable, Sendable, Equatable {
    /// The password in use now.
    public var currentPassword: String
    /// The new password, 8…1024 bytes.
    public var newPassword: String
    /// `"cookie"`: the new session's refresh token goes only into the HttpOnly cookie, as at a cookie login.
    public var tokenDelivery: String?

    /// Creates a request.
    public init(currentPassword: String, newPassword: String, tokenDelivery: String? = nil) {
        self.currentPassword = currentPassword
        self.newPassword = newPassword
        self.tokenDelivery = tokenDelivery
    }

    enum CodingKeys: String, CodingKey {
        case currentPassword = "current_password"
        case newPassword = "new_password"
        case tokenDelivery = "token_delivery"
    }
}

/// `POST /v1/me/email`: change the email address; every session ends and a new pair answers.
public struct EmailChangeRequest: Codable, Sendable, Equatable {
    /// The account's password, to prove it is the owner asking.
    public var password: String
    /// The new address.
    public var newEmail: String
    /// `"cookie"`: the new session's refresh token goes only into the HttpOnly cookie, as at a cookie login.
    public var tokenDelivery: String?

    /// Creates a request.
    public init(password: String, newEmail: String, tokenDelivery: String? = nil) {
        self.password = password
        self.newEmail = newEmail
        self.tokenDelivery = tokenDelivery
    }

    enum CodingKeys: String, CodingKey {
        case password
        case newEmail = "new_email"
        case tokenDelivery = "token_delivery"
    }
}
