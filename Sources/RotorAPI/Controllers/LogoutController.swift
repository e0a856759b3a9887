import Foundation
import HTTPTypes
import Hummingbird
import RotorCore
import RotorJWT
import RotorProtocol

/// `/oauth/logout`: RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0).
///
/// With a valid `id_token_hint` (an ID token Rotor signed, expired or not) the SSO session it names ends at once,
/// with every session issued under it; without one, the person confirms on a page first (a CSRF-protected form),
/// so that no other site can sign them out by sending their browser here. Then back to the client's
/// `post_logout_redirect_uri` with `state` — only an exact registered one, of the client the hint or `client_id`
/// names — or the signed-out page.
struct LogoutController: Sendable {
    let support: RouteSupport

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("oauth/logout", use: logoutByQuery)
        routes.post("oauth/logout", use: logoutByForm)
        routes.post("oauth/logout/confirm", use: confirm)
        return routes
    }

    /// Where the browser goes afterwards, checked before anything ends.
    private enum Destination {
        case redirect(String)
        case signedOutPage
        /// An error page instead: the URI is not registered, or the client is not the hint's.
        case refused(Response)
    }

    @Sendable func logoutByQuery(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await Self.asPage {
            try await logout(try FormBody.query(request.uri.query ?? ""), request: request, context: context)
        }
    }

    @Sendable func logoutByForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await Self.asPage {
            try await logout(try await FormBody.pairs(request, context: context), request: request, context: context)
        }
    }

    private func logout(
        _ parameters: [(name: String, value: String)],
        request: Request,
        context: AppRequestContext
    ) async throws -> Response {
        let engine = support.engine
        let hint: IDTokenClaims?
        if let text = Self.one("id_token_hint", in: parameters) {
            hint = await engine.idTokenHint(text)
        } else {
            hint = nil
        }
        let destination = try await destination(parameters, hintClient: hint?.aud)
        if case .refused(let page) = destination { return page }
        guard let hint else {
            // No valid hint: the person confirms, or any site could sign them out.
            let csrf = Base64URL.encode(SecureRandom.bytes(32))
            return Pages.logout(
                csrf: csrf,
                parameters: parameters.filter { ["post_logout_redirect_uri", "state", "client_id"].contains($0.name) }
                    .map { Pages.Parameter(name: $0.name, value: $0.value) },
                redirectTo: { if case .redirect(let location) = destination { location } else { nil } }(),
                headers: [.setCookie: support.options.browser.csrfCookie(csrf)]
            )
        }
        if let sid = hint.sid { try await engine.endSSOSession(id: sid, client: support.client(request, context)) }
        try await endCookieSession(request, context: context, except: hint.sid)
        return finish(destination)
    }

    /// The confirmation page's post.
    @Sendable func confirm(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await Self.asPage {
            let fields = try await FormBody.pairs(request, context: context)
            let destination = try await destination(fields, hintClient: nil)
            if case .refused(let page) = destination { return page }
            guard support.sameOrigin(request), support.csrfHolds(fields, request) else {
                return Pages.error(
                    title: "This form had expired",
                    message: "Nothing was changed. Sign out again from the app.",
                    status: .forbidden
                )
            }
            try await endCookieSession(request, context: context, except: nil)
            return finish(destination)
        }
    }

    /// Ends the SSO session of the browser's cookie, if it is live (and not the one already ended).
    private func endCookieSession(_ request: Request, context: AppRequestContext, except: String?) async throws {
        let engine = support.engine
        let cookie = request.cookies[support.options.browser.ssoCookieName]?.value
        if let sso = try await engine.ssoSession(cookie: cookie), sso.id != except {
            try await engine.endSSOSession(id: sso.id, client: support.client(request, context))
        }
    }

    /// The registered `post_logout_redirect_uri` of the named client, or the signed-out page; an error page for a
    /// URI that is not registered, or a client that is not the hint's.
    private func destination(
        _ parameters: [(name: String, value: String)],
        hintClient: String?
    ) async throws
        -> Destination
    {
        let clientId = Self.one("client_id", in: parameters)
        if let clientId, let hintClient, clientId != hintClient {
            return .refused(Self.invalid("The client_id is not the app the id_token_hint was issued to."))
        }
        guard let uri = Self.one("post_logout_redirect_uri", in: parameters) else { return .signedOutPage }
        guard let id = clientId ?? hintClient, id.utf8.count <= 256,
            let client = try? await support.engine.client(id: id),
            client.metadata.postLogoutRedirectURIs.contains(uri)
        else {
            return .refused(Self.invalid("The post_logout_redirect_uri is not registered for this app."))
        }
        let state = Self.one("state", in: parameters)
        return .redirect(AuthorizationRedirect.location(uri, [("state", state)]))
    }

    private func finish(_ destination: Destination) -> Response {
        let clear = support.options.browser.clearSSOCookie
        switch destination {
        case .redirect(let location):
            return Response(
                status: .seeOther,
                headers: [.location: location, .cacheControl: "no-store", .setCookie: clear]
            )
        case .signedOutPage, .refused:
            return Pages.signedOut(headers: [.setCookie: clear])
        }
    }

    private static func one(_ name: String, in parameters: [(name: String, value: String)]) -> String? {
        let values = parameters.filter { $0.name == name }
        return values.count == 1 ? values[0].value : nil
    }

    private static func invalid(_ reason: String) -> Response {
        Pages.error(title: "This sign-out link does not work", message: reason, status: .badRequest)
    }

    private static func asPage(_ body: () async throws -> Response) async throws -> Response {
        try await Pages.answering(failureTitle: "This sign-out link does not work", body)
    }
}
