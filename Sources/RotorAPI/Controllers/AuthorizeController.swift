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

    /// After a sign-in (or with a fresh SSO session): a code, unless the client needs the person's consent first.
    func signedIn(
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

    /// Issues a code for a signed-in person and sends the browser back to the client.
    func codeRedirect(
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

    /// Whether the SSO session may answer this request without a password: not with `prompt=login`, and not when
    /// the password is older than `max_age`.
    static func isFresh(_ sso: SSOSessionRecord, for authorization: AuthorizationRequest, now: Date) -> Bool {
        guard !authorization.prompt.contains(.login) else { return false }
        guard let maxAge = authorization.maxAge else { return true }
        return now.timeIntervalSince(sso.authTime) <= Double(maxAge)
    }
}
