import Hummingbird
import HTTPTypes
import RotorCore
import RotorProtocol

/// `POST /v1/auth/login`, `/v1/auth/token/refresh` and `/v1/auth/logout`.
struct AuthRoutes: Sendable {
    let support: RouteSupport

    func register(on router: APIRouter) {
        let engine = support.engine

        router.post("/v1/auth/login") { request, context in
            let body = try await JSONBody.decode(LoginRequest.self, from: request, context: context)
            if let delivery = body.tokenDelivery, delivery != "body" {
                throw APIError.invalidRequest("The field 'token_delivery' must be \"body\" on this server.")
            }
            let tokens = try await engine.login(
                email: body.email,
                password: body.password,
                deviceId: body.deviceId,
                deviceName: body.deviceName,
                client: support.client(request, context)
            )
            return try JSONResponse.tokens(tokens)
        }

        router.post("/v1/auth/token/refresh") { request, context in
            let body = try await JSONBody.decode(RefreshRequest.self, from: request, context: context)
            let tokens = try await engine.refresh(
                body.refreshToken,
                deviceId: body.deviceId ?? request.headers[deviceIdHeader],
                client: support.client(request, context)
            )
            return try JSONResponse.tokens(tokens)
        }

        router.post("/v1/auth/logout") { request, context in
            let body = try await JSONBody.decodeIfPresent(LogoutRequest.self, from: request, context: context)
            var scope = SessionScope.local
            if let raw = body?.scope {
                guard let parsed = SessionScope(rawValue: raw) else {
                    throw APIError.invalidRequest("The field 'scope' must be \"local\", \"others\" or \"global\".")
                }
                scope = parsed
            }
            let client = support.client(request, context)
            if let refreshToken = body?.refreshToken {
                try await engine.logout(refreshToken: refreshToken, scope: scope, client: client)
            } else if request.headers[.authorization] != nil {
                let principal = try await support.principal(request)
                try await engine.logout(principal: principal, scope: scope, client: client)
            } else {
                throw APIError.invalidRequest("A 'refresh_token' in the body or an access token is required.")
            }
            return Response(status: .noContent)
        }
    }
}

/// `X-Device-Id`: the device binding may travel as a header instead of a body field.
let deviceIdHeader = HTTPField.Name("X-Device-Id")!
