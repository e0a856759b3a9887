import Hummingbird
import RotorCore

/// Authenticates Rotor's own protected routes from `Authorization: Bearer <access token>`.
struct AccessTokenAuthenticator: Sendable {
    let engine: TokenEngine

    /// The verified caller.
    /// - Throws: ``APIError`` 401 `invalid_token` with the RFC 6750 `WWW-Authenticate` header.
    func principal(for request: Request) async throws -> Principal {
        guard request.headers[.authorization] != nil else { throw APIError.invalidToken(credentialsSent: false) }
        guard let token = request.bearerToken else { throw APIError.invalidToken(credentialsSent: true) }
        return try await engine.authenticate(accessToken: token)
    }
}
