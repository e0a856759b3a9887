public import Foundation

/// A token pair the engine hands to a client.
public struct IssuedTokens: Sendable {
    /// The signed access token.
    public var accessToken: String
    /// Seconds until it expires.
    public var accessExpiresIn: Int
    /// The session's current refresh token. A secret.
    public var refreshToken: RefreshToken
    /// When the refresh token stops working (the earlier of idle and absolute expiry).
    public var refreshExpiresAt: Date
    /// The session.
    public var session: SessionRecord
    /// When the pair was issued (the engine clock's time of the request).
    public var issuedAt: Date
    /// The ID token, for a client's grant with scope `openid`.
    public var idToken: String? = nil
    /// Whether the answer carries the refresh token: false for a client not registered for `refresh_token`,
    /// whose session then ends by its idle lifetime or a logout.
    public var includesRefreshToken = true

    /// `DPoP` for a DPoP-bound session (its access tokens need a proof at every use), else `Bearer`.
    public var tokenType: String { session.dpopThumbprint == nil ? "Bearer" : "DPoP" }

    /// Seconds from issue until the refresh token stops working.
    public var refreshExpiresIn: Int {
        max(0, Int(refreshExpiresAt.timeIntervalSince(issuedAt).rounded(.down)))
    }
}

/// A user identified by a verified access token.
public struct Principal: Sendable, Equatable {
    /// The user id (`sub`).
    public var userId: String
    /// The session id (`sid`).
    public var sessionId: String
    /// The roles claimed by the token.
    public var roles: [String]
    /// The scopes claimed by the token.
    public var scope: String
    /// The account as read while authenticating, so that a route needs no second read (nil when not read).
    public var user: UserRecord? = nil
    /// The DPoP key the caller proved possession of, for a DPoP-bound token.
    public var dpopThumbprint: String? = nil
}
