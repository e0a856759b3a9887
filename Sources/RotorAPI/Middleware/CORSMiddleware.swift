import HTTPTypes
public import Hummingbird

/// CORS for the allowed origins only (docs/protocol.md browser mode): preflights answered `204` with credentials allowed,
/// actual answers marked for the origin. Other origins get no CORS header at all, so browsers keep them out.
public struct RotorCORSMiddleware<Context: RequestContext>: RouterMiddleware {
    private let policy: BrowserPolicy

    /// Creates the middleware for a browser policy.
    public init(policy: BrowserPolicy) {
        self.policy = policy
    }

    /// Answers preflights, marks answers to allowed origins.
    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        let origin = request.headers.value(.origin)
        let allowed = policy.allows(origin)
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            var headers: HTTPFields = [.vary: "Origin"]
            if allowed, let origin {
                headers[.accessControlAllowOrigin] = origin
                headers[.accessControlAllowCredentials] = "true"
                headers[.accessControlAllowMethods] = "GET, POST, DELETE, OPTIONS"
                headers[.accessControlAllowHeaders] = "Authorization, Content-Type, X-Device-Id, DPoP"
                headers[.accessControlMaxAge] = "600"
            }
            return Response(status: .noContent, headers: headers)
        }
        var response = try await next(request, context)
        if allowed, let origin {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlAllowCredentials] = "true"
            response.headers[.accessControlExposeHeaders] = "X-Request-Id, Retry-After, WWW-Authenticate"
        }
        if origin != nil { response.headers[.vary] = "Origin" }
        return response
    }
}
