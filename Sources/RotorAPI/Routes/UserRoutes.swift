import Hummingbird
import RotorCore
import RotorProtocol

/// `POST /v1/users` (sign-up) and `GET /v1/me`.
struct UserRoutes: Sendable {
    let engine: TokenEngine
    let allowSignup: Bool

    func register(on router: Router<AppRequestContext>) {
        let authenticator = AccessTokenAuthenticator(engine: engine)
        router.post("/v1/users") { request, context in
            guard allowSignup else { throw APIError(.forbidden, .forbidden, "Sign-up is disabled on this server.") }
            let body = try await JSONBody.decode(SignupRequest.self, from: request, context: context)
            let user = try await engine.signUp(email: body.email, password: body.password)
            return try JSONResponse.make(
                UserResponse(id: user.id, email: user.email, createdAt: user.createdAt.rfc3339),
                status: .created
            )
        }
        router.get("/v1/me") { request, _ in
            let principal = try await authenticator.principal(for: request)
            guard let user = try await engine.user(id: principal.userId) else {
                throw APIError.invalidToken(credentialsSent: true)
            }
            return try JSONResponse.make(
                UserResponse(id: user.id, email: user.email, createdAt: user.createdAt.rfc3339, roles: user.roles)
            )
        }
    }
}
