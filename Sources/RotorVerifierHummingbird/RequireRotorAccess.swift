import HTTPTypes
public import Hummingbird
public import HummingbirdAuth
import NIOCore
public import RotorVerifier

/// Lets a request through only when it carries a verified Rotor token, with a role, a scope or a kind of caller if
/// asked: `401 invalid_token` without one, `403 insufficient_scope` without the role, scope or kind (RFC 6750 §3.1).
public struct RequireRotorAccess<Context: AuthRequestContext>: RouterMiddleware
where Context.Identity == VerifiedAccessToken {
    /// A kind of caller a route may be limited to.
    public enum CallerKind: Sendable {
        /// A person signed in to a session.
        case person
        /// A service with a `client_credentials` token.
        case machine
    }

    private let role: String?
    private let scope: String?
    private let kind: CallerKind?

    /// Any verified caller, person or machine.
    public init() {
        self.init(role: nil, scope: nil, kind: nil)
    }

    private init(role: String?, scope: String?, kind: CallerKind?) {
        self.role = role
        self.scope = scope
        self.kind = kind
    }

    /// Callers whose token carries `role` in `roles` (machines have no roles).
    public static func require(role: String) -> Self { Self(role: role, scope: nil, kind: nil) }

    /// Callers whose token carries `scope` in `scope`.
    public static func require(scope: String) -> Self { Self(role: nil, scope: scope, kind: nil) }

    /// Callers of one kind: people only, or machines only (with `scope`, if given).
    public static func require(_ kind: CallerKind, scope: String? = nil) -> Self {
        Self(role: nil, scope: scope, kind: kind)
    }

    /// Checks the caller, then hands the request on.
    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        guard let identity = context.identity else { throw RotorAccessDenied.missingToken }
        if let role, !identity.roles.contains(role) { throw RotorAccessDenied.insufficient("role \(role) required") }
        switch (kind, identity.caller) {
        case (.person, .machine): throw RotorAccessDenied.insufficient("a signed-in person required")
        case (.machine, .person): throw RotorAccessDenied.insufficient("a machine client required")
        default: break
        }
        if let scope, !identity.scopes.contains(scope) {
            throw RotorAccessDenied.insufficient("scope \(scope) required", scope: scope)
        }
        return try await next(request, context)
    }
}

/// RFC 6750 answers: the status, `WWW-Authenticate`, and Rotor's error body.
public struct RotorAccessDenied: HTTPResponseError {
    /// 401 or 403.
    public let status: HTTPResponse.Status
    private let challenge: String
    private let code: String
    private let description: String

    static let missingToken = RotorAccessDenied(
        status: .unauthorized,
        challenge: #"Bearer realm="api""#,
        code: "invalid_token",
        description: "An access token is required."
    )

    static func invalidToken(_ why: String, dpop: Bool = false) -> RotorAccessDenied {
        // The reason stays in the logs: a client only learns that the token is not acceptable.
        RotorAccessDenied(
            status: .unauthorized,
            challenge: (dpop ? "DPoP" : "Bearer") + #" error="invalid_token""#,
            code: "invalid_token",
            description: "The access token is not valid."
        )
    }

    static func insufficient(_ why: String, scope: String? = nil) -> RotorAccessDenied {
        RotorAccessDenied(
            status: .forbidden,
            challenge: #"Bearer error="insufficient_scope""# + (scope.map { #", scope="\#($0)""# } ?? ""),
            code: "insufficient_scope",
            description: "The access token does not allow this: \(why)."
        )
    }

    /// The answer, with `WWW-Authenticate` and `{"error", "error_description"}`.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = #"{"error":"\#(code)","error_description":"\#(description)"}"#
        return Response(
            status: status,
            headers: [
                .wwwAuthenticate: challenge, .contentType: "application/json; charset=utf-8", .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(string: body))
        )
    }
}
