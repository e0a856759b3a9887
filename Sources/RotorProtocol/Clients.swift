/// The body of `POST /v1/admin/clients`: RFC 7591 client metadata, plus the client id asked for and Rotor's
/// `audience` and `first_party`. Every field may be left out; the defaults are a confidential web app
/// (`client_secret_basic`, `authorization_code` and `refresh_token`, scopes `openid email`).
public struct ClientRegistrationRequest: Codable, Sendable, Equatable {
    /// The client id; generated when absent.
    public var clientId: String?
    /// The name people see.
    public var clientName: String?
    /// Where authorization answers may go (exact match).
    public var redirectURIs: [String]?
    /// Where RP-initiated logout may end (exact match).
    public var postLogoutRedirectURIs: [String]?
    /// `authorization_code`, `refresh_token`, `client_credentials`, `urn:ietf:params:oauth:grant-type:device_code`.
    public var grantTypes: [String]?
    /// `none`, `client_secret_basic`, `client_secret_post` or `private_key_jwt`.
    public var tokenEndpointAuthMethod: String?
    /// Where the client's keys are (`private_key_jwt`).
    public var jwksURI: String?
    /// The client's keys as a JWK set (`private_key_jwt`), instead of `jwks_uri`.
    public var jwks: JSONValue?
    /// The scopes the client may ask for, space-separated.
    public var scope: String?
    /// The `aud` of its access tokens; the server's audience when absent.
    public var audience: String?
    /// Where logout tokens are POSTed (Back-Channel Logout 1.0).
    public var backchannelLogoutURI: String?
    /// A first-party app: no consent screen.
    public var firstParty: Bool?
    /// `RS256` (default), `ES256` or `EdDSA`.
    public var idTokenSignedResponseAlg: String?

    /// Creates a registration request.
    public init(
        clientId: String? = nil,
        clientName: String? = nil,
        redirectURIs: [String]? = nil,
        postLogoutRedirectURIs: [String]? = nil,
        grantTypes: [String]? = nil,
        tokenEndpointAuthMethod: String? = nil,
        jwksURI: String? = nil,
        jwks: JSONValue? = nil,
        scope: String? = nil,
        audience: String? = nil,
        backchannelLogoutURI: String? = nil,
        firstParty: Bool? = nil,
        idTokenSignedResponseAlg: String? = nil
    ) {
        self.clientId = clientId
        self.clientName = clientName
        self.redirectURIs = redirectURIs
        self.postLogoutRedirectURIs = postLogoutRedirectURIs
        self.grantTypes = grantTypes
        self.tokenEndpointAuthMethod = tokenEndpointAuthMethod
        self.jwksURI = jwksURI
        self.jwks = jwks
        self.scope = scope
        self.audience = audience
        self.backchannelLogoutURI = backchannelLogoutURI
        self.firstParty = firstParty
        self.idTokenSignedResponseAlg = idTokenSignedResponseAlg
    }

    enum CodingKeys: String, CodingKey {
        case clientId = "client_id"
        case clientName = "client_name"
        case redirectURIs = "redirect_uris"
        case postLogoutRedirectURIs = "post_logout_redirect_uris"
        case grantTypes = "grant_types"
        case tokenEndpointAuthMethod = "token_endpoint_auth_method"
        case jwksURI = "jwks_uri"
        case jwks
        case scope
        case audience
        case backchannelLogoutURI = "backchannel_logout_uri"
        case firstParty = "first_party"
        case idTokenSignedResponseAlg = "id_token_signed_response_alg"
    }
}

/// A registered client (RFC 7591 §3.2.1 client information response): what `rotor clients create|show` print and
/// `/v1/admin/clients` answers. `client_secret` is there only in the answer that made it.
public struct ClientInformation: Codable, Sendable, Equatable {
    /// The client id.
    public var clientId: String
    /// The secret, shown once (`client_secret_basic` / `client_secret_post` clients, at registration).
    public var clientSecret: String?
    /// When the client was registered (seconds since 1970).
    public var clientIdIssuedAt: Int
    /// 0: secrets do not expire on their own (a rotation retires them).
    public var clientSecretExpiresAt: Int?
    /// The name people see.
    public var clientName: String?
    /// The registered redirect URIs.
    public var redirectURIs: [String]
    /// The registered post-logout redirect URIs.
    public var postLogoutRedirectURIs: [String]
    /// The grants it may use.
    public var grantTypes: [String]
    /// `code` when it may use the authorization-code grant; empty otherwise.
    public var responseTypes: [String]
    /// How it authenticates at the token endpoint.
    public var tokenEndpointAuthMethod: String
    /// Where its keys are.
    public var jwksURI: String?
    /// Its keys.
    public var jwks: JSONValue?
    /// The scopes it may ask for, space-separated.
    public var scope: String
    /// The `aud` of its access tokens (absent: the server's audience).
    public var audience: String?
    /// Where logout tokens go.
    public var backchannelLogoutURI: String?
    /// Whether its logout tokens carry `sid` (always: Rotor sends it).
    public var backchannelLogoutSessionRequired: Bool
    /// A first-party app: no consent screen.
    public var firstParty: Bool
    /// The algorithm of its ID tokens.
    public var idTokenSignedResponseAlg: String

    /// Creates client information.
    public init(
        clientId: String,
        clientSecret: String? = nil,
        clientIdIssuedAt: Int,
        clientSecretExpiresAt: Int? = nil,
        clientName: String? = nil,
        redirectURIs: [String],
        postLogoutRedirectURIs: [String],
        grantTypes: [String],
        responseTypes: [String],
        tokenEndpointAuthMethod: String,
        jwksURI: String? = nil,
        jwks: JSONValue? = nil,
        scope: String,
        audience: String? = nil,
        backchannelLogoutURI: String? = nil,
        backchannelLogoutSessionRequired: Bool,
        firstParty: Bool,
        idTokenSignedResponseAlg: String
    ) {
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.clientIdIssuedAt = clientIdIssuedAt
        self.clientSecretExpiresAt = clientSecretExpiresAt
        self.clientName = clientName
        self.redirectURIs = redirectURIs
        self.postLogoutRedirectURIs = postLogoutRedirectURIs
        self.grantTypes = grantTypes
        self.responseTypes = responseTypes
        self.tokenEndpointAuthMethod = tokenEndpointAuthMethod
        self.jwksURI = jwksURI
        self.jwks = jwks
        self.scope = scope
        self.audience = audience
        self.backchannelLogoutURI = backchannelLogoutURI
        self.backchannelLogoutSessionRequired = backchannelLogoutSessionRequired
        self.firstParty = firstParty
        self.idTokenSignedResponseAlg = idTokenSignedResponseAlg
    }

    enum CodingKeys: String, CodingKey {
        case clientId = "client_id"
        case clientSecret = "client_secret"
        case clientIdIssuedAt = "client_id_issued_at"
        case clientSecretExpiresAt = "client_secret_expires_at"
        case clientName = "client_name"
        case redirectURIs = "redirect_uris"
        case postLogoutRedirectURIs = "post_logout_redirect_uris"
        case grantTypes = "grant_types"
        case responseTypes = "response_types"
        case tokenEndpointAuthMethod = "token_endpoint_auth_method"
        case jwksURI = "jwks_uri"
        case jwks
        case scope
        case audience
        case backchannelLogoutURI = "backchannel_logout_uri"
        case backchannelLogoutSessionRequired = "backchannel_logout_session_required"
        case firstParty = "first_party"
        case idTokenSignedResponseAlg = "id_token_signed_response_alg"
    }
}

/// The answer of `GET /v1/admin/clients`.
public struct ClientList: Codable, Sendable, Equatable {
    /// Every registered client, by id, without secrets.
    public var clients: [ClientInformation]

    /// Creates a client list.
    public init(clients: [ClientInformation]) { self.clients = clients }
}

/// The body of `POST /v1/admin/clients/{id}/secret`: how long the old secrets keep working.
public struct ClientSecretRotationRequest: Codable, Sendable, Equatable {
    /// Seconds the old secrets keep working (0 to 2592000; default 0).
    public var overlap: Int?

    /// Creates a rotation request.
    public init(overlap: Int? = nil) { self.overlap = overlap }
}

/// A client's new secret, shown once: what `rotor clients rotate-secret` prints and the rotation answers.
public struct ClientSecretResponse: Codable, Sendable, Equatable {
    /// The client id.
    public var clientId: String
    /// The new secret.
    public var clientSecret: String

    /// Creates a secret answer.
    public init(clientId: String, clientSecret: String) {
        self.clientId = clientId
        self.clientSecret = clientSecret
    }

    enum CodingKeys: String, CodingKey {
        case clientId = "client_id"
        case clientSecret = "client_secret"
    }
}
