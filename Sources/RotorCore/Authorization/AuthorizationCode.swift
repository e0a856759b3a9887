public import Foundation

/// An issued authorization code as the store keeps it: only its SHA-256, and everything the code is bound to.
public struct AuthorizationCodeRecord: Sendable, Equatable {
    /// SHA-256 of the code.
    public var hash: Data
    /// The client it was issued to.
    public var clientId: String
    /// The person who signed in.
    public var userId: String
    /// The redirect URI of the request, exactly as presented (the token request must repeat it).
    public var redirectURI: String
    /// The scopes granted.
    public var scopes: [String]
    /// The request's `nonce`, for the ID token.
    public var nonce: String?
    /// The PKCE `S256` challenge.
    public var codeChallenge: String
    /// When the person last typed their password (`auth_time`).
    public var authTime: Date
    /// When it was issued.
    public var createdAt: Date
    /// When it stops working (60 s after issue).
    public var expiresAt: Date
    /// The SSO session the person signed in with: the session the code starts is ended with it.
    public var ssoSessionId: String?
    /// The granted RFC 8707 resources, when the request named any: the access tokens' `aud`.
    public var resources: [String]

    /// Creates a code record.
    public init(
        hash: Data,
        clientId: String,
        userId: String,
        redirectURI: String,
        scopes: [String],
        nonce: String?,
        codeChallenge: String,
        authTime: Date,
        createdAt: Date,
        expiresAt: Date,
        ssoSessionId: String? = nil,
        resources: [String] = []
    ) {
        self.hash = hash
        self.clientId = clientId
        self.userId = userId
        self.redirectURI = redirectURI
        self.scopes = scopes
        self.nonce = nonce
        self.codeChallenge = codeChallenge
        self.authTime = authTime
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.ssoSessionId = ssoSessionId
        self.resources = resources
    }
}

/// What using a code found, decided atomically by the store.
public enum CodeUse: Sendable, Equatable {
    /// This call used it: nobody else can.
    case first(AuthorizationCodeRecord)
    /// It was used before: a replay. The session issued from it, if one was attached yet.
    case replayed(AuthorizationCodeRecord, sessionId: String?)
    /// No such code.
    case unknown
}

/// Authorization codes. Every method is one atomic statement or transaction.
public protocol AuthorizationCodeStore: Sendable {
    /// Stores a new code.
    func insertCode(_ code: AuthorizationCodeRecord) async throws
    /// Marks the code used if it was not, and says which it was; a second use is recorded as a replay.
    func useCode(hash: Data, at: Date) async throws -> CodeUse
    /// Records the session issued from a code.
    /// - Returns: `false` when the code was replayed before the session was attached: the caller ends it.
    func attachSession(codeHash: Data, sessionId: String) async throws -> Bool
}
