import HTTPTypes
import Hummingbird
import RotorCore
import RotorProtocol

/// `POST /v1/auth/login`, `/v1/auth/token/refresh` and `/v1/auth/logout`.
struct AuthController: Sendable {
    let support: RouteSupport

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post("login", use: login)
        routes.post("token/refresh", use: refresh)
        // Logout takes a refresh token or, failing that, an access token: the authenticator sets the caller if any.
        routes.group().add(middleware: AccessTokenAuthenticator(support: support)).post("logout", use: logout)
        return routes
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(LoginRequest.self, from: request, context: context)
        let cookieMode = try RouteSupport.cookieMode(body.tokenDelivery)
        let tokens = try await support.engine.login(
            email: body.email,
            password: body.password,
            deviceId: body.deviceId,
            deviceName: body.deviceName,
            dpopThumbprint: try await support.dpopThumbprint(request, path: "/v1/auth/login"),
            client: support.client(request, context)
        )
        return try support.tokenAnswer(tokens, cookieMode: cookieMode)
    }

    @Sendable func refresh(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await JSONBody.decodeIfPresent(OptionalTokenBody.self, from: request, context: context)
        let (token, cookieMode) = try presentedToken(body?.refreshToken, request)
        guard let token else { throw APIError.invalidRequest("The field 'refresh_token' is required.") }
        do {
            let tokens = try await support.engine.refresh(
                token,
                deviceId: body?.deviceId ?? request.headers[deviceIdHeader],
                dpopThumbprint: try await support.dpopThumbprint(request, path: "/v1/auth/token/refresh"),
                client: support.client(request, context)
            )
            return try support.tokenAnswer(tokens, cookieMode: cookieMode)
        } catch let error as EngineError where cookieMode {
            // A dead cookie is of no use to the browser: clear it with the refusal.
            var answer = APIError.mapping(error).0
            answer.headers[.setCookie] = support.options.browser.clearCookie
            throw answer
        }
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await JSONBody.decodeIfPresent(OptionalTokenBody.self, from: request, context: context)
        var scope = SessionScope.local
        if let raw = body?.scope {
            guard let parsed = SessionScope(rawValue: raw) else {
                throw APIError.invalidRequest("The field 'scope' must be \"local\", \"others\" or \"global\".")
            }
            scope = parsed
        }
        let client = support.client(request, context)
        let (token, cookieMode) = try presentedToken(body?.refreshToken, request)
        if let token {
            let proof = try await support.dpopThumbprint(request, path: "/v1/auth/logout")
            try await support.engine.logout(refreshToken: token, scope: scope, dpopThumbprint: proof, client: client)
        } else if let caller = context.identity {
            // Ending other sessions is a change Rotor checks against its own records (`local` needs no check:
            // the session of an ended one is already over).
            if scope != .local { try await support.engine.requireLiveSession(caller) }
            try await support.engine.logout(principal: caller, scope: scope, client: client)
        } else {
            throw APIError.invalidRequest("A 'refresh_token' in the body or an access token is required.")
        }
        var response = Response(status: .noContent)
        if cookieMode { response.headers[.setCookie] = support.options.browser.clearCookie }
        return response
    }

    /// The refresh token of a request: from the body, else from the cookie — which only an allowed `Origin` may
    /// use (CSRF defence on top of `SameSite=Strict`).
    private func presentedToken(_ fromBody: String?, _ request: Request) throws -> (String?, cookieMode: Bool) {
        if let fromBody { return (fromBody, false) }
        // Only the name of this mode: over https a plain `rotor_refresh` could have been planted by a sibling domain.
        guard let cookie = request.cookies[support.options.browser.cookieName]?.value, !cookie.isEmpty else {
            return (nil, false)
        }
        guard support.options.browser.allows(request.headers.value(.origin)) else {
            throw APIError(.forbidden, .forbidden, "A cookie request must come from an allowed Origin.")
        }
        return (cookie, true)
    }
}

/// The body of refresh and logout, where every field may be absent (cookie mode, logout by access token).
private struct OptionalTokenBody: Decodable {
    var refreshToken: String?
    var deviceId: String?
    var scope: String?

    enum CodingKeys: String, CodingKey {
        case refreshToken = "refresh_token"
        case deviceId = "device_id"
        case scope
    }
}

/// `X-Device-Id`: the device binding may travel as a header instead of a body field.
let deviceIdHeader = HTTPField.Name("X-Device-Id")!

/// `DPoP`: a proof of possession of the client's key (RFC 9449).
let dpopHeader = HTTPField.Name("DPoP")!
