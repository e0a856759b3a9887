public import Foundation

/// What an operator registers about an app: the RFC 7591 metadata Rotor uses, plus its audience and whether it is
/// first-party. Validated by ``ClientRegistration``; stored as JSON by the stores, which never look inside.
public struct ClientMetadata: Codable, Sendable, Equatable {
    /// A name to show people (sign-in, consent, the account page).
    public var name: String?
    /// Where authorization answers may go, matched exactly.
    public var redirectURIs: [String]
    /// Where RP-initiated logout may send the person afterwards, matched exactly.
    public var postLogoutRedirectURIs: [String]
    /// The grants the client may use.
    public var grantTypes: [GrantType]
    /// How the client authenticates at the token endpoint.
    public var tokenEndpointAuthMethod: ClientAuthMethod
    /// Where the client's public keys are (`private_key_jwt`).
    public var jwksURI: String?
    /// The client's public keys as a JWK set, JSON text (`private_key_jwt`, instead of `jwksURI`).
    public var jwks: String?
    /// The scopes the client may ask for.
    public var scopes: [String]
    /// The `aud` of the client's access tokens; `nil` for the server's audience (`ROTOR_AUDIENCE`).
    public var audience: String?
    /// Where Rotor POSTs a logout token when one of the client's sessions ends (Back-Channel Logout 1.0).
    public var backchannelLogoutURI: String?
    /// A first-party app of the organisation: it never shows the consent screen.
    public var firstParty: Bool
    /// The algorithm of the client's ID tokens: `RS256` (the default, which every OpenID library supports),
    /// `ES256` or `EdDSA`.
    public var idTokenSignedResponseAlg: String

    /// Creates client metadata; the defaults are a confidential web app that signs people in.
    public init(
        name: String? = nil,
        redirectURIs: [String] = [],
        postLogoutRedirectURIs: [String] = [],
        grantTypes: [GrantType] = [.authorizationCode, .refreshToken],
        tokenEndpointAuthMethod: ClientAuthMethod = .clientSecretBasic,
        jwksURI: String? = nil,
        jwks: String? = nil,
        scopes: [String] = ["openid", "email"],
        audience: String? = nil,
        backchannelLogoutURI: String? = nil,
        firstParty: Bool = false,
        idTokenSignedResponseAlg: String = "RS256"
    ) {
        self.name = name
        self.redirectURIs = redirectURIs
        self.postLogoutRedirectURIs = postLogoutRedirectURIs
        self.grantTypes = grantTypes
        self.tokenEndpointAuthMethod = tokenEndpointAuthMethod
        self.jwksURI = jwksURI
        self.jwks = jwks
        self.scopes = scopes
        self.audience = audience
        self.backchannelLogoutURI = backchannelLogoutURI
        self.firstParty = firstParty
        self.idTokenSignedResponseAlg = idTokenSignedResponseAlg
    }

    enum CodingKeys: String, CodingKey {
        case name = "client_name"
        case redirectURIs = "redirect_uris"
        case postLogoutRedirectURIs = "post_logout_redirect_uris"
        case grantTypes = "grant_types"
        case tokenEndpointAuthMethod = "token_endpoint_auth_method"
        case jwksURI = "jwks_uri"
        case jwks
        case scopes = "scopes"
        case audience
        case backchannelLogoutURI = "backchannel_logout_uri"
        case firstParty = "first_party"
        case idTokenSignedResponseAlg = "id_token_signed_response_alg"
    }

    /// The metadata as the stores keep it: JSON with RFC 7591's names, sorted keys.
    public func storedForm() throws -> String {
        try Self.canonicalJSON(self)
    }

    /// JSON with sorted keys and unescaped slashes: the one text form of the stored metadata and its JWK set.
    public static func canonicalJSON(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Reads the stored form back.
    public init(storedForm: String) throws {
        self = try JSONDecoder().decode(ClientMetadata.self, from: Data(storedForm.utf8))
    }
}
