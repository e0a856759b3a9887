import Hummingbird
import RotorCore
import RotorProtocol

/// Authenticates Rotor's own protected routes from `Authorization: Bearer <access token>`, or `DPoP <access
/// token>` with its proof.
struct AccessTokenAuthenticator: Sendable {
    let engine: TokenEngine
    let support: RouteSupport

    /// The verified caller.
    /// - Throws: ``APIError`` 401 `invalid_token` with the RFC 6750 `WWW-Authenticate` header.
    func principal(for request: Request) async throws -> Principal {
        guard let authorization = request.headers[.authorization] else {
            throw APIError.invalidToken(credentialsSent: false)
        }
        if let token = Request.credential(authorization, scheme: "bearer") {
            return try await engine.authenticate(accessToken: token)
        }
        // RFC 9449 §7: `Authorization: DPoP <token>` with a proof by the token's key, for this request.
        guard let token = Request.credential(authorization, scheme: "dpop") else {
            throw APIError.invalidToken(credentialsSent: true)
        }
        // At a protected resource a bad proof is a 401 with a DPoP challenge (RFC 9449 §7.1), not the 400 of the
        // token endpoint.
        let refusal = APIError(
            .unauthorized,
            .invalidToken,
            "The DPoP proof is missing or not valid for this request.",
            headers: [.wwwAuthenticate: #"DPoP error="invalid_dpop_proof", algs="ES256 EdDSA""#]
        )
        let thumbprint: String?
        do {
            thumbprint = try await support.dpopThumbprint(request, path: request.uri.path, accessToken: token)
        } catch {
            throw refusal
        }
        guard let thumbprint else { throw refusal }
        return try await engine.authenticate(accessToken: token, dpopThumbprint: thumbprint)
    }
}
