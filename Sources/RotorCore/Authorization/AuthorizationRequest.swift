/// An authorization request (`/oauth/authorize`) that passed every check: what the person is asked to sign in
/// for, and what the code will be bound to (OpenID Connect Core §3.1.2.1, RFC 6749 §4.1.1, RFC 7636, RFC 8707).
public struct AuthorizationRequest: Sendable, Equatable {
    /// The OpenID Connect `prompt` values Rotor acts on.
    public enum Prompt: String, Sendable, Hashable, CaseIterable {
        /// Answer without any page: `login_required` or `consent_required` when one would be needed.
        case none
        /// Ask for the password even with a live SSO session.
        case login
        /// Ask for consent even when it was given before.
        case consent
        /// One account per SSO session: accepted, and nothing to choose.
        case selectAccount = "select_account"
    }

    /// The client.
    public var clientId: String
    /// The registered redirect URI the answer goes to, as presented (a loopback one with its port).
    public var redirectURI: String
    /// The scopes asked for, each registered for the client, in the order asked.
    public var scopes: [String]
    /// The client's `state`, returned unchanged.
    public var state: String?
    /// The OpenID Connect `nonce`, copied into the ID token.
    public var nonce: String?
    /// The PKCE `S256` challenge.
    public var codeChallenge: String
    /// The `prompt` values.
    public var prompt: Set<Prompt>
    /// `max_age`: the longest time since the person last typed their password that the client accepts.
    public var maxAge: Int?
    /// `login_hint`: an email address to fill in on the sign-in page (never used for anything else).
    public var loginHint: String?
    /// RFC 8707 `resource` values: the audiences the access token is for.
    public var resources: [String]

    /// Creates a request; ``check(_:client:defaultAudience:)`` is how a received one is made.
    public init(
        clientId: String,
        redirectURI: String,
        scopes: [String],
        state: String?,
        nonce: String?,
        codeChallenge: String,
        prompt: Set<Prompt>,
        maxAge: Int?,
        loginHint: String?,
        resources: [String]
    ) {
        self.clientId = clientId
        self.redirectURI = redirectURI
        self.scopes = scopes
        self.state = state
        self.nonce = nonce
        self.codeChallenge = codeChallenge
        self.prompt = prompt
        self.maxAge = maxAge
        self.loginHint = loginHint
        self.resources = resources
    }
}

/// A refused authorization request, and where the refusal may be shown.
public enum AuthorizationError: Error, Sendable, Equatable {
    /// The client or the redirect URI is unknown or not registered: an error page at Rotor, never a redirect, so
    /// that no one can use Rotor to send a browser somewhere (RFC 6749 §4.1.2.1, RFC 9700 §4.11).
    case page(reason: String)
    /// An error for the client, sent to its registered redirect URI with `state` and `iss` (RFC 9207).
    case redirect(AuthorizationErrorResponse)
}

/// The error a client gets at its redirect URI.
public struct AuthorizationErrorResponse: Sendable, Equatable {
    /// The registered redirect URI.
    public var redirectURI: String
    /// RFC 6749 §4.1.2.1 or OpenID Connect Core §3.1.2.6 code: `invalid_request`, `unauthorized_client`,
    /// `unsupported_response_type`, `invalid_scope`, `invalid_target`, `login_required`, ….
    public var error: String
    /// Words for a developer.
    public var description: String
    /// The request's `state`.
    public var state: String?

    /// Creates an error response.
    public init(redirectURI: String, error: String, description: String, state: String?) {
        self.redirectURI = redirectURI
        self.error = error
        self.description = description
        self.state = state
    }
}
