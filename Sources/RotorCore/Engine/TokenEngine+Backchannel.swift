public import Foundation
import Logging

/// A back-channel logout ready to send: where, and the signed logout token.
public struct LogoutDispatch: Sendable {
    /// The notice it delivers.
    public var notice: LogoutNotice
    /// The client's `backchannel_logout_uri`.
    public var uri: String
    /// The logout token (a JWT, `typ: logout+jwt`).
    public var token: String
}

extension TokenEngine {
    /// Claims the notices due now (leased for ``LogoutDelivery/lease``) and prepares each one: the client's
    /// back-channel URI and a fresh logout token. A notice whose client has no such URI (or is gone) is dropped.
    public func claimLogouts(limit: Int) async throws -> [LogoutDispatch] {
        let now = clock.now()
        let notices = try await store.claimLogoutNotices(now: now, leaseUntil: now + LogoutDelivery.lease, limit: limit)
        var clients: [String: ClientRecord?] = [:]
        var dispatches: [LogoutDispatch] = []
        for notice in notices {
            if clients[notice.clientId] == nil {
                clients[notice.clientId] = try await store.client(id: notice.clientId)
            }
            guard let client = clients[notice.clientId] ?? nil, let uri = client.metadata.backchannelLogoutURI else {
                try await store.deleteLogoutNotice(id: notice.id)
                continue
            }
            let algorithm = SigningAlgorithm(rawValue: client.metadata.idTokenSignedResponseAlg) ?? .rs256
            if !keys.hasKey(for: algorithm) {
                try await KeyRing.ensureKey(algorithm, in: store, now: now, settings: keys.settings)
                try await keys.refresh(from: store, now: now)
            }
            let claims = LogoutTokenClaims(
                iss: configuration.issuer,
                aud: client.id,
                iat: Int(now.timeIntervalSince1970.rounded(.down)),
                jti: notice.id,
                sub: notice.userId,
                sid: notice.ssoSessionId
            )
            let token = try await keys.sign(claims, type: LogoutTokenClaims.type, algorithm: algorithm)
            dispatches.append(LogoutDispatch(notice: notice, uri: uri, token: token))
        }
        return dispatches
    }

    /// A client acknowledged a logout token (a 2xx answer): the notice is done.
    public func logoutDelivered(_ notice: LogoutNotice) async throws {
        try await store.deleteLogoutNotice(id: notice.id)
        metrics.backchannelLogout(.delivered)
    }

    /// A delivery failed (no answer, or not 2xx): retried later, or given up once its hour has passed.
    public func logoutFailed(_ notice: LogoutNotice) async throws {
        let attempts = notice.attempts + 1
        switch LogoutDelivery.next(afterFailed: attempts, createdAt: notice.createdAt, now: clock.now()) {
        case .retry(let at):
            try await store.postponeLogoutNotice(id: notice.id, attempts: attempts, until: at)
            metrics.backchannelLogout(.retried)
        case .giveUp:
            try await store.deleteLogoutNotice(id: notice.id)
            metrics.backchannelLogout(.givenUp)
            logger.warning(
                "back-channel logout given up",
                metadata: ["client_id": "\(notice.clientId)", "attempts": "\(attempts)"]
            )
        }
    }
}
