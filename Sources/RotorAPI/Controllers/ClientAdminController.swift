import Foundation
import Hummingbird
import RotorCore
import RotorProtocol

/// `/v1/admin/clients`: register, list, show, delete clients and rotate their secrets, for a live caller with the
/// role `admin` (the same as `rotor clients …`). Answers that carry a secret are never cached.
struct ClientAdminController: Sendable {
    let support: RouteSupport

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.add(middleware: AccessTokenAuthenticator(support: support))
        routes.add(middleware: RequireLiveCaller(engine: support.engine, role: AdminController.role))
        routes.post(use: create)
        routes.get(use: list)
        routes.get(":id", use: show)
        routes.delete(":id", use: delete)
        routes.post(":id/secret", use: rotateSecret)
        return routes
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(ClientRegistrationRequest.self, from: request, context: context)
        let registered = try await support.engine.registerClient(id: body.clientId, metadata: ClientMetadata(body))
        return try JSONResponse.make(
            ClientInformation(registered.client, secret: registered.secret),
            status: .created,
            headers: [.cacheControl: "no-store"]
        )
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let clients = try await support.engine.clients()
        return try JSONResponse.make(
            ClientList(clients: clients.map { ClientInformation($0) }),
            headers: [.cacheControl: "no-store"]
        )
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let client = try await support.engine.client(id: try context.parameters.require("id"))
        return try JSONResponse.make(ClientInformation(client), headers: [.cacheControl: "no-store"])
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await support.engine.deleteClient(id: try context.parameters.require("id"))
        return Response(status: .noContent)
    }

    @Sendable func rotateSecret(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await JSONBody.decodeIfPresent(ClientSecretRotationRequest.self, from: request, context: context)
        let id = try context.parameters.require("id")
        let secret = try await support.engine.rotateClientSecret(id: id, overlap: TimeInterval(body?.overlap ?? 0))
        return try JSONResponse.make(
            ClientSecretResponse(clientId: id, clientSecret: secret),
            headers: [.cacheControl: "no-store"]
        )
    }
}
