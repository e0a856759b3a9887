public import Hummingbird
import Logging

/// Turns every error thrown below it into the docs/protocol.md error body, through ``APIError/mapping(_:)``.
///
/// Faults are logged with their type only: an error's description may quote input, and input may hold a secret.
public struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Creates the middleware.
    public init() {}

    /// Passes the request on and converts any error into an answer.
    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            let (apiError, isFault) = APIError.mapping(error)
            if isFault {
                context.logger.error(
                    "request failed",
                    metadata: [
                        "request_id": context.logger[metadataKey: "hb.request.id"] ?? "-",
                        "error_type": "\(String(reflecting: type(of: error)))", "path": "\(request.uri.path)",
                    ]
                )
            }
            return try apiError.response(from: request, context: context)
        }
    }
}
