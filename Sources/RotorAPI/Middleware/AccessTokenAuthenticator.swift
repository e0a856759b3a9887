import Hummingbird
import HummingbirdAuth
import RotorCore
import RotorJWT
import RotorProtocol

/// Authenticates Rotor's own protected routes: `Authorization: Bearer <access token>`, or `DPoP <access token>` with
/// its proof. The verified caller goes into ``AppRequestContext/identity``; handlers read it with
/// `context.requireIdentity()`.
///
/// A request without `Authorization` passes on unauthenticated (`requireIdentity()` then answers `401` with a bare
/// `WWW-Authenticate: Bearer`, RFC 6750 §3.1); a bad token is answered at once with `401 invalid_token`.
struct AccessTokenAuthenticator: AuthenticatorMiddleware {
    typealias Context = AppRequestContext

    let support: RouteSupport

    func authenticate(request: Request, context: AppRequestContext) async throws -> Principal? {
        guard let authorization = request.headers.value(.authorization) else { return nil }
        guard let credential = AuthorizationCredential(authorization) else {
            throw APIError.invalidToken(credentialsSent: true)
        }
        switch credential.scheme {
        case .bearer:
            return try await support.engine.authenticate(accessToken: credential.token)
        case .dpop:
            // At a protected resource a bad proof is a 401 with a DPoP challenge (RFC 9449 §7.1), not the 400 of
            // the token endpoint.
            let refusal = APIError(
                .unauthorized,
                .invalidToken,
                "The DPoP proof is missing or not valid for this request.",
                headers: [.wwwAuthenticate: #"DPoP error="invalid_dpop_proof", algs="ES256 EdDSA""#]
            )
            let thumbprint: String?
            do {
                thumbprint = try await support.dpopThumbprint(
                    request,
                    path: request.uri.path,
                    accessToken: credential.token
                )
            } catch {
                throw refusal
            }
            guard let thumbprint else { throw refusal }
            return try await support.engine.authenticate(accessToken: credential.token, dpopThumbprint: thumbprint)
        }
    }
}

/// Lets a request through only when its caller's session is still live (routes that change the account or other
/// sessions) and, when `role` is set, the caller holds it.
struct RequireLiveCaller: RouterMiddleware {
    typealias Context = AppRequestContext

    let engine: TokenEngine
    var role: String? = nil

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        let caller = try context.requireIdentity()
        try await engine.requireLiveSession(caller)
        if let role, !caller.roles.contains(role) { throw EngineError.forbidden }
        return try await next(request, context)
    }
}
