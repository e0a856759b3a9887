import Foundation
import JWTKit
import RotorCore
import RotorJWT
import RotorTestSupport
import Testing

/// The engine's half of the OpenID provider on both stores: an SSO sign-in, a code, its exchange for a client
/// session with an ID token, and that session's rotation bound to its client.
@Suite("Code grant and SSO sessions")
struct CodeGrantTests {
    static let verifier = AuthorizationCodeTests.verifier

    static func wiki(
        _ f: EngineTests.Fixture,
        alg: String = "RS256",
        grants: [GrantType] = [.authorizationCode, .refreshToken]
    )
        async throws -> RegisteredClient
    {
        try await f.engine.registerClient(
            id: "wiki",
            metadata: ClientMetadata(
                name: "Wiki",
                redirectURIs: ["https://wiki.example/cb"],
                grantTypes: grants,
                scopes: ["openid", "email"],
                audience: "https://wiki.example",
                idTokenSignedResponseAlg: alg
            )
        )
    }

    static func code(_ f: EngineTests.Fixture, sso: SSOSessionRecord) async throws -> String {
        try await f.engine.issueAuthorizationCode(
            for: AuthorizationCodeTests.request(),
            userId: sso.userId,
            authTime: sso.authTime,
            ssoSessionId: sso.id
        )
    }

    @Test(
        "an SSO sign-in, a code, its exchange: client session, audience, ID token; rotation only by its client",
        arguments: StoreKind.all
    )
    func exchange(_ kind: StoreKind) async throws {
        try await EngineTests.withEngine(kind) { f in
            let user = try await f.engine.signUp(email: "ada@example.com", password: "correct horse")
            let wiki = try await Self.wiki(f).client
            let signIn = try await f.engine.signIn(email: "ADA@example.com", password: "correct horse")
            #expect(signIn.cookie.hasPrefix("rss_") && signIn.cookie.count == 47)
            let sso = try #require(try await f.engine.ssoSession(cookie: signIn.cookie))
            #expect(sso.id == signIn.session.id && sso.userId == user.id)
            #expect(try await f.engine.ssoSession(cookie: "rss_" + String(repeating: "A", count: 43)) == nil)

            let tokens = try await f.engine.exchangeCode(
                try await Self.code(f, sso: sso),
                client: wiki,
                redirectURI: "https://wiki.example/cb",
                codeVerifier: Self.verifier
            )
            #expect(tokens.session.clientId == "wiki" && tokens.session.ssoSessionId == sso.id)
            #expect(tokens.session.scope == "openid email" && tokens.includesRefreshToken)
            let access = try await Self.verifyAccess(f, tokens.accessToken)
            #expect(access.aud.value == ["https://wiki.example"] && access.clientId == "wiki")

            // The ID token: RS256 from a key made for it, verifiable from the JWKS, never an access token.
            let idToken = try #require(tokens.idToken)
            #expect(AccessTokenHeader.parse(idToken)?.alg == "RS256" && AccessTokenHeader.parse(idToken)?.typ == "JWT")
            let jwks = String(decoding: f.engine.keys.jwksDocument, as: UTF8.self)
            let claims = try await JWTKeyCollection().add(jwksJSON: jwks).verify(idToken, as: IDTokenClaims.self)
            #expect(claims.iss == "https://auth.example.test" && claims.sub == user.id && claims.aud == "wiki")
            #expect(claims.azp == "wiki" && claims.nonce == "n-1" && claims.sid == sso.id)
            #expect(claims.email == "ada@example.com" && claims.emailVerified == false)
            #expect(claims.atHash == IDTokenClaims.atHash(of: tokens.accessToken, algorithm: .rs256))
            #expect(claims.exp - claims.iat == 900 && claims.authTime == Int(sso.authTime.timeIntervalSince1970))
            await #expect(throws: EngineError.invalidToken) {
                _ = try await f.engine.authenticate(accessToken: idToken)
            }

            // Only its client rotates it; anyone else is refused and the session lives on.
            let refresh = tokens.refreshToken.value
            await #expect(throws: EngineError.invalidGrant(.bindingMismatch)) {
                _ = try await f.engine.refresh(refresh)
            }
            await #expect(throws: EngineError.invalidGrant(.bindingMismatch)) {
                _ = try await f.engine.refresh(refresh, clientId: "other")
            }
            let rotated = try await f.engine.refresh(refresh, clientId: "wiki")
            #expect(rotated.session.id == tokens.session.id)
            let rotatedAccess = try await Self.verifyAccess(f, rotated.accessToken)
            #expect(rotatedAccess.aud.value == ["https://wiki.example"] && rotatedAccess.scope == "openid email")
            // Reuse detection works as for any session.
            f.clock.advance(by: 11)
            await #expect(throws: EngineError.invalidGrant(.reuseDetected)) {
                _ = try await f.engine.refresh(refresh, clientId: "wiki")
            }
        }
    }

    /// Verifies an access token for the client's audience (Rotor's own API refuses it: not its audience).
    static func verifyAccess(_ f: EngineTests.Fixture, _ token: String) async throws -> AccessTokenClaims {
        await #expect(throws: EngineError.invalidToken) { _ = try await f.engine.authenticate(accessToken: token) }
        let rules = AccessTokenRules(issuer: "https://auth.example.test", audience: "https://wiki.example")
        return try await f.engine.keys.verify(token, rules: rules, now: f.clock.now())
    }

    @Test(
        "ES256 ID tokens for a client that registered them; no refresh token without the refresh grant",
        arguments: StoreKind.all
    )
    func algorithmAndGrants(_ kind: StoreKind) async throws {
        try await EngineTests.withEngine(kind) { f in
            _ = try await f.engine.signUp(email: "ada@example.com", password: "correct horse")
            let wiki = try await Self.wiki(f, alg: "ES256", grants: [.authorizationCode]).client
            let sso = try await f.engine.signIn(email: "ada@example.com", password: "correct horse").session
            let tokens = try await f.engine.exchangeCode(
                try await Self.code(f, sso: sso),
                client: wiki,
                redirectURI: "https://wiki.example/cb",
                codeVerifier: Self.verifier
            )
            #expect(!tokens.includesRefreshToken)
            #expect(AccessTokenHeader.parse(try #require(tokens.idToken))?.alg == "ES256")
            #expect(!f.engine.keys.hasKey(for: .rs256))
        }
    }

    @Test(
        "the SSO session ends with a user-wide ending, and a code issued under it dies with it",
        arguments: StoreKind.all
    )
    func ssoEnds(_ kind: StoreKind) async throws {
        try await EngineTests.withEngine(kind) { f in
            let user = try await f.engine.signUp(email: "ada@example.com", password: "correct horse")
            let wiki = try await Self.wiki(f).client
            let signIn = try await f.engine.signIn(email: "ada@example.com", password: "correct horse")
            let code = try await Self.code(f, sso: signIn.session)
            try await f.engine.revokeAllSessions(userId: user.id)
            #expect(try await f.engine.ssoSession(cookie: signIn.cookie) == nil)
            await #expect(throws: EngineError.invalidGrant(.invalidCode)) {
                _ = try await f.engine.exchangeCode(
                    code,
                    client: wiki,
                    redirectURI: "https://wiki.example/cb",
                    codeVerifier: Self.verifier
                )
            }
            // A wrong password starts nothing and counts as a failed login.
            await #expect(throws: EngineError.invalidCredentials) {
                _ = try await f.engine.signIn(email: "ada@example.com", password: "wrong horse")
            }
            #expect(try await f.engine.events(userId: user.id).contains { $0.type == AuditEventType.loginFailed })
            // Idle and absolute lifetimes.
            let second = try await f.engine.signIn(email: "ada@example.com", password: "correct horse")
            f.clock.advance(by: 86_399)
            #expect(try await f.engine.ssoSession(cookie: second.cookie) != nil)  // used: the idle time restarts
            f.clock.advance(by: 86_399)
            #expect(try await f.engine.ssoSession(cookie: second.cookie) != nil)
            f.clock.advance(by: 86_401)
            #expect(try await f.engine.ssoSession(cookie: second.cookie) == nil)  // idle
            let third = try await f.engine.signIn(email: "ada@example.com", password: "correct horse")
            for _ in 0..<8 {  // 8 × 86,000 s: each use within the idle day, past the 7 days
                f.clock.advance(by: 86_000)
                _ = try await f.engine.ssoSession(cookie: third.cookie)
            }
            #expect(try await f.engine.ssoSession(cookie: third.cookie) == nil)  // absolute: 7 days
        }
    }
}
