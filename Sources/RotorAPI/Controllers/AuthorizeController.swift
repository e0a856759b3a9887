import Foundation
import HTTPTypes
import Hummingbird
import RotorCore
import RotorJWT
import RotorProtocol

/// `/oauth/authorize` (OpenID Connect Core §3.1.2, RFC 6749 §4.1) and the hosted sign-in page behind it.
///
/// A request that passes ``AuthorizationRequest/check(_:client:defaultAudience:)`` is answered at once with a code
/// while the browser's SSO session lives (single sign-on), or with the sign-in page. The page carries the request
/// in hidden fields and a CSRF token (double submit: a `SameSite=Strict` cookie and the form field, compared in
/// constant time, and the `Origin` checked when sent); its post checks the request again, signs the person in
/// with the login limits of `/v1/auth/login`, sets the SSO cookie and redirects with the code. A third-party
/// client first gets the consent page (once per person and scopes, remembered). Nothing is ever redirected to a
/// URI the client did not register: those refusals are error pages.
struct AuthorizeController: Sendable {
    let support: RouteSupport

    /// The parameters of an authorization request that the sign-in form carries through; any other is dropped.
    static let carried: Set<String> = [
        "client_id", "redirect_uri", "response_type", "scope", "state", "nonce", "code_challenge",
        "code_challenge_method", "prompt", "max_age", "login_hint", "resource",
    ]

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("oauth/authorize", use: authorizeByQuery)
        routes.post("oauth/authorize", use: authorizeByForm)
        routes.post("oauth/authorize/sign-in", use: signIn)
        routes.post("oauth/authorize/consent", use: consent)
        return routes
    }

    @Sendable func authorizeByQuery(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await Self.asPage {
            let parameters = try FormBody.query(request.uri.query ?? "")
            return try await authorize(parameters, request: request, context: context)
        }
    }

    @Sendable func authorizeByForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await Self.asPage {
            try await authorize(try await FormBody.pairs(request, context: context), request: request, context: context)
        }
    }

    /// A browser gets a page, not a JSON error body, for a request it cannot send on (bad encoding, too large).
    private static func asPage(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as APIError where error.status.code < 500 {
            return Pages.error(
                title: "This sign-in link does not work",
                message: error.body.errorDescription,
                status: error.status
            )
        }
    }

    /// Answers a checked request: a code while the SSO session is fresh enough, `login_required` for
    /// `prompt=none` without one, else the sign-in page.
    private func authorize(
        _ parameters: [(name: String, value: String)],
        request: Request,
        context: AppRequestContext
    ) async throws -> Response {
        let checked: (AuthorizationRequest, ClientRecord)
        switch try await check(parameters) {
        case .answer(let response): return response
        case .checked(let authorization, let client): checked = (authorization, client)
        }
        let (authorization, client) = checked
        let engine = support.engine
        let cookie = request.cookies[support.options.browser.ssoCookieName]?.value
        if let sso = try await engine.ssoSession(cookie: cookie),
            Self.isFresh(sso, for: authorization, now: engine.now())
        {
            return try await signedIn(parameters, authorization, client: client, sso: sso, setCookie: nil)
        }
        if authorization.prompt.contains(.none) {
            return errorRedirect(authorization, "login_required", "The person is not signed in at Rotor.")
        }
        return signInPage(
            parameters,
            authorization,
            client: client,
            email: authorization.loginHint ?? "",
            problem: nil,
            status: .ok
        )
    }

    /// The sign-in form's post.
    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await Self.asPage { try await signInForm(request, context: context) }
    }

    private func signInForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form: CheckedForm
        switch try await postedForm(request, context: context) {
        case .answer(let response): return response
        case .checked(let checked): form = checked
        }
        let (fields, parameters, authorization, client) = (
            form.fields, form.parameters, form.authorization, form.client
        )
        func field(_ name: String) -> String? {
            let values = fields.filter { $0.name == name }
            return values.count == 1 ? values[0].value : nil
        }
        let email = field("email") ?? ""
        func again(_ problem: String, _ status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
            signInPage(
                parameters,
                authorization,
                client: client,
                email: email,
                problem: problem,
                status: status,
                headers: headers
            )
        }
        guard Self.sameOrigin(request, support) else {
            return again("This form was sent from another site. Sign in on this page.", .forbidden)
        }
        guard csrfHolds(fields, request) else {
            return again("This sign-in form had expired. Please sign in again.", .forbidden)
        }
        do {
            let signedIn = try await support.engine.signIn(
                email: email,
                password: field("password") ?? "",
                client: support.client(request, context)
            )
            let maxAge = Int(signedIn.session.absoluteExpiresAt.timeIntervalSince(support.engine.now()))
            return try await self.signedIn(
                parameters,
                authorization,
                client: client,
                sso: signedIn.session,
                setCookie: support.options.browser.ssoCookie(signedIn.cookie, maxAge: maxAge)
            )
        } catch EngineError.invalidCredentials {
            return again("The email or the password is not right.", .unauthorized)
        } catch EngineError.invalidField(let name, _) {
            return again(
                name == "email" ? "Enter your email address." : "Enter your password (8 to 1024 characters).",
                .badRequest
            )
        } catch EngineError.accountDisabled {
            return again("This account has been disabled.", .forbidden)
        } catch EngineError.rateLimited(let retryAfter) {
            return again(
                "Too many attempts. Try again in \(Self.words(seconds: retryAfter)).",
                .tooManyRequests,
                headers: [.retryAfter: String(retryAfter)]
            )
        } catch EngineError.overloaded(let retryAfter) {
            return again(
                "The server is busy. Try again in a moment.",
                .serviceUnavailable,
                headers: [.retryAfter: String(retryAfter)]
            )
        }
    }

    /// The consent form's post: the signed-in person allows or denies the client.
    @Sendable func consent(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await Self.asPage { try await consentForm(request, context: context) }
    }

    private func consentForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form: CheckedForm
        switch try await postedForm(request, context: context) {
        case .answer(let response): return response
        case .checked(let checked): form = checked
        }
        let (fields, parameters, authorization, client) = (
            form.fields, form.parameters, form.authorization, form.client
        )
        let engine = support.engine
        let values = fields.filter { $0.name == "decision" }.map(\.value)
        guard Self.sameOrigin(request, support), csrfHolds(fields, request) else {
            return Pages.error(
                title: "This form had expired",
                message: "Go back to the app and sign in again.",
                status: .forbidden
            )
        }
        let cookie = request.cookies[support.options.browser.ssoCookieName]?.value
        // The password must still be as recent as the request asks (prompt=login was honoured on the way here).
        guard let sso = try await engine.ssoSession(cookie: cookie),
            authorization.maxAge.map({ engine.now().timeIntervalSince(sso.authTime) <= Double($0) }) ?? true
        else {
            return signInPage(
                parameters,
                authorization,
                client: client,
                email: "",
                problem: "Your sign-in has ended. Please sign in again.",
                status: .unauthorized
            )
        }
        switch values.count == 1 ? values[0] : "" {
        case "allow":
            try await engine.grantConsent(userId: sso.userId, client: client, scopes: authorization.scopes)
            return try await codeRedirect(authorization, sso: sso, setCookie: nil)
        case "deny":
            return errorRedirect(authorization, "access_denied", "The person did not allow this app.")
        default:
            return Pages.error(title: "Nothing was chosen", message: "Choose Allow or Deny.", status: .badRequest)
        }
    }

    /// After a sign-in (or with a fresh SSO session): a code, unless the client needs the person's consent first.
    private func signedIn(
        _ parameters: [(name: String, value: String)],
        _ authorization: AuthorizationRequest,
        client: ClientRecord,
        sso: SSOSessionRecord,
        setCookie: String?
    ) async throws -> Response {
        let engine = support.engine
        guard
            try await engine.needsConsent(
                userId: sso.userId,
                client: client,
                scopes: authorization.scopes,
                promptConsent: authorization.prompt.contains(.consent)
            )
        else { return try await codeRedirect(authorization, sso: sso, setCookie: setCookie) }
        if authorization.prompt.contains(.none) {
            return errorRedirect(authorization, "consent_required", "The person has not allowed this app yet.")
        }
        let csrf = Base64URL.encode(SecureRandom.bytes(32))
        var headers: HTTPFields = [.setCookie: support.options.browser.csrfCookie(csrf)]
        if let setCookie { headers.append(HTTPField(name: .setCookie, value: setCookie)) }
        let email = (try await engine.user(id: sso.userId))?.email ?? ""
        return Pages.consent(
            Pages.Consent(
                app: client.metadata.name ?? client.id,
                email: email,
                scopes: authorization.scopes.map(ScopeDescription.of),
                csrf: csrf,
                parameters: parameters.filter { Self.carried.contains($0.name) }.map {
                    Pages.Parameter(name: $0.name, value: $0.value)
                }
            ),
            redirectTo: authorization.redirectURI,
            headers: headers
        )
    }

    private func errorRedirect(
        _ authorization: AuthorizationRequest,
        _ error: String,
        _ description: String
    )
        -> Response
    {
        Self.redirect(
            AuthorizationRedirect.error(
                AuthorizationErrorResponse(
                    redirectURI: authorization.redirectURI,
                    error: error,
                    description: description,
                    state: authorization.state
                ),
                issuer: support.engine.configuration.issuer
            )
        )
    }

    /// A sent `Origin` must be Rotor's own (a form posted from another site is refused); none is accepted, as
    /// some browsers send none on same-origin form posts, and the CSRF token decides then.
    private static func sameOrigin(_ request: Request, _ support: RouteSupport) -> Bool {
        guard let origin = request.headers[.origin] else { return true }
        return BrowserPolicy.origin(of: origin) == issuerOrigin(support)
    }

    /// A posted form of the provider's pages, with its authorization request checked again.
    private struct CheckedForm {
        var fields: [(name: String, value: String)]
        var parameters: [(name: String, value: String)]
        var authorization: AuthorizationRequest
        var client: ClientRecord
    }

    private enum PostedForm {
        case checked(CheckedForm)
        case answer(Response)
    }

    /// Reads a form post and checks the authorization request it carries, as the first request was checked.
    private func postedForm(_ request: Request, context: AppRequestContext) async throws -> PostedForm {
        let fields = try await FormBody.pairs(request, context: context)
        let parameters = fields.filter { Self.carried.contains($0.name) }
        switch try await check(parameters) {
        case .answer(let response):
            return .answer(response)
        case .checked(let authorization, let client):
            return .checked(
                CheckedForm(fields: fields, parameters: parameters, authorization: authorization, client: client)
            )
        }
    }

    /// The double submit: the form's one `csrf_token` equals the CSRF cookie set with the page.
    private func csrfHolds(_ fields: [(name: String, value: String)], _ request: Request) -> Bool {
        let presented = fields.filter { $0.name == "csrf_token" }
        guard presented.count == 1, let expected = request.cookies[support.options.browser.csrfCookieName]?.value
        else { return false }
        return SecretComparison.equal(presented[0].value, expected)
    }

    private enum Checked {
        case checked(AuthorizationRequest, ClientRecord)
        case answer(Response)
    }

    /// The request's checks: an error page where the client or redirect URI is not to be trusted, the RFC error
    /// at the registered redirect URI otherwise.
    private func check(_ parameters: [(name: String, value: String)]) async throws -> Checked {
        let engine = support.engine
        var client: ClientRecord?
        if let id = AuthorizationRequest.clientId(in: parameters), id.utf8.count <= 256 {
            client = try? await engine.client(id: id)
        }
        do throws(AuthorizationError) {
            let authorization = try AuthorizationRequest.check(
                parameters,
                client: client,
                defaultAudience: engine.configuration.audience
            )
            guard let client else { return .answer(Self.invalidLink("This app is not registered here.")) }
            return .checked(authorization, client)
        } catch {
            switch error {
            case .page(let reason):
                return .answer(Self.invalidLink(reason))
            case .redirect(let response):
                return .answer(
                    Self.redirect(AuthorizationRedirect.error(response, issuer: engine.configuration.issuer))
                )
            }
        }
    }

    /// Issues a code for a signed-in person and sends the browser back to the client.
    private func codeRedirect(
        _ authorization: AuthorizationRequest,
        sso: SSOSessionRecord,
        setCookie: String?
    ) async throws -> Response {
        let engine = support.engine
        let code = try await engine.issueAuthorizationCode(
            for: authorization,
            userId: sso.userId,
            authTime: sso.authTime,
            ssoSessionId: sso.id
        )
        var response = Self.redirect(
            AuthorizationRedirect.success(
                redirectURI: authorization.redirectURI,
                code: code,
                state: authorization.state,
                issuer: engine.configuration.issuer
            )
        )
        if let setCookie { response.headers[.setCookie] = setCookie }
        return response
    }

    private func signInPage(
        _ parameters: [(name: String, value: String)],
        _ authorization: AuthorizationRequest,
        client: ClientRecord,
        email: String,
        problem: String?,
        status: HTTPResponse.Status,
        headers: HTTPFields = [:]
    ) -> Response {
        let csrf = Base64URL.encode(SecureRandom.bytes(32))
        var headers = headers
        headers.append(HTTPField(name: .setCookie, value: support.options.browser.csrfCookie(csrf)))
        return Pages.signIn(
            Pages.SignIn(
                app: client.metadata.name ?? client.id,
                csrf: csrf,
                parameters: parameters.filter { Self.carried.contains($0.name) }.map {
                    Pages.Parameter(name: $0.name, value: $0.value)
                },
                email: email,
                problem: problem
            ),
            status: status,
            redirectTo: authorization.redirectURI,
            headers: headers
        )
    }

    /// Whether the SSO session may answer this request without a password: not with `prompt=login`, and not when
    /// the password is older than `max_age`.
    static func isFresh(_ sso: SSOSessionRecord, for authorization: AuthorizationRequest, now: Date) -> Bool {
        guard !authorization.prompt.contains(.login) else { return false }
        guard let maxAge = authorization.maxAge else { return true }
        return now.timeIntervalSince(sso.authTime) <= Double(maxAge)
    }

    private static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    private static func invalidLink(_ reason: String) -> Response {
        Pages.error(title: "This sign-in link does not work", message: reason, status: .badRequest)
    }

    private static func issuerOrigin(_ support: RouteSupport) -> String? {
        BrowserPolicy.origin(of: support.engine.configuration.issuer)
    }

    /// "40 seconds", "3 minutes": a retry delay in words.
    static func words(seconds: Int) -> String {
        seconds < 120 ? "\(seconds) seconds" : "\((seconds + 59) / 60) minutes"
    }
}
