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

    /// The verified caller of a protected route.
    func principal(_ request: Request) async throws -> Principal {
        try await AccessTokenAuthenticator(engine: engine, support: self).principal(for: request)
    }

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

    /// The verified caller of a route that changes the account or other sessions, whose session must still be
    /// live: an access token outlives a logout until it expires, but Rotor has the database and need not wait.
    func livePrincipal(_ request: Request) async throws -> Principal {
        let principal = try await principal(request)
        try await engine.requireLiveSession(principal)
        return principal
    }

    /// The verified caller, who must hold `role` and whose session must be live (admin routes change accounts).
    func principal(_ request: Request, role: String) async throws -> Principal {
        let principal = try await livePrincipal(request)
        guard principal.roles.contains(role) else { throw EngineError.forbidden }
        return principal
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

/// Builds the router and returns it with the table of its routes (what `GET /openapi.json` must describe).
public func buildAPI(engine: TokenEngine, health: any StoreHealth, options: APIOptions = APIOptions()) -> APIRouter {
    let hummingbird = Router(context: AppRequestContext.self)
    let router = APIRouter(hummingbird)
    hummingbird.add(middleware: RequestMetricsMiddleware(factory: options.metricsFactory))
    hummingbird.add(middleware: RotorCORSMiddleware(policy: options.browser))
    hummingbird.add(middleware: SecurityHeadersMiddleware())
    hummingbird.add(middleware: ErrorMiddleware())
    let support = RouteSupport(
        engine: engine,
        options: options,
        dpopReplays: DPoPReplayCache(capacity: options.dpopReplayCapacity)
    )
    UserRoutes(support: support).register(on: router)
    AuthRoutes(support: support).register(on: router)
    SessionRoutes(support: support).register(on: router)
    MeRoutes(support: support).register(on: router)
    AdminRoutes(support: support).register(on: router)
    OAuthRoutes(support: support).register(on: router)
    HealthRoutes(store: health, metricsText: options.metricsText).register(on: router)
    AccountPage().register(on: router)
    RevocationRoutes(support: support).register(on: router)
    WellKnownRoutes(keys: engine.keys).register(on: router)
    router.get("/openapi.json") { _, _ in
        JSONResponse.raw(openAPIDocument, headers: [.cacheControl: "public, max-age=3600"])
    }
    return router
}

/// `Resources/openapi.json`, written by `scripts/generate-openapi.py` (scripts/validate checks that they agree);
/// `OpenAPITests` keeps it equal to the router and valid OpenAPI 3.1.
let openAPIDocument = Data(PackageResources.openapi_json)
