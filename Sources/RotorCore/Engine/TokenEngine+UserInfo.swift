import Foundation
import JWTKit
import Logging
import RotorJWT

/// What `/oauth/userinfo` tells a client about the person (OpenID Connect Core §5.3).
public struct UserInfo: Sendable, Equatable {
    /// The user id.
    public var sub: String
    /// With scope `email`.
    public var email: String?
    /// With scope `email`: false until Rotor verifies addresses.
    public var emailVerified: Bool?
}

extension TokenEngine {
    /// The claims about the person an access token of any client was issued for.
    /// - Parameters:
    ///   - accessToken: The token from `Authorization`.
    ///   - dpopThumbprint: The key of the request's verified DPoP proof (a bound token needs one by its key).
    /// - Throws: ``EngineError/invalidToken`` for a token Rotor did not issue, an expired one, one of an ended
    ///   session or of a disabled user; ``EngineError/insufficientScope`` without `openid`.
    public func userInfo(accessToken: String, dpopThumbprint: String? = nil) async throws -> UserInfo {
        let claims: AccessTokenClaims
        do {
            claims = try await verify(accessToken, rules: anyAudience)
        } catch {
            logger.debug("userinfo token refused", metadata: ["reason": "\(error)"])
            throw EngineError.invalidToken
        }
        guard claims.cnf?.jkt == dpopThumbprint else { throw EngineError.invalidToken }
        let scopes = claims.scope.split(separator: " ")
        guard scopes.contains("openid") else { throw EngineError.insufficientScope }
        // The provider can tell what a verifier cannot: the session ended, or the account was disabled.
        guard let sid = claims.sid, let user = try await store.user(id: claims.sub.value), user.disabledAt == nil,
            let session = try await store.session(id: sid), session.endedAt == nil
        else { throw EngineError.invalidToken }
        let withEmail = scopes.contains("email")
        return UserInfo(sub: user.id, email: withEmail ? user.email : nil, emailVerified: withEmail ? false : nil)
    }
}
