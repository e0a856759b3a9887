import Hummingbird
import RotorCore
import RotorProtocol

/// `POST /v1/users`: sign-up.
struct UserController: Sendable {
    let support: RouteSupport

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post(use: signUp)
        return routes
    }

    @Sendable func signUp(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard support.options.allowSignup else {
            throw APIError(.forbidden, .forbidden, "Sign-up is disabled on this server.")
        }
        let body = try await JSONBody.decode(SignupRequest.self, from: request, context: context)
        let user = try await support.engine.signUp(
            email: body.email,
            password: body.password,
            client: support.client(request, context)
        )
        return JSONResponse.user(
            UserResponse(id: user.id, email: user.email, createdAt: user.createdAt.rfc3339),
            status: .created
        )
    }
}
