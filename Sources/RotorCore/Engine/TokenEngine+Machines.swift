import Foundation
import Logging
import RotorJWT

/// An access token for a client acting for itself (RFC 6749 §4.4.3): nothing else, since no person is present to
/// hold a session.
public struct MachineToken: Sendable, Equatable {
    /// The signed access token: `sub` and `client_id` are the client id, no `sid`, no roles.
    public var accessToken: String
    /// Seconds until it expires.
    public var expiresIn: Int
    /// The granted scopes, space-separated (RFC 6749 §5.1).
    public var scope: String
}

extension TokenEngine {
    /// Issues a `client_credentials` token to a client that has already authenticated.
    /// - Parameters:
    ///   - client: The authenticated client.
    ///   - scope: The `scope` parameter, if sent.
    ///   - resources: The RFC 8707 `resource` parameters.
    /// - Returns: The token; it is not stored anywhere and dies by expiry.
    /// - Throws: ``EngineError/grantRefused(_:)`` as ``MachineGrant/check(client:scope:resources:defaultAudience:)``
    ///   decides.
    public func issueMachineToken(
        client: ClientRecord,
        scope: String?,
        resources: [String]
    ) async throws
        -> MachineToken
    {
        let grant: MachineGrant
        do {
            grant = try MachineGrant.check(
                client: client,
                scope: scope,
                resources: resources,
                defaultAudience: configuration.audience
            )
        } catch {
            metrics.machineToken(.refused)
            throw EngineError.grantRefused(error)
        }
        let iat = clock.now().wholeSeconds
        let ttl = configuration.accessTTL.rounded(.down)
        let scope = grant.scopes.joined(separator: " ")
        let claims = AccessTokenClaims(
            iss: configuration.issuer,
            sub: client.id,
            aud: grant.audience,
            exp: iat.addingTimeInterval(ttl),
            iat: iat,
            jti: SecureRandom.identifier(byteCount: 16),
            sid: nil,
            clientId: client.id,
            scope: scope,
            roles: []
        )
        let token = MachineToken(accessToken: try await keys.sign(claims), expiresIn: Int(ttl), scope: scope)
        metrics.machineToken(.issued)
        return token
    }
}
