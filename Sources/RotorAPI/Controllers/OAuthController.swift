import Foundation
import HTTPTypes
import Hummingbird
import JWTKit
import RotorCore
import RotorJWT
import RotorProtocol

/// The OAuth endpoints existing clients and gateways know: `/oauth/token` (RFC 6749 §6 refresh grant),
/// `/oauth/revoke` (RFC 7009), `/oauth/introspect` (RFC 7662), and the RFC 8414 metadata.
struct OAuthController: Sendable {
    let support: RouteSupport

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post("oauth/token", use: token)
        routes.post("oauth/revoke", use: revoke)
        routes.post("oauth/introspect", use: introspect)
        routes.get(".well-known/oauth-authorization-server", use: metadata)
        return routes
    }

    @Sendable func token(_ request: Request, context: AppRequestContext) async throws -> Response {
        let engine = support.engine
        let form = try await FormBody.decode(request, context: context)
        guard let grantType = form["grant_type"] else {
            throw APIError.invalidRequest("The parameter 'grant_type' is required.")
        }
        guard grantType == "refresh_token" else {
            throw APIError(.badRequest, .unsupportedGrantType, "Only the refresh_token grant is supported.")
        }
        guard let refreshToken = form["refresh_token"], !refreshToken.isEmpty else {
            throw APIError.invalidRequest("The parameter 'refresh_token' is required.")
        }
        if let clientId = form["client_id"], clientId != engine.configuration.clientId {
            throw APIError(.unauthorized, .invalidClient, "Unknown client.")
        }
        do {
            let tokens = try await engine.refresh(
                refreshToken,
                deviceId: request.headers[deviceIdHeader],
                dpopThumbprint: try await support.dpopThumbprint(request, path: "/oauth/token"),
                client: support.client(request, context)
            )
            return try JSONResponse.tokens(tokens)
        } catch EngineError.invalidGrant(let failure) {
            // RFC 6749 §5.2: a bad grant is a 400 here, not the 401 of /v1/auth/token/refresh.
            throw APIError(.badRequest, .invalidGrant, failure.description)
        }
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
                grantTypesSupported: ["refresh_token"],
                responseTypesSupported: [],
                tokenEndpointAuthMethodsSupported: ["none"],
                revocationEndpointAuthMethodsSupported: ["none"],
                introspectionEndpointAuthMethodsSupported: ["bearer"],
                scopesSupported: [],
                serviceDocumentation: nil,
                dpopSigningAlgValuesSupported: DPoPProof.algorithms,
                revocationFeedEndpoint: issuer + "/v1/revocations"
            ),
            headers: [.cacheControl: "public, max-age=3600"]
        )
    }
}
