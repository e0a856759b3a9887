public import Hummingbird
public import RotorCore

/// What the API needs besides the engine.
public struct APIOptions: Sendable {
    /// `ROTOR_ALLOW_SIGNUP`.
    public var allowSignup: Bool

    /// Creates options.
    public init(allowSignup: Bool = true) {
        self.allowSignup = allowSignup
    }
}

/// Builds Rotor's router: every route of the API, behind the error mapping and the security headers.
/// - Parameters:
///   - engine: The token engine.
///   - health: What `GET /readyz` asks.
///   - options: API switches.
/// - Returns: The router, ready for an `Application`.
public func buildRouter(engine: TokenEngine, health: any StoreHealth, options: APIOptions = APIOptions())
    -> Router<AppRequestContext>
{
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorMiddleware())
    UserRoutes(engine: engine, allowSignup: options.allowSignup).register(on: router)
    AuthRoutes(engine: engine).register(on: router)
    HealthRoutes(store: health).register(on: router)
    WellKnownRoutes(keys: engine.keys).register(on: router)
    return router
}
