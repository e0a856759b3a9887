public import Foundation
import JWTKit
public import RotorJWT

/// A verified access token: who is calling, in which session, with which scopes and roles.
public struct VerifiedAccessToken: Sendable, Equatable {
    /// Who is behind a token: a person signed in to a session, or a machine (a service's `client_credentials`).
    public enum Caller: Sendable, Equatable {
        /// A person: their user id and the session the token belongs to.
        case person(userId: String, sessionId: String)
        /// A service acting for itself, with no person present: its client id.
        case machine(clientId: String)
    }

    /// The caller: a person or a machine, told apart by the session only a person's token names.
    public var caller: Caller
    /// The user id, or a machine's client id (`sub`).
    public var subject: String
    /// The session (`sid`); nil for a machine.
    public var sessionId: String?
    /// The OAuth client (`client_id`).
    public var clientId: String
    /// The scopes (`scope`, split on spaces).
    public var scopes: Set<String>
    /// The roles (`roles`).
    public var roles: Set<String>
    /// When the token expires (`exp`).
    public var expiresAt: Date
    /// The token's id (`jti`).
    public var tokenId: String
    /// The DPoP key thumbprint the token is bound to (`cnf.jkt`), if any.
    public var dpopThumbprint: String?
    /// Every claim, as verified.
    public var claims: AccessTokenClaims

    init(_ claims: AccessTokenClaims) {
        self.claims = claims
        self.subject = claims.sub.value
        self.sessionId = claims.sid
        if let sid = claims.sid {
            self.caller = .person(userId: claims.sub.value, sessionId: sid)
        } else {
            self.caller = .machine(clientId: claims.clientId)
        }
        self.clientId = claims.clientId
        self.scopes = Set(claims.scope.split(separator: " ").map(String.init))
        self.roles = Set(claims.roles)
        self.expiresAt = claims.exp.value
        self.tokenId = claims.jti.value
        self.dpopThumbprint = claims.cnf?.jkt
    }
}
