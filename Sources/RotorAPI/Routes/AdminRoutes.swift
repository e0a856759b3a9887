import Hummingbird
import RotorCore
import RotorProtocol

/// `POST /v1/admin/users/{id}/disable` and `/enable`, `DELETE /v1/admin/users/{id}/sessions`: role `admin`.
struct AdminRoutes: Sendable {
    static let role = "admin"
    let support: RouteSupport

    func register(on router: APIRouter) {
        router.post("/v1/admin/users/:id/disable") { request, context in
            _ = try await support.principal(request, role: Self.role)
            try await support.engine.setDisabled(
                userId: try userId(context),
                disabled: true,
                client: support.client(request, context)
            )
            return Response(status: .noContent)
        }
        router.post("/v1/admin/users/:id/enable") { request, context in
            _ = try await support.principal(request, role: Self.role)
            try await support.engine.setDisabled(
                userId: try userId(context),
                disabled: false,
                client: support.client(request, context)
            )
            return Response(status: .noContent)
        }
        router.delete("/v1/admin/users/:id/sessions") { request, context in
            _ = try await support.principal(request, role: Self.role)
            try await support.engine.revokeAllSessions(
                userId: try userId(context),
                reason: .admin,
                client: support.client(request, context)
            )
            return Response(status: .noContent)
        }
    }

    private func userId(_ context: AppRequestContext) throws -> String {
        guard let id = context.parameters.get("id") else { throw APIError.notFound }
        return id
    }
}
