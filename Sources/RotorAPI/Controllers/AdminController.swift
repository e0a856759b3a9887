import Hummingbird
import RotorCore
import RotorProtocol

/// `POST /v1/admin/users/{id}/disable` and `/enable`, `DELETE /v1/admin/users/{id}/sessions`: for a live caller with
/// the role `admin`.
struct AdminController: Sendable {
    static let role = "admin"
    let support: RouteSupport

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.add(middleware: AccessTokenAuthenticator(support: support))
        routes.add(middleware: RequireLiveCaller(engine: support.engine, role: Self.role))
        routes.post("users/:id/disable", use: disable)
        routes.post("users/:id/enable", use: enable)
        routes.delete("users/:id/sessions", use: revokeSessions)
        return routes
    }

    @Sendable func disable(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await setDisabled(true, request, context)
    }

    @Sendable func enable(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await setDisabled(false, request, context)
    }

    @Sendable func revokeSessions(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await support.engine.revokeAllSessions(
            userId: try context.parameters.require("id"),
            reason: .admin,
            client: support.client(request, context)
        )
        return Response(status: .noContent)
    }

    private func setDisabled(
        _ disabled: Bool,
        _ request: Request,
        _ context: AppRequestContext
    ) async throws
        -> Response
    {
        try await support.engine.setDisabled(
            userId: try context.parameters.require("id"),
            disabled: disabled,
            client: support.client(request, context)
        )
        return Response(status: .noContent)
    }
}
