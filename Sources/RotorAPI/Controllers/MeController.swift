import Hummingbird
import HummingbirdAuth
import RotorCore
import RotorProtocol

/// `GET /v1/me`, `POST /v1/me/password`, `POST /v1/me/email`, `GET /v1/me/events`, `GET /v1/me/apps`,
/// `DELETE /v1/me/apps/{client_id}`: the caller's account.
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
        routes.get("apps", use: apps)
        routes.delete("apps/:clientId", use: withdrawApp)
        return routes
    }

    /// The apps the caller is signed in to or has allowed (the account page's list).
    @Sendable func apps(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        let apps = try await support.engine.apps(of: caller.userId).map { app in
            AppInfo(
                clientId: app.clientId,
                clientName: app.name,
                firstParty: app.firstParty,
                sessions: app.sessions,
                lastUsedAt: app.lastUsedAt?.rfc3339,
                scopes: app.scopes
            )
        }
        return try JSONResponse.make(AppList(apps: apps), headers: [.cacheControl: "no-store"])
    }

    /// Signs the caller out of one app and withdraws what they allowed it.
    @Sendable func withdrawApp(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        try await support.engine.requireLiveSession(caller)
        let clientId = try context.parameters.require("clientId")
        try await support.engine.withdrawApp(clientId, userId: caller.userId, client: support.client(request, context))
        return Response(status: .noContent)
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
