public import CoreMetrics
import Foundation
public import Hummingbird
public import RotorCore
import RotorJWT
import RotorProtocol

/// What the API needs besides the engine.
public struct APIOptions: Sendable {
    /// `ROTOR_ALLOW_SIGNUP`.
    public var allowSignup: Bool
    /// `ROTOR_TRUSTED_PROXIES`.
    public var trustedProxies: TrustedProxies
    /// `ROTOR_INTROSPECTION_SECRET`: the bearer secret of `/oauth/introspect` (unset: introspection is closed).
    public var introspectionSecret: String?
    /// Browser mode: the refresh cookie's attributes and the allowed origins.
    public var browser: BrowserPolicy
    /// Where request metrics go.
    public var metricsFactory: any MetricsFactory
    /// The Prometheus text of `GET /metrics` (nil: no such route).
    public var metricsText: (@Sendable () -> String)?
    /// How many DPoP proof ids are remembered at once (two proof lifetimes each); beyond, proofs get `503`.
    public var dpopReplayCapacity: Int

    /// Creates options.
    public init(
        allowSignup: Bool = true,
        trustedProxies: TrustedProxies = .none,
        introspectionSecret: String? = nil,
        browser: BrowserPolicy = BrowserPolicy(issuer: "http://127.0.0.1:8080"),
        metricsFactory: any MetricsFactory = NOOPMetricsHandler.instance,
        metricsText: (@Sendable () -> String)? = nil,
        dpopReplayCapacity: Int = 100_000
    ) {
        self.allowSignup = allowSignup
        self.trustedProxies = trustedProxies
        self.introspectionSecret = introspectionSecret
        self.browser = browser
        self.metricsFactory = metricsFactory
        self.metricsText = metricsText
        self.dpopReplayCapacity = dpopReplayCapacity
    }
}

/// What every route collection shares.
struct RouteSupport: Sendable {
    let engine: TokenEngine
    let options: APIOptions
    /// DPoP proof ids seen recently (RFC 9449 §11.1).
    let dpopReplays: DPoPReplayCache

    /// The key thumbprint of the request's `DPoP` proof, checked for this method and URL (`ROTOR_ISSUER` + `path`),
    /// or nil when there is none.
    /// - Parameter accessToken: The access token sent with the proof, whose hash the proof must carry (`ath`).
    /// - Throws: `400 invalid_dpop_proof` for a proof that does not hold (RFC 9449 §5).
    func dpopThumbprint(_ request: Request, path: String, accessToken: String? = nil) async throws -> String? {
        let proofs = request.headers[values: dpopHeader]
        guard let proof = proofs.first else { return nil }
        guard proofs.count == 1 else { throw APIError(.badRequest, .invalidDPoPProof, "Send one DPoP proof.") }
        let issuer = engine.configuration.issuer
        let base = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        do {
            return try await DPoPProof.verify(
                proof,
                method: request.method.rawValue,
                url: base + path,
                accessToken: accessToken,
                now: engine.now(),
                replays: dpopReplays
            ).thumbprint
        } catch .tooManyProofs {
            throw APIError(
                .serviceUnavailable,
                .temporarilyUnavailable,
                "Too many DPoP proofs arrived in the last minutes to check this one. Try again shortly.",
                headers: [.retryAfter: "5"]
            )
        } catch {
            throw APIError(.badRequest, .invalidDPoPProof, "The DPoP proof is not valid: \(error).")
        }
    }

    /// The token answer; in cookie mode the refresh token goes only into the HttpOnly cookie.
    func tokenAnswer(_ tokens: IssuedTokens, cookieMode: Bool) throws -> Response {
        guard cookieMode else { return try JSONResponse.tokens(tokens) }
        var response = try JSONResponse.tokens(tokens, includeRefreshToken: false)
        response.headers[.setCookie] = options.browser.setCookie(
            token: tokens.refreshToken.value,
            maxAge: tokens.refreshExpiresIn
        )
        return response
    }

    /// Reads `token_delivery`: nil or `"body"` is body mode, `"cookie"` cookie mode.
    /// - Throws: `400 invalid_request` for anything else.
    static func cookieMode(_ tokenDelivery: String?) throws -> Bool {
        switch tokenDelivery {
        case nil, "body": false
        case "cookie": true
        default: throw APIError.invalidRequest("The field 'token_delivery' must be \"body\" or \"cookie\".")
        }
    }

    /// The client's IP and user agent.
    func client(_ request: Request, _ context: AppRequestContext) -> ClientInfo {
        request.clientInfo(context: context, proxies: options.trustedProxies)
    }
}

/// Builds Rotor's router: every route of the API, behind the error mapping and the security headers.
/// - Parameters:
///   - engine: The token engine.
///   - health: What `GET /readyz` asks.
///   - options: API switches.
/// - Returns: The router, ready for an `Application`.
public func buildRouter(
    engine: TokenEngine,
    health: any StoreHealth,
    options: APIOptions = APIOptions()
)
    -> Router<AppRequestContext>
{
    buildAPI(engine: engine, health: health, options: options).router
}

/// One route of the API: its method and its path pattern (`/v1/sessions/{id}`), as OpenAPI writes it.
public struct APIRoute: Hashable, Sendable, CustomStringConvertible {
    /// `GET`, `POST`, `DELETE`.
    public var method: String
    /// The path, with parameters written `{name}`.
    public var path: String

    /// Creates a route.
    public init(method: String, path: String) {
        self.method = method
        self.path = path
    }

    /// `METHOD path`.
    public var description: String { "\(method) \(path)" }
}

/// Rotor's router and the table of its routes (what `GET /openapi.json` must describe, read from the router).
public struct API {
    /// The router.
    public let router: Router<AppRequestContext>

    /// Every route the router serves.
    public var routes: [APIRoute] {
        router.routes.map { APIRoute(method: $0.method.rawValue, path: $0.path.description) }
    }
}

/// Builds the router: one controller per feature, each a `RouteCollection` mounted at its path, behind the
/// metrics, CORS, security-header and error middleware.
public func buildAPI(engine: TokenEngine, health: any StoreHealth, options: APIOptions = APIOptions()) -> API {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestMetricsMiddleware(factory: options.metricsFactory))
    router.add(middleware: RotorCORSMiddleware(policy: options.browser))
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorMiddleware())
    let support = RouteSupport(
        engine: engine,
        options: options,
        dpopReplays: DPoPReplayCache(capacity: options.dpopReplayCapacity)
    )
    router.addRoutes(UserController(support: support).endpoints, atPath: "/v1/users")
    router.addRoutes(AuthController(support: support).endpoints, atPath: "/v1/auth")
    router.addRoutes(MeController(support: support).endpoints, atPath: "/v1/me")
    router.addRoutes(SessionController(support: support).endpoints, atPath: "/v1/sessions")
    router.addRoutes(AdminController(support: support).endpoints, atPath: "/v1/admin")
    router.addRoutes(ClientAdminController(support: support).endpoints, atPath: "/v1/admin/clients")
    router.addRoutes(RevocationController(support: support).endpoints, atPath: "/v1/revocations")
    router.addRoutes(OAuthController(support: support).endpoints)
    router.addRoutes(AuthorizeController(support: support).endpoints)
    router.addRoutes(DeviceController(support: support).endpoints)
    router.addRoutes(LogoutController(support: support).endpoints)
    router.addRoutes(HealthController(store: health, metricsText: options.metricsText).endpoints)
    router.addRoutes(AccountController().endpoints, atPath: "/account")
    router.addRoutes(DocumentController(keys: engine.keys).endpoints)
    return API(router: router)
}
