public import Hummingbird

/// Adds headers every API answer should carry: no MIME sniffing, and no caching unless a route says otherwise.
public struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Creates the middleware.
    public init() {}

    /// Adds the headers to the answer.
    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        if !response.headers.has(.cacheControl) {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }
}
