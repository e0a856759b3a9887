import Hummingbird
import RotorCore
import RotorProtocol

/// `GET /v1/sessions` and `DELETE /v1/sessions/{id}`: a user's devices.
struct SessionRoutes: Sendable {
    let support: RouteSupport

    func register(on router: APIRouter) {
        router.get("/v1/sessions") { request, _ in
            let principal = try await support.livePrincipal(request)
            let sessions = try await support.engine.sessions(of: principal.userId)
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
                            current: $0.id == principal.sessionId
                        )
                    }
                )
            )
        }

        router.delete("/v1/sessions/:id") { request, context in
            let principal = try await support.livePrincipal(request)
            guard let id = context.parameters.get("id") else { throw APIError.notFound }
            try await support.engine.revokeSession(
                id: id,
                userId: principal.userId,
                reason: .logout,
                client: support.client(request, context)
            )
            return Response(status: .noContent)
        }
    }
}
