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

/// One live session in `GET /v1/sessions`.
public struct SessionInfo: Codable, Sendable, Equatable {
    /// The session id.
    public var id: String
    /// Login time (RFC 3339, UTC).
    public var createdAt: String
    /// Time of the latest login or refresh.
    public var lastUsedAt: String
    /// When its refresh token stops working unless used.
    public var expiresAt: String
    /// The device name given at login.
    public var deviceName: String?
    /// The user agent of the latest use.
    public var userAgent: String?
    /// The IP address of the latest use.
    public var ip: String?
    /// Whether this is the session of the access token that asked.
    public var current: Bool
    /// The client the session belongs to: `rotor` for the JSON API and the account page, else a registered app.
    public var clientId: String?

    /// Creates a session entry.
    public init(
        id: String,
        createdAt: String,
        lastUsedAt: String,
        expiresAt: String,
        deviceName: String?,
        userAgent: String?,
        ip: String?,
        current: Bool,
        clientId: String? = nil
    ) {
        self.clientId = clientId
        self.id = id
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.expiresAt = expiresAt
        self.deviceName = deviceName
        self.userAgent = userAgent
        self.ip = ip
        self.current = current
    }

    enum CodingKeys: String, CodingKey {
        case id, ip, current
        case createdAt = "created_at"
        case lastUsedAt = "last_used_at"
        case expiresAt = "expires_at"
        case deviceName = "device_name"
        case userAgent = "user_agent"
        case clientId = "client_id"
    }
}

/// The answer of `GET /v1/sessions`.
public struct SessionList: Codable, Sendable, Equatable {
    /// Live sessions, newest first.
    public var sessions: [SessionInfo]

    /// Creates a list.
    public init(sessions: [SessionInfo]) {
        self.sessions = sessions
    }
}

/// One security event in `GET /v1/me/events`.
public struct EventInfo: Codable, Sendable, Equatable {
    /// `login`, `logout`, `session_revoked`, `refresh_token_reuse`, …
    public var type: String
    /// When (RFC 3339, UTC).
    public var at: String
    /// The session concerned.
    public var sessionId: String?
    /// The client's IP address.
    public var ip: String?
    /// The client's user agent.
    public var userAgent: String?
    /// Why, for events with a cause (`session_revoked`: `logout`, `password_change`, `evicted`, …).
    public var cause: String?

    /// Creates an event entry.
    public init(type: String, at: String, sessionId: String?, ip: String?, userAgent: String?, cause: String?) {
        self.type = type
        self.at = at
        self.sessionId = sessionId
        self.ip = ip
        self.userAgent = userAgent
        self.cause = cause
    }

    enum CodingKeys: String, CodingKey {
        case type, at, ip, cause
        case sessionId = "session_id"
        case userAgent = "user_agent"
    }
}

/// The answer of `GET /v1/me/events`.
public struct EventList: Codable, Sendable, Equatable {
    /// Events, newest first.
    public var events: [EventInfo]

    /// Creates a list.
    public init(events: [EventInfo]) {
        self.events = events
    }
}

/// The answer of `POST /oauth/introspect` (RFC 7662 §2.2). An inactive token answers `{"active": false}` only.
public struct IntrospectionResponse: Codable, Sendable, Equatable {
    /// Whether the token is usable now.
    public var active: Bool
    /// For an access token its OAuth type, `Bearer` or `DPoP` (RFC 7662 §2.2, RFC 9449 §6.2); for a refresh token
    /// `refresh_token`.
    public var tokenType: String?
    /// Space-separated scopes.
    public var scope: String?
    /// The client it was issued to.
    public var clientId: String?
    /// The user.
    public var sub: String?
    /// Expiry (NumericDate).
    public var exp: Int?
    /// Issue time (NumericDate).
    public var iat: Int?
    /// The issuer.
    public var iss: String?
    /// The audience (access tokens).
    public var aud: [String]?
    /// The token id (access tokens).
    public var jti: String?
    /// The session.
    public var sid: String?
    /// The user's roles (access tokens).
    public var roles: [String]?
    /// The key the token is bound to (RFC 9449 §6.2): a gateway must then ask for a DPoP proof by that key.
    public var cnf: ConfirmationClaim?

    /// Creates an answer; only `active` is set for an inactive token.
    public init(
        active: Bool,
        tokenType: String? = nil,
        scope: String? = nil,
        clientId: String? = nil,
        sub: String? = nil,
        exp: Int? = nil,
        iat: Int? = nil,
        iss: String? = nil,
        aud: [String]? = nil,
        jti: String? = nil,
        sid: String? = nil,
        roles: [String]? = nil,
        cnf: ConfirmationClaim? = nil
    ) {
        self.active = active
        self.tokenType = tokenType
        self.scope = scope
        self.clientId = clientId
        self.sub = sub
        self.exp = exp
        self.iat = iat
        self.iss = iss
        self.aud = aud
        self.jti = jti
        self.sid = sid
        self.roles = roles
        self.cnf = cnf
    }

    enum CodingKeys: String, CodingKey {
        case active, scope, sub, exp, iat, iss, aud, jti, sid, roles, cnf
        case tokenType = "token_type"
        case clientId = "client_id"
    }
}

/// RFC 8414 authorization-server metadata, `GET /.well-known/oauth-authorization-server`.
public struct AuthorizationServerMetadata: Codable, Sendable, Equatable {
    /// The issuer (`iss` of every token).
    public var issuer: String
    /// `POST /oauth/token`.
    public var tokenEndpoint: String
    /// `POST /oauth/revoke`.
    public var revocationEndpoint: String
    /// `POST /oauth/introspect`.
    public var introspectionEndpoint: String
    /// The JWKS.
    public var jwksURI: String
    /// `authorization_code` and `refresh_token` (the JSON API's logins go through `/v1/auth/login`).
    public var grantTypesSupported: [String]
    /// `code`: the only response type.
    public var responseTypesSupported: [String]
    /// `client_secret_basic`, `client_secret_post` and `none` (public clients).
    public var tokenEndpointAuthMethodsSupported: [String]
    /// `none`.
    public var revocationEndpointAuthMethodsSupported: [String]
    /// `bearer`: the introspection secret.
    public var introspectionEndpointAuthMethodsSupported: [String]
    /// Scopes Rotor knows.
    public var scopesSupported: [String]
    /// Where people read about the server.
    public var serviceDocumentation: String?
    /// The algorithms DPoP proofs may use (RFC 9449 §5.1).
    public var dpopSigningAlgValuesSupported: [String]
    /// The revocation feed (Rotor's own: sessions ended before their access tokens expired).
    public var revocationFeedEndpoint: String?
    /// `GET/POST /oauth/authorize`.
    public var authorizationEndpoint: String?
    /// `GET/POST /oauth/userinfo` (OpenID Connect Core §5.3).
    public var userinfoEndpoint: String?
    /// `public`: a user's `sub` is the same for every client.
    public var subjectTypesSupported: [String]?
    /// The algorithms a client may register for its ID tokens.
    public var idTokenSigningAlgValuesSupported: [String]?
    /// `S256` only: `plain` is refused.
    public var codeChallengeMethodsSupported: [String]?
    /// True: every authorization response carries `iss` (RFC 9207).
    public var authorizationResponseIssParameterSupported: Bool?
    /// The claims ID tokens and userinfo may carry.
    public var claimsSupported: [String]?
    /// `query`: answers go back in the redirect URI's query.
    public var responseModesSupported: [String]?
    /// `GET/POST /oauth/logout` (RP-Initiated Logout 1.0).
    public var endSessionEndpoint: String?
    /// True: clients with a `backchannel_logout_uri` get logout tokens (Back-Channel Logout 1.0).
    public var backchannelLogoutSupported: Bool?
    /// True: logout tokens carry `sid`.
    public var backchannelLogoutSessionSupported: Bool?
    /// The algorithms a `private_key_jwt` assertion may be signed with.
    public var tokenEndpointAuthSigningAlgValuesSupported: [String]?
    /// `POST /oauth/device_authorization` (RFC 8628 §4).
    public var deviceAuthorizationEndpoint: String?

    /// Creates metadata.
    public init(
        issuer: String,
        tokenEndpoint: String,
        revocationEndpoint: String,
        introspectionEndpoint: String,
        jwksURI: String,
        grantTypesSupported: [String],
        responseTypesSupported: [String],
        tokenEndpointAuthMethodsSupported: [String],
        revocationEndpointAuthMethodsSupported: [String],
        introspectionEndpointAuthMethodsSupported: [String],
        scopesSupported: [String],
        serviceDocumentation: String?,
        dpopSigningAlgValuesSupported: [String] = [],
        revocationFeedEndpoint: String? = nil,
        authorizationEndpoint: String? = nil,
        userinfoEndpoint: String? = nil,
        subjectTypesSupported: [String]? = nil,
        idTokenSigningAlgValuesSupported: [String]? = nil,
        codeChallengeMethodsSupported: [String]? = nil,
        authorizationResponseIssParameterSupported: Bool? = nil,
        claimsSupported: [String]? = nil,
        responseModesSupported: [String]? = nil,
        endSessionEndpoint: String? = nil,
        backchannelLogoutSupported: Bool? = nil,
        backchannelLogoutSessionSupported: Bool? = nil,
        tokenEndpointAuthSigningAlgValuesSupported: [String]? = nil,
        deviceAuthorizationEndpoint: String? = nil
    ) {
        self.deviceAuthorizationEndpoint = deviceAuthorizationEndpoint
        self.tokenEndpointAuthSigningAlgValuesSupported = tokenEndpointAuthSigningAlgValuesSupported
        self.backchannelLogoutSupported = backchannelLogoutSupported
        self.backchannelLogoutSessionSupported = backchannelLogoutSessionSupported
        self.endSessionEndpoint = endSessionEndpoint
        self.authorizationEndpoint = authorizationEndpoint
        self.userinfoEndpoint = userinfoEndpoint
        self.subjectTypesSupported = subjectTypesSupported
        self.idTokenSigningAlgValuesSupported = idTokenSigningAlgValuesSupported
        self.codeChallengeMethodsSupported = codeChallengeMethodsSupported
        self.authorizationResponseIssParameterSupported = authorizationResponseIssParameterSupported
        self.claimsSupported = claimsSupported
        self.responseModesSupported = responseModesSupported
        self.issuer = issuer
        self.tokenEndpoint = tokenEndpoint
        self.revocationEndpoint = revocationEndpoint
        self.introspectionEndpoint = introspectionEndpoint
        self.jwksURI = jwksURI
        self.grantTypesSupported = grantTypesSupported
        self.responseTypesSupported = responseTypesSupported
        self.tokenEndpointAuthMethodsSupported = tokenEndpointAuthMethodsSupported
        self.revocationEndpointAuthMethodsSupported = revocationEndpointAuthMethodsSupported
        self.introspectionEndpointAuthMethodsSupported = introspectionEndpointAuthMethodsSupported
        self.scopesSupported = scopesSupported
        self.serviceDocumentation = serviceDocumentation
        self.dpopSigningAlgValuesSupported = dpopSigningAlgValuesSupported
        self.revocationFeedEndpoint = revocationFeedEndpoint
    }

    enum CodingKeys: String, CodingKey {
        case issuer
        case tokenEndpoint = "token_endpoint"
        case revocationEndpoint = "revocation_endpoint"
        case introspectionEndpoint = "introspection_endpoint"
        case jwksURI = "jwks_uri"
        case grantTypesSupported = "grant_types_supported"
        case responseTypesSupported = "response_types_supported"
        case tokenEndpointAuthMethodsSupported = "token_endpoint_auth_methods_supported"
        case revocationEndpointAuthMethodsSupported = "revocation_endpoint_auth_methods_supported"
        case introspectionEndpointAuthMethodsSupported = "introspection_endpoint_auth_methods_supported"
        case scopesSupported = "scopes_supported"
        case serviceDocumentation = "service_documentation"
        case dpopSigningAlgValuesSupported = "dpop_signing_alg_values_supported"
        case revocationFeedEndpoint = "rotor_revocation_feed_endpoint"
        case authorizationEndpoint = "authorization_endpoint"
        case userinfoEndpoint = "userinfo_endpoint"
        case subjectTypesSupported = "subject_types_supported"
        case idTokenSigningAlgValuesSupported = "id_token_signing_alg_values_supported"
        case codeChallengeMethodsSupported = "code_challenge_methods_supported"
        case authorizationResponseIssParameterSupported = "authorization_response_iss_parameter_supported"
        case claimsSupported = "claims_supported"
        case responseModesSupported = "response_modes_supported"
        case endSessionEndpoint = "end_session_endpoint"
        case backchannelLogoutSupported = "backchannel_logout_supported"
        case backchannelLogoutSessionSupported = "backchannel_logout_session_supported"
        case tokenEndpointAuthSigningAlgValuesSupported = "token_endpoint_auth_signing_alg_values_supported"
        case deviceAuthorizationEndpoint = "device_authorization_endpoint"
    }
}

/// The `cnf` member of an introspection answer: the thumbprint of the DPoP key a token is bound to.
public struct ConfirmationClaim: Codable, Sendable, Equatable {
    /// The RFC 7638 SHA-256 thumbprint, base64url.
    public var jkt: String

    /// Creates the claim.
    public init(jkt: String) {
        self.jkt = jkt
    }
}
