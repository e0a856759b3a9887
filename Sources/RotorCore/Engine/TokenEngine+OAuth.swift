import Foundation
import JWTKit
import Logging
public import RotorJWT

/// What `/oauth/introspect` learns about a token (RFC 7662).
public enum Introspection: Sendable, Equatable {
    /// Not a token Rotor would accept now: the answer is only `{"active": false}`.
    case inactive
    /// A current refresh token of a live session.
    case refreshToken(SessionRecord)
    /// A valid access token whose user is enabled and whose session is still live.
    case accessToken(AccessTokenClaims)
}

extension TokenEngine {
    /// Says whether a token is active now, for resource servers that prefer asking to verifying (RFC 7662).
    /// Unlike local verification, it also knows whether the access token's session has ended.
    public func introspect(_ token: String) async throws -> Introspection {
        let now = clock.now()
        if let refresh = RefreshToken(presented: token) {
            guard let session = try await store.liveSession(currentTokenHash: refresh.hash, now: now) else {
                return .inactive
            }
            return .refreshToken(session)
        }
        guard let claims = try? await verify(token),
            let user = try await store.user(id: claims.sub.value), user.disabledAt == nil,
            let session = try await store.session(id: claims.sid), session.endedAt == nil,
            session.refreshExpiresAt > now
        else { return .inactive }
        return .accessToken(claims)
    }

    /// Revokes a token (RFC 7009): a refresh token ends its session; a valid access token ends the session it was
    /// issued for. Anything else changes nothing and is not an error.
    public func revoke(_ token: String, client: ClientInfo = ClientInfo()) async throws {
        if RefreshToken(presented: token) != nil {
            try await logout(refreshToken: token, scope: .local, client: client)
            return
        }
        guard let claims = try? await verify(token) else { return }
        let principal = Principal(userId: claims.sub.value, sessionId: claims.sid, roles: claims.roles, scope: claims.scope)
        try await logout(principal: principal, scope: .local, client: client)
    }
}
