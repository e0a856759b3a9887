import Hummingbird
import HummingbirdAuth
import RotorCore
import RotorProtocol

/// `GET /v1/me`, `POST /v1/me/password`, `POST /v1/me/email`, `GET /v1/me/events`: the caller's account.
struct MeController: Sendable {
    let support: RouteSupport

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.add(middleware: AccessTokenAuthenticator(support: support))
        routes.get(use: me)
        routes.get("events", use: events)
        // Changes of the account need a live session; the engine checks it before the password
        // (`TokenEngine.requireLiveSession`), so no middleware reads it a second time here.
        routes.post("password", use: changePassword)
        routes.post("email", use: changeEmail)
        return routes
    }

    @Sendable func me(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        // Authentication has just read the account; read it again only if it did not.
        var account = caller.user
        if account == nil { account = try await support.engine.user(id: caller.userId) }
        guard let user = account else { throw APIError.invalidToken(credentialsSent: true) }
        return JSONResponse.user(
            UserResponse(id: user.id, email: user.email, createdAt: user.createdAt.rfc3339, roles: user.roles)
        )
    }

    @Sendable func changePassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        let body = try await JSONBody.decode(PasswordChangeRequest.self, from: request, context: context)
        let cookieMode = try RouteSupport.cookieMode(body.tokenDelivery)
        let tokens = try await support.engine.changePassword(
            principal: caller,
            currentPassword: body.currentPassword,
            newPassword: body.newPassword,
            client: support.client(request, context)
        )
        return try support.tokenAnswer(tokens, cookieMode: cookieMode)
    }

    @Sendable func changeEmail(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        let body = try await JSONBody.decode(EmailChangeRequest.self, from: request, context: context)
        let cookieMode = try RouteSupport.cookieMode(body.tokenDelivery)
        let tokens = try await support.engine.changeEmail(
            principal: caller,
            password: body.password,
            newEmail: body.newEmail,
            client: support.client(request, context)
        )
        return try support.tokenAnswer(tokens, cookieMode: cookieMode)
    }

    @Sendable func events(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        let events = try await support.engine.events(userId: caller.userId)
        return try JSONResponse.make(
            EventList(
                events: events.map {
                    EventInfo(
                        type: $0.type,
                        at: $0.at.rfc3339,
                        sessionId: $0.sessionId,
                        ip: $0.client.ip,
                        userAgent: $0.client.userAgent,
                        cause: $0.cause
                    )
                }
            )
        )
    }
}
