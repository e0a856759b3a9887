/// How a client authenticated a token request, as read from the request (RFC 6749 §2.3.1): the engine checks it
/// against the client's registered method.
public struct ClientCredentials: Sendable, Equatable {
    /// The client id presented.
    public var clientId: String
    /// The method the request used: `client_secret_basic`, `client_secret_post` or `none` (a `client_id` only).
    public var method: ClientAuthMethod
    /// The secret, for the two secret methods. A secret: never logged.
    public var secret: String?

    /// Creates credentials.
    public init(clientId: String, method: ClientAuthMethod, secret: String? = nil) {
        self.clientId = clientId
        self.method = method
        self.secret = secret
    }
}
