import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /account`: the page where a person signs in (cookie mode) and manages their devices, served by Rotor
/// itself with no external assets. The three files are in `Resources/account/`, compiled into the binary.
///
/// Three resources (the page, its script, its style sheet), each with a strict `Content-Security-Policy`: only
/// Rotor's own script and style, no inline code, no framing, calls only to Rotor itself.
struct AccountController: Sendable {
    /// Everything but Rotor's own files is refused; the page may not be framed (clickjacking) nor submit forms
    /// elsewhere.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get(use: page)
        routes.get("app.js", use: script)
        routes.get("style.css", use: style)
        return routes
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        Self.answer(Self.html, type: "text/html; charset=utf-8", cache: "no-store")
    }

    @Sendable func script(_ request: Request, context: AppRequestContext) async throws -> Response {
        Self.answer(Self.javascript, type: "text/javascript; charset=utf-8", cache: "no-cache")
    }

    @Sendable func style(_ request: Request, context: AppRequestContext) async throws -> Response {
        Self.answer(Self.css, type: "text/css; charset=utf-8", cache: "no-cache")
    }

    /// `Resources/account/index.html`: every part of the page is in the markup, hidden until the script knows whether
    /// someone is signed in; no inline script or style (the Content-Security-Policy forbids both).
    static let html = ByteBuffer(bytes: PackageResources.index_html)
    /// `Resources/account/app.js`: the access token lives in a variable of this script only; the refresh token is
    /// the HttpOnly cookie. Refresh is single-flight.
    static let javascript = ByteBuffer(bytes: PackageResources.app_js)
    /// `Resources/account/style.css`: one column that fits a phone, visible keyboard focus, light and dark schemes.
    static let css = ByteBuffer(bytes: PackageResources.style_css)

    private static func answer(_ body: ByteBuffer, type: String, cache: String) -> Response {
        Response(status: .ok, headers: Pages.headers(contentType: type, cache: cache), body: .init(byteBuffer: body))
    }
}
