import Hummingbird
import HummingbirdAuth
import RotorCore
import RotorProtocol

/// `GET /v1/sessions` and `DELETE /v1/sessions/{id}`: a user's devices, for a caller whose session is live.
struct SessionController: Sendable {
    let support: RouteSupport

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.add(middleware: AccessTokenAuthenticator(support: support))
        routes.add(middleware: RequireLiveCaller(engine: support.engine))
        routes.get(use: list)
        routes.delete(":id", use: end)
        return routes
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        let sessions = try await support.engine.sessions(of: caller.userId)
        return try JSONResponse.make(
            SessionList(
                sessions: sessions.map {
                    SessionInfo(
                        id: $0.id,
                        createdAt: $0.createdAt.rfc3339,
                        lastUsedAt: $0.lastUsedAt.rfc3339,
                        expiresAt: $0.refreshExpiresAt.rfc3339,
                        deviceName: $0.deviceName,
                        userAgent: $0.lastUsedBy.userAgent,
                        ip: $0.lastUsedBy.ip,
                        current: $0.id == caller.sessionId,
                        clientId: $0.clientId
                    )
                }
            )
        )
    }

    @Sendable func end(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        let id = try context.parameters.require("id")
        try await support.engine.revokeSession(
            id: id,
            userId: caller.userId,
            reason: .logout,
            client: support.client(request, context)
        )
        return Response(status: .noContent)
    }
}
