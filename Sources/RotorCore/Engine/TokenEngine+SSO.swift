public import Foundation
import Logging
import RotorJWT

/// A successful sign-in at Rotor's hosted page: the SSO session, and the cookie that carries it (a secret).
public struct SSOSignIn: Sendable {
    /// The cookie value: `rss_` and 256 random bits; the store keeps its SHA-256.
    public var cookie: String
    /// The session.
    public var session: SSOSessionRecord
}

extension TokenEngine {
    /// The prefix of SSO cookies, so that a leaked one is recognisable.
    public static let ssoCookiePrefix = "rss_"

    /// Signs a person in at Rotor (the hosted sign-in page) and starts an SSO session: the password check, limits,
    /// metrics and audit event of ``login(email:password:deviceId:deviceName:dpopThumbprint:client:)``.
    /// - Throws: What `login` throws for the password: ``EngineError/rateLimited(retryAfter:)``,
    ///   ``EngineError/overloaded(retryAfter:)``, ``EngineError/invalidCredentials``,
    ///   ``EngineError/accountDisabled``, field errors.
    public func signIn(email: String, password: String, client: ClientInfo = ClientInfo()) async throws -> SSOSignIn {
        let address = try Self.signInFields(email: email, password: password)
        let now = clock.now()
        let user = try await checkSignIn(address, password: password, client: client, now: now)
        let cookie = Self.ssoCookiePrefix + Base64URL.encode(SecureRandom.bytes(32))
        let session = SSOSessionRecord(
            id: SecureRandom.uuid(),
            userId: user.id,
            authTime: now.wholeSeconds,
            createdAt: now,
            lastUsedAt: now,
            idleExpiresAt: min(now + configuration.ssoIdleTTL, now + configuration.ssoMaxAge),
            absoluteExpiresAt: now + configuration.ssoMaxAge
        )
        let event = AuditEvent(
            type: AuditEventType.login,
            at: now,
            userId: user.id,
            sessionId: session.id,
            client: client,
            cause: "sso"
        )
        do {
            try await store.createSSOSession(
                session,
                hash: SecretHash.of(cookie),
                event: event,
                accountStamp: user.securityStamp
            )
        } catch StoreError.accountChanged {
            metrics.login(.invalidCredentials)
            throw EngineError.invalidCredentials
        }
        metrics.login(.success)
        logger.info("sso sign-in", metadata: ["user_id": "\(user.id)", "sso_session_id": "\(session.id)"])
        return SSOSignIn(cookie: cookie, session: session)
    }

    /// The live SSO session a cookie carries, with its idle lifetime restarted; nil for a missing, malformed,
    /// unknown, ended or expired one.
    public func ssoSession(cookie: String?) async throws -> SSOSessionRecord? {
        guard let cookie, cookie.hasPrefix(Self.ssoCookiePrefix), cookie.utf8.count == 47 else { return nil }
        let now = clock.now()
        return try await store.useSSOSession(
            hash: SecretHash.of(cookie),
            now: now,
            idleExpiresAt: now + configuration.ssoIdleTTL
        )
    }
}
