public import Foundation
import Logging
import RotorJWT

extension TokenEngine {
    /// The authorization-code grant (RFC 6749 §4.1.3, OpenID Connect Core §3.1.3): redeems the code for an
    /// authenticated client and starts a session like a login does — rotation, grace, reuse detection, the session
    /// list, every cause of revocation — tied to the client and to the SSO session the person signed in with.
    /// - Parameters:
    ///   - code: The code from the redirect.
    ///   - client: The client, already authenticated by its registered method.
    ///   - redirectURI: The `redirect_uri` of the token request: the one the code was issued for.
    ///   - codeVerifier: The PKCE verifier.
    ///   - dpopThumbprint: The key of a verified DPoP proof, which binds the new session.
    ///   - from: Who asks.
    /// - Returns: Access token, refresh token (when the client may refresh) and ID token (with `openid`).
    /// - Throws: ``EngineError/invalidGrant(_:)`` with ``GrantFailure/invalidCode`` for a used, expired or foreign
    ///   code, a wrong verifier or redirect URI, a disabled or changed account, or an ended SSO session.
    public func exchangeCode(
        _ code: String,
        client: ClientRecord,
        redirectURI: String,
        codeVerifier: String,
        dpopThumbprint: String? = nil,
        from info: ClientInfo = ClientInfo()
    ) async throws -> IssuedTokens {
        let redeemed = try await redeemAuthorizationCode(
            code,
            clientId: client.id,
            redirectURI: redirectURI,
            codeVerifier: codeVerifier
        )
        let record = redeemed.record
        let now = clock.now()
        guard let user = try await store.user(id: record.userId), user.disabledAt == nil else {
            throw EngineError.invalidGrant(.invalidCode)
        }
        if let ssoId = record.ssoSessionId {
            // Signed out at Rotor between the redirect and this request: the code dies with the SSO session.
            guard try await store.ssoSession(id: ssoId)?.endedAt == nil else {
                throw EngineError.invalidGrant(.invalidCode)
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
        session.scope = record.scopes.joined(separator: " ")
        session.audience = record.resources.isEmpty ? client.metadata.audience.map { [$0] } : record.resources
        session.ssoSessionId = record.ssoSessionId
        session.dpopThumbprint = dpopThumbprint
        let token = tagger.token(session: session.id, generation: 0)
        let event = AuditEvent(
            type: AuditEventType.login,
            at: now,
            userId: user.id,
            sessionId: session.id,
            client: info,
            cause: "authorization_code"
        )
        let evicted: [SessionRecord]
        do {
            evicted = try await store.createSession(
                session,
                firstTokenHash: token.hash,
                event: event,
                cap: SessionCap(maxLive: configuration.maxSessionsPerUser),
                accountStamp: user.securityStamp
            )
        } catch StoreError.accountChanged {
            throw EngineError.invalidGrant(.invalidCode)
        }
        metrics.sessionsEnded(.evicted, count: evicted.count)
        try await attachSession(session.id, to: redeemed)
        var tokens = try await issue(session: session, roles: user.roles, refreshToken: token, now: now)
        tokens.includesRefreshToken = client.metadata.grantTypes.contains(.refreshToken)
        if record.scopes.contains("openid") {
            tokens.idToken = try await idToken(
                for: user,
                client: client,
                code: record,
                accessToken: tokens.accessToken,
                now: now
            )
        }
        logger.info(
            "code exchanged",
            metadata: ["client_id": "\(client.id)", "user_id": "\(user.id)", "session_id": "\(session.id)"]
        )
        return tokens
    }

    /// Signs the ID token of a code grant with the client's registered algorithm, making that algorithm's key on
    /// its first use.
    func idToken(
        for user: UserRecord,
        client: ClientRecord,
        code: AuthorizationCodeRecord,
        accessToken: String,
        now: Date
    ) async throws -> String {
        let algorithm = SigningAlgorithm(rawValue: client.metadata.idTokenSignedResponseAlg) ?? .rs256
        if !keys.hasKey(for: algorithm) {
            try await KeyRing.ensureKey(algorithm, in: store, now: now, settings: keys.settings)
            try await keys.refresh(from: store, now: now)
        }
        let iat = Int(now.timeIntervalSince1970.rounded(.down))
        let withEmail = code.scopes.contains("email")
        let claims = IDTokenClaims(
            iss: configuration.issuer,
            sub: user.id,
            aud: client.id,
            exp: iat + Int(configuration.accessTTL.rounded(.down)),
            iat: iat,
            authTime: Int(code.authTime.timeIntervalSince1970.rounded(.down)),
            nonce: code.nonce,
            sid: code.ssoSessionId,
            atHash: IDTokenClaims.atHash(of: accessToken, algorithm: algorithm),
            email: withEmail ? user.email : nil,
            emailVerified: withEmail ? false : nil
        )
        return try await keys.sign(claims, type: IDTokenClaims.type, algorithm: algorithm)
    }
}
