public import Foundation
public import JWTKit
import Logging
public import RotorJWT

/// What `/oauth/introspect` learns about a token (RFC 7662).
public enum Introspection: Sendable, Equatable {
    /// Not a token Rotor would accept now: the answer is only `{"active": false}`.
    case inactive
    /// A current refresh token of a live session.
    case refreshToken(SessionRecord)
    /// A valid access token whose user is enabled and whose session is still live, or a machine's whose client is
    /// still registered.
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
        // Any of Rotor's audiences: the resource server asking judges `aud` itself (RFC 7662 §2.2 answers it).
        guard let claims = try? await verify(token, rules: anyAudience) else { return .inactive }
        guard let sid = claims.sid else {
            // A machine token lives as long as its client: a deleted client's tokens are inactive at once here.
            return try await store.client(id: claims.clientId) == nil ? .inactive : .accessToken(claims)
        }
        guard let user = try await store.user(id: claims.sub.value), user.disabledAt == nil,
            let session = try await store.session(id: sid), session.endedAt == nil,
            session.refreshExpiresAt > now
        else { return .inactive }
        return .accessToken(claims)
    }

    /// Revokes a token (RFC 7009): a refresh token ends its session; a valid access token ends the session it was
    /// issued for. Anything else changes nothing and is not an error — a machine token too, which has no session
    /// and dies by expiry (RFC 7009 §2.2 lets a server not revoke access tokens).
    /// - Parameter dpopThumbprint: The key of the request's verified DPoP proof: a token bound to a key is revoked
    ///   only with a proof by that key, or whoever copied it could end the session without holding the key.
    /// - Throws: ``EngineError/dpopProofRequired`` for a bound token without its proof.
    public func revoke(_ token: String, dpopThumbprint: String? = nil, client: ClientInfo = ClientInfo()) async throws {
        if RefreshToken(presented: token) != nil {
            try await logout(refreshToken: token, scope: .local, dpopThumbprint: dpopThumbprint, client: client)
            return
        }
        guard let claims = try? await verify(token, rules: anyAudience), let sid = claims.sid else { return }
        if let bound = claims.cnf?.jkt, bound != dpopThumbprint { throw EngineError.dpopProofRequired }
        let principal = Principal(
            userId: claims.sub.value,
            sessionId: sid,
            roles: claims.roles,
            scope: claims.scope
        )
        try await logout(principal: principal, scope: .local, client: client)
    }
}

extension TokenEngine {
    /// The rules for a token of any audience Rotor issues for (a registered client's `resource` or audience).
    var anyAudience: AccessTokenRules { .anyAudience(issuer: configuration.issuer, leeway: configuration.leeway) }

    /// The horizon of the revocation feed: an access token of a session that ended longer ago has expired.
    public var revocationHorizon: TimeInterval { configuration.accessTTL + configuration.leeway }

    /// The revocation feed (`GET /v1/revocations`): the sessions that ended since `since` (at most one access-token
    /// lifetime ago), as a JWT signed by the current key with `typ: revocations+jwt`, so that resource services
    /// can trust it with the JWKS they already use and stop honouring those sessions' access tokens.
    /// - Parameter since: The caller's last read (older values are raised to the horizon).
    /// - Returns: The compact JWS.
    public func revocationFeed(since: Date) async throws -> String {
        let now = clock.now()
        let from = max(since, now.addingTimeInterval(-revocationHorizon))
        let ended = try await store.sessionsEnded(since: from)
        let feed = RevocationFeed(
            iss: configuration.issuer,
            iat: Int64(now.timeIntervalSince1970.rounded(.down)),
            since: Int64(from.timeIntervalSince1970.rounded(.down)),
            horizon: Int64(revocationHorizon.rounded(.up)),
            revoked: ended.map { .init(sid: $0.id, at: Int64($0.endedAt.timeIntervalSince1970.rounded(.down))) }
        )
        return try await keys.sign(feed, type: RevocationFeed.type)
    }
}

/// The claims of the revocation feed.
public struct RevocationFeed: JWTPayload, Equatable {
    /// Its `typ`, so that nobody mistakes it for an access token.
    public static let type = "revocations+jwt"

    /// One ended session.
    public struct Entry: Codable, Sendable, Equatable {
        /// The session id (the `sid` of its access tokens).
        public var sid: String
        /// When it ended, in seconds since 1970.
        public var at: Int64
    }

    /// Rotor's issuer.
    public var iss: String
    /// When the feed was made (seconds since 1970): a verifier refuses an old one, which could hide logouts.
    public var iat: Int64
    /// The feed lists sessions ended at or after this time.
    public var since: Int64
    /// Seconds an ended session stays in the feed: the access TTL plus the leeway.
    public var horizon: Int64
    /// The sessions, oldest first.
    public var revoked: [Entry]

    /// Nothing to check when signing.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}
