public import Foundation
import Logging

/// A person's approval that a grant turns into a session: the code grant's redeemed code or the device grant's
/// approved device code, in the terms both share.
struct ApprovedGrant: Sendable {
    /// The person who approved.
    var userId: String
    /// The scopes approved.
    var scopes: [String]
    /// The RFC 8707 resources asked for; empty means the client's audience.
    var resources: [String]
    /// When the person last typed their password.
    var authTime: Date
    /// The authorization request's `nonce` (code grant only).
    var nonce: String?
    /// The SSO session the approval was given in: if it ended since, the approval goes with it.
    var ssoSessionId: String?
    /// Whether the new session belongs to that SSO session (code grant: signing out of Rotor ends it, and the
    /// ID token carries `sid`) or stands on its own (device grant: the device is not the approving browser).
    var tiedToSSO: Bool
    /// The `login` event's cause.
    var cause: String
    /// The one refusal the grant answers for a disabled or changed account or an ended SSO session.
    var failure: GrantFailure
}

extension TokenEngine {
    /// Starts the session of an approved code or device grant: checks the account and the SSO session, opens the
    /// session under the cap, lets the grant record it (`attach`), then answers the token pair and, with `openid`,
    /// an ID token.
    /// - Parameters:
    ///   - grant: What was approved.
    ///   - client: The authenticated client.
    ///   - dpopThumbprint: The key of a verified DPoP proof, which binds the session.
    ///   - info: Who asks.
    ///   - now: The time of the request.
    ///   - attach: Records the new session's id with the grant; throws when the grant was replayed meanwhile
    ///     (and has ended the session).
    func openGrantSession(
        _ grant: ApprovedGrant,
        client: ClientRecord,
        dpopThumbprint: String?,
        info: ClientInfo,
        now: Date,
        attach: (_ sessionId: String) async throws -> Void
    ) async throws -> IssuedTokens {
        guard let user = try await store.user(id: grant.userId), user.disabledAt == nil else {
            throw EngineError.invalidGrant(grant.failure)
        }
        if let ssoId = grant.ssoSessionId {
            // Signed out at Rotor (or the password changed) between the approval and this request.
            guard try await store.ssoSession(id: ssoId)?.endedAt == nil else {
                throw EngineError.invalidGrant(grant.failure)
            }
        }
        var session = newSession(
            userId: user.id,
            now: now,
            deviceId: nil,
            deviceName: client.metadata.name,
            client: info
        )
        session.clientId = client.id
        session.scope = grant.scopes.joined(separator: " ")
        session.audience = grant.resources.isEmpty ? client.metadata.audience.map { [$0] } : grant.resources
        session.ssoSessionId = grant.tiedToSSO ? grant.ssoSessionId : nil
        session.dpopThumbprint = dpopThumbprint
        var tokens: IssuedTokens
        do {
            tokens = try await open(session, for: user, cause: grant.cause, client: info, now: now)
        } catch StoreError.accountChanged {
            throw EngineError.invalidGrant(grant.failure)
        }
        try await attach(session.id)
        tokens.includesRefreshToken = client.metadata.grantTypes.contains(.refreshToken)
        if grant.scopes.contains("openid") {
            tokens.idToken = try await idToken(
                for: user,
                client: client,
                scopes: grant.scopes,
                authTime: grant.authTime,
                nonce: grant.nonce,
                sid: session.ssoSessionId,
                accessToken: tokens.accessToken,
                now: now
            )
        }
        logger.info(
            "grant redeemed",
            metadata: [
                "grant": "\(grant.cause)", "client_id": "\(client.id)", "user_id": "\(user.id)",
                "session_id": "\(session.id)",
            ]
        )
        return tokens
    }

    /// A code or device code presented after its tokens were issued means a second holder: the session it started
    /// ends as a detected reuse.
    /// - Parameter cause: The reuse event's cause (`code_replayed`, `device_code_replayed`).
    func endReplayedGrant(_ sessionId: String, userId: String, cause: String) async throws {
        _ = try await endSessions(
            SessionEnding(
                anchor: .session(id: sessionId, userId: userId),
                scope: .local,
                reason: .reuseDetected,
                at: clock.now(),
                events: [EndingEvent(type: AuditEventType.refreshTokenReuse, cause: cause)]
            )
        )
    }
}
