import Foundation
import HTTPTypes
import Hummingbird
import JWTKit
import RotorCore
import RotorJWT
import RotorProtocol

/// The OAuth endpoints existing clients and gateways know: `/oauth/token` (RFC 6749's code, refresh and client
/// credentials grants, RFC 8628's device grant), `/oauth/revoke` (RFC 7009), `/oauth/introspect` (RFC 7662), and the RFC 8414 metadata.
struct OAuthController: Sendable {
    let support: RouteSupport

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post("oauth/token", use: token)
        routes.post("oauth/revoke", use: revoke)
        routes.post("oauth/introspect", use: introspect)
        routes.get(".well-known/oauth-authorization-server", use: metadata)
        routes.get(".well-known/openid-configuration", use: metadata)
        routes.get("oauth/userinfo", use: userInfo)
        routes.post("oauth/userinfo", use: userInfo)
        return routes
    }

    @Sendable func token(_ request: Request, context: AppRequestContext) async throws -> Response {
        let pairs = try await FormBody.pairs(request, context: context)
        // RFC 8707 §2: `resource` may repeat, one audience each; anything else is sent once.
        let form = try FormBody.parameters(pairs, repeatable: ["resource"])
        let resources = pairs.filter { $0.name == "resource" }.map(\.value)
        guard let grantType = form["grant_type"] else {
            throw APIError.invalidRequest("The parameter 'grant_type' is required.")
        }
        let credentials = try request.clientCredentials(form: form)
        do {
            switch grantType {
            case "authorization_code":
                return try await codeGrant(request, context: context, form: form, credentials: credentials)
            case "refresh_token":
                return try await refreshGrant(request, context: context, form: form, credentials: credentials)
            case "client_credentials":
                return try await clientCredentialsGrant(
                    request,
                    context: context,
                    form: form,
                    resources: resources,
                    credentials: credentials
                )
            case GrantType.deviceCode.rawValue:
                return try await deviceGrant(request, context: context, form: form, credentials: credentials)
            default:
                throw APIError(
                    .badRequest,
                    .unsupportedGrantType,
                    "Supported grant types: \(GrantType.allCases.map(\.rawValue).joined(separator: ", "))."
                )
            }
        } catch EngineError.invalidGrant(let failure) {
            // RFC 6749 §5.2: a bad grant is a 400 here, not the 401 of /v1/auth/token/refresh.
            throw APIError(.badRequest, .invalidGrant, failure.description)
        }
    }

    /// RFC 6749 §4.1.3: a registered client redeems its code with the PKCE verifier.
    private func codeGrant(
        _ request: Request,
        context: AppRequestContext,
        form: [String: String],
        credentials: ClientCredentials?
    ) async throws -> Response {
        guard let credentials else { throw EngineError.invalidClient(basic: false) }
        let client = try await support.engine.authenticateClient(credentials, from: support.client(request, context))
        guard client.metadata.grantTypes.contains(.authorizationCode) else { throw EngineError.unauthorizedClient }
        guard let code = form["code"], let redirectURI = form["redirect_uri"], let verifier = form["code_verifier"]
        else {
            throw APIError.invalidRequest("The parameters 'code', 'redirect_uri' and 'code_verifier' are required.")
        }
        let tokens = try await support.engine.exchangeCode(
            code,
            client: client,
            redirectURI: redirectURI,
            codeVerifier: verifier,
            dpopThumbprint: try await support.dpopThumbprint(request, path: "/oauth/token"),
            from: support.client(request, context)
        )
        return try JSONResponse.tokens(tokens)
    }

    /// RFC 6749 §6: the JSON API's sessions with no client credentials (client `rotor`), a registered client's
    /// sessions with its own; a session of another client is refused.
    private func refreshGrant(
        _ request: Request,
        context: AppRequestContext,
        form: [String: String],
        credentials: ClientCredentials?
    ) async throws -> Response {
        let engine = support.engine
        guard let refreshToken = form["refresh_token"], !refreshToken.isEmpty else {
            throw APIError.invalidRequest("The parameter 'refresh_token' is required.")
        }
        var clientId = ClientRegistration.builtInClientId
        if let credentials, !(credentials.clientId == clientId && credentials.method == .none) {
            let client = try await engine.authenticateClient(credentials, from: support.client(request, context))
            guard client.metadata.grantTypes.contains(.refreshToken) else { throw EngineError.unauthorizedClient }
            clientId = client.id
        }
        let tokens = try await engine.refresh(
            refreshToken,
            deviceId: request.headers[deviceIdHeader],
            dpopThumbprint: try await support.dpopThumbprint(request, path: "/oauth/token"),
            client: support.client(request, context),
            clientId: clientId
        )
        return try JSONResponse.tokens(tokens)
    }

    /// RFC 8628 §3.4: the device polls with its device code until the person decides.
    private func deviceGrant(
        _ request: Request,
        context: AppRequestContext,
        form: [String: String],
        credentials: ClientCredentials?
    ) async throws -> Response {
        guard let credentials else { throw EngineError.invalidClient(basic: false) }
        let engine = support.engine
        let client = try await engine.authenticateClient(credentials, from: support.client(request, context))
        guard let deviceCode = form["device_code"], !deviceCode.isEmpty else {
            throw APIError.invalidRequest("The parameter 'device_code' is required.")
        }
        let tokens = try await engine.pollDevice(
            deviceCode: deviceCode,
            client: client,
            dpopThumbprint: try await support.dpopThumbprint(request, path: "/oauth/token"),
            from: support.client(request, context)
        )
        return try JSONResponse.tokens(tokens)
    }

    /// RFC 6749 §4.4: a confidential client gets an access token for itself.
    private func clientCredentialsGrant(
        _ request: Request,
        context: AppRequestContext,
        form: [String: String],
        resources: [String],
        credentials: ClientCredentials?
    ) async throws -> Response {
        guard let credentials else { throw EngineError.invalidClient(basic: false) }
        let client = try await support.engine.authenticateClient(credentials, from: support.client(request, context))
        let token = try await support.engine.issueMachineToken(
            client: client,
            scope: form["scope"],
            resources: resources
        )
        return JSONResponse.machineToken(
            MachineTokenResponse(accessToken: token.accessToken, expiresIn: token.expiresIn, scope: token.scope)
        )
    }

    @Sendable func revoke(_ request: Request, context: AppRequestContext) async throws -> Response {
        let engine = support.engine
        let form = try await FormBody.decode(request, context: context)
        guard let token = form["token"] else { throw APIError.invalidRequest("The parameter 'token' is required.") }
        try await engine.revoke(
            token,
            dpopThumbprint: try await support.dpopThumbprint(request, path: "/oauth/revoke"),
            client: support.client(request, context)
        )
        return Response(status: .ok, headers: [.cacheControl: "no-store"])
    }

    @Sendable func introspect(_ request: Request, context: AppRequestContext) async throws -> Response {
        let engine = support.engine
        guard let secret = support.options.introspectionSecret, let presented = request.bearerToken,
            SecretComparison.equal(presented, secret)
        else {
            throw APIError(
                .unauthorized,
                .invalidClient,
                "Introspection needs Authorization: Bearer <introspection secret>.",
                headers: [.wwwAuthenticate: #"Bearer realm="rotor-introspection""#]
            )
        }
        let form = try await FormBody.decode(request, context: context)
        guard let token = form["token"] else { throw APIError.invalidRequest("The parameter 'token' is required.") }
        let answer: IntrospectionResponse
        switch try await engine.introspect(token) {
        case .inactive:
            answer = IntrospectionResponse(active: false)
        case .refreshToken(let session):
            answer = IntrospectionResponse(
                active: true,
                tokenType: "refresh_token",
                scope: session.scope,
                clientId: session.clientId,
                sub: session.userId,
                exp: Int(session.refreshExpiresAt.timeIntervalSince1970),
                iat: Int(session.lastUsedAt.timeIntervalSince1970),
                iss: engine.configuration.issuer,
                sid: session.id,
                cnf: session.dpopThumbprint.map(ConfirmationClaim.init(jkt:))
            )
        case .accessToken(let claims):
            // A bound token says so, or a gateway that trusts this answer would take it as a bearer token.
            answer = IntrospectionResponse(
                active: true,
                tokenType: claims.cnf == nil ? "Bearer" : "DPoP",
                scope: claims.scope,
                clientId: claims.clientId,
                sub: claims.sub.value,
                exp: Int(claims.exp.value.timeIntervalSince1970),
                iat: Int(claims.iat.value.timeIntervalSince1970),
                iss: claims.iss.value,
                aud: claims.aud.value,
                jti: claims.jti.value,
                sid: claims.sid,
                roles: claims.roles,
                cnf: claims.cnf.map { ConfirmationClaim(jkt: $0.jkt) }
            )
        }
        return try JSONResponse.make(answer, headers: [.cacheControl: "no-store"])
    }

    /// OpenID Connect Core §5.3: the person behind an access token of any client, with scope `openid`.
    @Sendable func userInfo(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let value = request.headers.value(.authorization), let credential = AuthorizationCredential(value) else {
            throw APIError.invalidToken(credentialsSent: false)
        }
        let thumbprint: String?
        switch credential.scheme {
        case .bearer:
            thumbprint = nil
        case .dpop:
            guard
                let proven = try await support.dpopThumbprint(
                    request,
                    path: "/oauth/userinfo",
                    accessToken: credential.token
                )
            else { throw APIError.invalidToken(credentialsSent: true) }
            thumbprint = proven
        }
        let info = try await support.engine.userInfo(accessToken: credential.token, dpopThumbprint: thumbprint)
        return try JSONResponse.make(
            UserInfoResponse(sub: info.sub, email: info.email, emailVerified: info.emailVerified),
            headers: [.cacheControl: "no-store"]
        )
    }

    @Sendable func metadata(_ request: Request, context: AppRequestContext) async throws -> Response {
        let engine = support.engine
        let issuer = engine.configuration.issuer
        return try JSONResponse.make(
            AuthorizationServerMetadata(
                issuer: issuer,
                tokenEndpoint: issuer + "/oauth/token",
                revocationEndpoint: issuer + "/oauth/revoke",
                introspectionEndpoint: issuer + "/oauth/introspect",
                jwksURI: issuer + "/.well-known/jwks.json",
                grantTypesSupported: GrantType.allCases.map(\.rawValue),
                responseTypesSupported: ["code"],
                tokenEndpointAuthMethodsSupported: [
                    "client_secret_basic", "client_secret_post", "private_key_jwt", "none",
                ],
                revocationEndpointAuthMethodsSupported: ["none"],
                introspectionEndpointAuthMethodsSupported: ["bearer"],
                scopesSupported: ["openid", "email"],
                serviceDocumentation: nil,
                dpopSigningAlgValuesSupported: DPoPProof.algorithms,
                revocationFeedEndpoint: issuer + "/v1/revocations",
                authorizationEndpoint: issuer + "/oauth/authorize",
                userinfoEndpoint: issuer + "/oauth/userinfo",
                subjectTypesSupported: ["public"],
                idTokenSigningAlgValuesSupported: ["RS256", "ES256", "EdDSA"],
                codeChallengeMethodsSupported: ["S256"],
                authorizationResponseIssParameterSupported: true,
                claimsSupported: [
                    "iss", "sub", "aud", "azp", "exp", "iat", "auth_time", "nonce", "sid", "at_hash", "email",
                    "email_verified",
                ],
                responseModesSupported: ["query"],
                endSessionEndpoint: issuer + "/oauth/logout",
                backchannelLogoutSupported: true,
                backchannelLogoutSessionSupported: true,
                tokenEndpointAuthSigningAlgValuesSupported: ClientAssertion.algorithms.sorted(),
                deviceAuthorizationEndpoint: issuer + "/oauth/device_authorization"
            ),
            headers: [.cacheControl: "public, max-age=3600"]
        )
    }
}
