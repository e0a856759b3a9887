/// How a client authenticates at the token endpoint (RFC 7591 `token_endpoint_auth_method`).
public enum ClientAuthMethod: String, Codable, Sendable, CaseIterable {
    /// A public client (a native or single-page app): no secret; PKCE is what protects its codes.
    case none
    /// The secret in HTTP Basic authentication (the default).
    case clientSecretBasic = "client_secret_basic"
    /// The secret as a form field.
    case clientSecretPost = "client_secret_post"
    /// A JWT signed by a key of the client's JWKS (RFC 7523).
    case privateKeyJWT = "private_key_jwt"

    /// Whether a client with this method is confidential (it can keep a credential).
    public var isConfidential: Bool { self != .none }

    /// Whether Rotor issues the client a secret.
    public var usesSecret: Bool { self == .clientSecretBasic || self == .clientSecretPost }
}
