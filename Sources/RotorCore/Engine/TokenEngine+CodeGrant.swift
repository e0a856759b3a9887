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
        return try await openGrantSession(
            ApprovedGrant(
                userId: record.userId,
                scopes: record.scopes,
                resources: record.resources,
                authTime: record.authTime,
                nonce: record.nonce,
                ssoSessionId: record.ssoSessionId,
                tiedToSSO: true,
                cause: "authorization_code",
                failure: .invalidCode
            ),
            client: client,
            dpopThumbprint: dpopThumbprint,
            info: info,
            now: clock.now()
        ) { sessionId in
            try await attachSession(sessionId, to: redeemed)
        }
    }

    /// Signs the ID token of a code or device grant with the client's registered algorithm, making that algorithm's
    /// key on its first use.
    /// - Parameters:
    ///   - scopes: The granted scopes (`email` adds the address).
    ///   - authTime: When the person last typed their password.
    ///   - nonce: The authorization request's `nonce`.
    ///   - sid: The SSO session the tokens' session is tied to, if any.
    func idToken(
        for user: UserRecord,
        client: ClientRecord,
        scopes: [String],
        authTime: Date,
        nonce: String?,
        sid: String?,
        accessToken: String,
        now: Date
    ) async throws -> String {
        let algorithm = SigningAlgorithm(rawValue: client.metadata.idTokenSignedResponseAlg) ?? .rs256
        if !keys.hasKey(for: algorithm) {
            try await KeyRing.ensureKey(algorithm, in: store, now: now, settings: keys.settings)
            try await keys.refresh(from: store, now: now)
        }
        let iat = Int(now.timeIntervalSince1970.rounded(.down))
        let withEmail = scopes.contains("email")
        let claims = IDTokenClaims(
            iss: configuration.issuer,
            sub: user.id,
            aud: client.id,
            exp: iat + Int(configuration.accessTTL.rounded(.down)),
            iat: iat,
            authTime: Int(authTime.timeIntervalSince1970.rounded(.down)),
            nonce: nonce,
            sid: sid,
            atHash: IDTokenClaims.atHash(of: accessToken, algorithm: algorithm),
            email: withEmail ? user.email : nil,
            emailVerified: withEmail ? false : nil
        )
        return try await keys.sign(claims, type: IDTokenClaims.type, algorithm: algorithm)
    }
}
