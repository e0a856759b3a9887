/// What a device authorization request (RFC 8628 §3.1) may ask for, decided before any code is issued.
public struct DeviceGrant: Sendable, Equatable {
    /// The scopes asked for, or every scope of the client when none was.
    public var scopes: [String]
    /// The RFC 8707 resources asked for (empty: the client's audience).
    public var resources: [String]

    /// Decides a request.
    /// - Parameters:
    ///   - client: The client, authenticated by its registered method (a public client by its id alone).
    ///   - scope: The `scope` parameter, if sent.
    ///   - resources: The `resource` parameters.
    ///   - defaultAudience: The server's audience, for a client that registered none.
    /// - Throws: ``GrantRefusal`` with the RFC error to answer.
    public static func check(
        client: ClientRecord,
        scope: String?,
        resources: [String],
        defaultAudience: String
    ) throws(GrantRefusal) -> DeviceGrant {
        guard client.metadata.grantTypes.contains(.deviceCode) else {
            throw .unauthorizedClient("This client is not registered for the device authorization grant.")
        }
        var scopes = client.metadata.scopes
        if let scope, !scope.isEmpty {
            scopes = ClientRegistration.unique(scope.split(separator: " ").map(String.init))
            if let unknown = scopes.first(where: { !client.metadata.scopes.contains($0) }) {
                throw .invalidScope("The scope '\(unknown)' is not allowed for this client.")
            }
        }
        let allowed = [client.metadata.audience ?? defaultAudience]
        for resource in resources {
            if let problem = ResourceIndicator.problem(resource, allowed: allowed) { throw .invalidTarget(problem) }
        }
        return DeviceGrant(scopes: scopes, resources: ClientRegistration.unique(resources))
    }
}

/// Why a poll gets no tokens yet, or never will (RFC 8628 §3.5); each case is its error code.
public enum DevicePollRefusal: Error, Sendable, Equatable {
    /// `authorization_pending`.
    case pending
    /// `slow_down`: the interval is now this many seconds.
    case slowDown(interval: Int)
    /// `access_denied`.
    case denied
    /// `expired_token`.
    case expired
}
