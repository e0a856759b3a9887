/// How a client authenticated a token request, as read from the request (RFC 6749 §2.3.1): the engine checks it
/// against the client's registered method.
public struct ClientCredentials: Sendable, Equatable {
    /// The client id presented.
    public var clientId: String
    /// The method the request used: `client_secret_basic`, `client_secret_post`, `private_key_jwt` or `none` (a
    /// `client_id` only).
    public var method: ClientAuthMethod
    /// The secret, for the two secret methods. A secret: never logged.
    public var secret: String?
    /// The signed assertion, for `private_key_jwt` (RFC 7523). A credential: never logged.
    public var assertion: String?

    /// Creates credentials.
    public init(clientId: String, method: ClientAuthMethod, secret: String? = nil, assertion: String? = nil) {
        self.clientId = clientId
        self.method = method
        self.secret = secret
        self.assertion = assertion
    }
}
