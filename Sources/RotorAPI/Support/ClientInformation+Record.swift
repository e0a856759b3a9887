public import Foundation
public import RotorCore
public import RotorProtocol

extension ClientInformation {
    /// The wire form of a registered client, with its secret when it was just made.
    public init(_ client: ClientRecord, secret: String? = nil) {
        let metadata = client.metadata
        self.init(
            clientId: client.id,
            clientSecret: secret,
            clientIdIssuedAt: Int(client.createdAt.timeIntervalSince1970),
            clientSecretExpiresAt: metadata.tokenEndpointAuthMethod.usesSecret ? 0 : nil,
            clientName: metadata.name,
            redirectURIs: metadata.redirectURIs,
            postLogoutRedirectURIs: metadata.postLogoutRedirectURIs,
            grantTypes: metadata.grantTypes.map(\.rawValue),
            responseTypes: metadata.grantTypes.contains(.authorizationCode) ? ["code"] : [],
            tokenEndpointAuthMethod: metadata.tokenEndpointAuthMethod.rawValue,
            jwksURI: metadata.jwksURI,
            jwks: metadata.jwks.flatMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) },
            scope: metadata.scopes.joined(separator: " "),
            audience: metadata.audience,
            backchannelLogoutURI: metadata.backchannelLogoutURI,
            backchannelLogoutSessionRequired: metadata.backchannelLogoutURI != nil,
            firstParty: metadata.firstParty,
            idTokenSignedResponseAlg: metadata.idTokenSignedResponseAlg
        )
    }
}

extension ClientMetadata {
    /// The metadata a registration request asks for, with the defaults for what it leaves out.
    /// - Throws: ``EngineError/invalidField(name:reason:)`` for a grant type or method Rotor does not know.
    public init(_ request: ClientRegistrationRequest) throws {
        self.init()
        name = request.clientName
        redirectURIs = request.redirectURIs ?? []
        postLogoutRedirectURIs = request.postLogoutRedirectURIs ?? []
        if let grants = request.grantTypes {
            grantTypes = try grants.map { name in
                guard let grant = GrantType(rawValue: name) else {
                    throw EngineError.invalidField(
                        name: "grant_types",
                        reason: "'\(name)' is not one of \(GrantType.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                return grant
            }
        }
        if let method = request.tokenEndpointAuthMethod {
            guard let known = ClientAuthMethod(rawValue: method) else {
                throw EngineError.invalidField(
                    name: "token_endpoint_auth_method",
                    reason: "must be one of \(ClientAuthMethod.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            tokenEndpointAuthMethod = known
        }
        jwksURI = request.jwksURI
        if let jwks = request.jwks { self.jwks = try ClientMetadata.canonicalJSON(jwks) }
        if let scope = request.scope { scopes = scope.split(separator: " ").map(String.init) }
        audience = request.audience
        backchannelLogoutURI = request.backchannelLogoutURI
        firstParty = request.firstParty ?? false
        if let algorithm = request.idTokenSignedResponseAlg { idTokenSignedResponseAlg = algorithm }
    }
}
