import HTTPTypes
public import Hummingbird

/// One route of the API: its method and its path pattern (`/v1/sessions/{id}`).
public struct APIRoute: Hashable, Sendable, CustomStringConvertible {
    /// `GET`, `POST`, `DELETE`.
    public var method: String
    /// The path, with parameters written `{name}` as in OpenAPI.
    public var path: String

    /// Creates a route.
    public init(method: String, path: String) {
        self.method = method
        self.path = path
    }

    /// `METHOD path`.
    public var description: String { "\(method) \(path)" }
}

/// Registers routes on Hummingbird's router and remembers them, so that a test can hold the OpenAPI document
/// equal to what the server really serves. Used while the router is built, on one task.
public final class APIRouter {
    /// The underlying router.
    public let router: Router<AppRequestContext>
    /// Every route registered, in order.
    public private(set) var routes: [APIRoute] = []

    init(_ router: Router<AppRequestContext>) {
        self.router = router
    }

    typealias Handler = @Sendable (Request, AppRequestContext) async throws -> Response

    func get(_ path: String, use handler: @escaping Handler) {
        add(.get, path, handler)
    }

    func post(_ path: String, use handler: @escaping Handler) {
        add(.post, path, handler)
    }

    func delete(_ path: String, use handler: @escaping Handler) {
        add(.delete, path, handler)
    }

    private func add(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        router.on(RouterPath(path), method: method, use: handler)
        let pattern = path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
        }.joined(separator: "/")
        routes.append(APIRoute(method: method.rawValue, path: pattern))
    }
}
