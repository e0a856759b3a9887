import Hummingbird
import RotorCore
import RotorProtocol

/// `GET /v1/me`, `POST /v1/me/password`, `POST /v1/me/email`, `GET /v1/me/events`.
struct MeRoutes: Sendable {
    let support: RouteSupport

    func register(on router: APIRouter) {
        router.get("/v1/me") { request, _ in
            let principal = try await support.principal(request)
            // Authentication has just read the account; read it again only if it did not.
            var account = principal.user
            if account == nil { account = try await support.engine.user(id: principal.userId) }
            guard let user = account else { throw APIError.invalidToken(credentialsSent: true) }
            return JSONResponse.user(
                UserResponse(id: user.id, email: user.email, createdAt: user.createdAt.rfc3339, roles: user.roles)
            )
        }

        router.post("/v1/me/password") { request, context in
            let principal = try await support.principal(request)
            let body = try await JSONBody.decode(PasswordChangeRequest.self, from: request, context: context)
            let cookieMode = try RouteSupport.cookieMode(body.tokenDelivery)
            let tokens = try await support.engine.changePassword(
                principal: principal,
                currentPassword: body.currentPassword,
                newPassword: body.newPassword,
                client: support.client(request, context)
            )
            return try support.tokenAnswer(tokens, cookieMode: cookieMode)
        }

        router.post("/v1/me/email") { request, context in
            let principal = try await support.principal(request)
            let body = try await JSONBody.decode(EmailChangeRequest.self, from: request, context: context)
            let cookieMode = try RouteSupport.cookieMode(body.tokenDelivery)
            let tokens = try await support.engine.changeEmail(
                principal: principal,
                password: body.password,
                newEmail: body.newEmail,
                client: support.client(request, context)
            )
            return try support.tokenAnswer(tokens, cookieMode: cookieMode)
        }

        router.get("/v1/me/events") { request, _ in
            let principal = try await support.principal(request)
            let events = try await support.engine.events(userId: principal.userId)
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
}
