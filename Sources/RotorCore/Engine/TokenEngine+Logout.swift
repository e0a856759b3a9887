public import Foundation
import Logging

extension TokenEngine {
    /// RP-initiated logout (RP-Initiated Logout 1.0): the SSO session ends, and every live session issued under it
    /// (cause `logout`), in one transaction; the next authorization request asks for the password again.
    /// - Returns: How many client sessions ended.
    @discardableResult
    public func endSSOSession(id: String, client: ClientInfo = ClientInfo()) async throws -> Int {
        let result = try await endSessions(
            SessionEnding(
                anchor: .ssoSession(id: id),
                scope: .local,
                reason: .logout,
                at: clock.now(),
                events: [EndingEvent(type: AuditEventType.logout, cause: "sso")],
                client: client
            )
        )
        logger.info("sso logout", metadata: ["sso_session_id": "\(id)", "sessions": "\(result.ended.count)"])
        return result.ended.count
    }

    /// The claims of an `id_token_hint` Rotor issued (its expiry not judged), or nil.
    public func idTokenHint(_ token: String) async -> IDTokenClaims? {
        await keys.verifyIDToken(token, issuer: configuration.issuer)
    }
}
