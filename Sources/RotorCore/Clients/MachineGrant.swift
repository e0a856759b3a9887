public import Foundation

/// What a `client_credentials` request (RFC 6749 §4.4) may get, decided before anything is issued: a token for the
/// client itself, no person present, so no refresh token, no ID token, and none of the scopes that name a person.
public struct MachineGrant: Sendable, Equatable {
    /// The granted scopes: the requested ones, or every machine scope of the client when none was asked for.
    public var scopes: [String]
    /// The access token's `aud`: the RFC 8707 `resource` values asked for, or the client's audience.
    public var audience: [String]

    /// The scopes that only mean something for a signed-in person (OpenID Connect Core §5.4, §11).
    public static let personScopes: Set<String> = ["openid", "email", "profile", "address", "phone", "offline_access"]

    /// Decides a request.
    /// - Parameters:
    ///   - client: The client, already authenticated by its registered method.
    ///   - scope: The `scope` parameter, if sent (space-separated).
    ///   - resources: The `resource` parameters (RFC 8707), each an audience.
    ///   - defaultAudience: The server's audience, for a client that registered none.
    /// - Throws: ``GrantRefusal`` with the RFC 6749 / RFC 8707 error to answer.
    public static func check(
        client: ClientRecord,
        scope: String?,
        resources: [String],
        defaultAudience: String
    ) throws(GrantRefusal) -> MachineGrant {
        guard client.metadata.tokenEndpointAuthMethod != .none else {
            throw .unauthorizedClient("A public client cannot use client_credentials: it has no credentials.")
        }
        guard client.metadata.grantTypes.contains(.clientCredentials) else {
            throw .unauthorizedClient("This client is not registered for the client_credentials grant.")
        }
        let machineScopes = client.metadata.scopes.filter { !personScopes.contains($0) }
        var scopes = machineScopes
        if let scope, !scope.isEmpty {
            scopes = ClientRegistration.unique(scope.split(separator: " ").map(String.init))
            if let person = scopes.first(where: personScopes.contains) {
                throw .invalidScope("The scope '\(person)' is for a signed-in person, not a client.")
            }
            if let unknown = scopes.first(where: { !machineScopes.contains($0) }) {
                throw .invalidScope("The scope '\(unknown)' is not allowed for this client.")
            }
        }
        let allowed = [client.metadata.audience ?? defaultAudience]
        for resource in resources {
            if let problem = ResourceIndicator.problem(resource, allowed: allowed) { throw .invalidTarget(problem) }
        }
        return MachineGrant(
            scopes: scopes,
            audience: resources.isEmpty ? allowed : ClientRegistration.unique(resources)
        )
    }
}

/// Why a `client_credentials` or device authorization request is refused; each case is its RFC error code, with words for the description.
public enum GrantRefusal: Error, Sendable, Equatable {
    /// `unauthorized_client` (RFC 6749 §5.2).
    case unauthorizedClient(String)
    /// `invalid_scope` (RFC 6749 §5.2).
    case invalidScope(String)
    /// `invalid_target` (RFC 8707 §2).
    case invalidTarget(String)
}

/// RFC 8707 resource indicators: which `resource` values a client may name.
public enum ResourceIndicator {
    /// Why `resource` may not be asked for (an absolute URI with no fragment, one of `allowed`), or `nil`.
    public static func problem(_ resource: String, allowed: [String]) -> String? {
        guard let parts = URLComponents(string: resource), parts.scheme != nil, parts.fragment == nil else {
            return "resource must be an absolute URI with no fragment."
        }
        guard allowed.contains(resource) else { return "This app may not ask for tokens for '\(resource)'." }
        return nil
    }
}
