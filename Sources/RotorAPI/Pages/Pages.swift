import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore
import RotorProtocol

/// Rotor's HTML pages with dynamic values (sign-in, consent, device, logout, errors), rendered from the Mustache templates in
/// `Resources/pages/`, which escape every value they show. Every page gets the account page's headers: a strict
/// Content-Security-Policy (no inline script or style, no framing, forms only to Rotor), no referrer, no caching.
enum Pages {
    /// The templates, each parsed once at its first use. They are files of this repository that every test run
    /// renders, so one that does not parse is a bug of the build, and stops the program at once.
    enum Template {
        static let signIn = parse(PackageResources.signin_mustache)
        static let error = parse(PackageResources.error_mustache)
        static let consent = parse(PackageResources.consent_mustache)
        static let logout = parse(PackageResources.logout_mustache)
        static let signedOut = parse(PackageResources.signed_out_mustache)
        static let device = parse(PackageResources.device_mustache)
        static let deviceConfirm = parse(PackageResources.device_confirm_mustache)
        static let deviceDone = parse(PackageResources.device_done_mustache)

        private static func parse(_ bytes: [UInt8]) -> MustacheTemplate {
            do {
                return try MustacheTemplate(string: String(decoding: bytes, as: UTF8.self))
            } catch {
                fatalError("a page template in Resources/pages does not parse: \(error)")
            }
        }
    }

    /// What the sign-in page shows.
    struct SignIn {
        /// Where the form posts: `/oauth/authorize/sign-in` or `/device/sign-in`.
        var action: String
        /// The app's name (or id).
        var app: String
        /// The CSRF token, also in the cookie.
        var csrf: String
        /// The authorization request, carried through the form.
        var parameters: [Parameter]
        /// The address to fill in.
        var email: String
        /// What went wrong, in words.
        var problem: String?
    }

    /// What the consent page shows.
    struct Consent {
        /// The app's name (or id).
        var app: String
        /// Who is signed in.
        var email: String
        /// What each scope lets the app do, in words.
        var scopes: [String]
        /// The CSRF token, also in the cookie.
        var csrf: String
        /// The authorization request, carried through the form.
        var parameters: [Parameter]
    }

    /// What the device pages show: the code entry (`/device`) and the approval of one device.
    struct Device {
        /// Who is signed in.
        var email: String
        /// The CSRF token, also in the cookie.
        var csrf: String
        /// The user code as typed (entry) or as shown `XXXX-XXXX` (approval).
        var userCode: String
        /// What went wrong, in words (entry).
        var problem: String?
        /// The client's name or id (approval).
        var app: String = ""
        /// What each scope lets the client do, in words (approval).
        var scopes: [String] = []
    }

    /// One hidden form field.
    struct Parameter {
        var name: String
        var value: String
    }

    /// The sign-in page; its form's answer redirects to `redirectTo` (the client's registered redirect URI).
    static func signIn(
        _ page: SignIn,
        status: HTTPResponse.Status,
        redirectTo: String,
        headers extra: HTTPFields = [:]
    ) -> Response {
        html(Template.signIn.render(page), status: status, extra: extra, formTarget: redirectTo)
    }

    /// The consent page; its form's answer redirects to `redirectTo`.
    static func consent(_ page: Consent, redirectTo: String, headers extra: HTTPFields) -> Response {
        html(Template.consent.render(page), status: .ok, extra: extra, formTarget: redirectTo)
    }

    /// The logout confirmation (RP-initiated logout without a valid `id_token_hint`); its form's answer may
    /// redirect to `redirectTo` (a registered post-logout redirect URI).
    static func logout(
        csrf: String,
        parameters: [Parameter],
        redirectTo: String?,
        headers extra: HTTPFields
    )
        -> Response
    {
        html(
            Template.logout.render(["csrf": csrf, "parameters": parameters] as [String: Any]),
            status: .ok,
            extra: extra,
            formTarget: redirectTo
        )
    }

    /// `/device`: the signed-in person types the code their device shows.
    static func deviceEntry(_ page: Device, status: HTTPResponse.Status, headers extra: HTTPFields) -> Response {
        html(Template.device.render(page), status: status, extra: extra)
    }

    /// The approval of one device: its client, its scopes, the code to compare, Allow and Deny.
    static func deviceConfirm(_ page: Device, headers extra: HTTPFields) -> Response {
        html(Template.deviceConfirm.render(page), status: .ok, extra: extra)
    }

    /// After the decision, or when it can no longer be made.
    static func deviceDone(title: String, message: String, status: HTTPResponse.Status = .ok) -> Response {
        html(Template.deviceDone.render(["title": title, "message": message]), status: status, extra: [:])
    }

    /// The page after a logout with no registered place to go back to.
    static func signedOut(headers extra: HTTPFields) -> Response {
        html(Template.signedOut.render([String: String]()), status: .ok, extra: extra)
    }

    /// An error page: for a request that may not be redirected anywhere.
    static func error(title: String, message: String, status: HTTPResponse.Status) -> Response {
        html(Template.error.render(["title": title, "message": message]), status: status, extra: [:])
    }

    /// Runs a browser flow's handler; a request it cannot take (bad encoding, too large: an ``APIError`` below
    /// 500) gets the error page titled `title` instead of a JSON error body.
    static func answering(
        failureTitle title: String,
        _ body: () async throws -> Response
    ) async throws -> Response {
        do {
            return try await body()
        } catch let error as APIError where error.status.code < 500 {
            return Pages.error(title: title, message: error.body.errorDescription, status: error.status)
        }
    }

    /// The headers of every page Rotor serves (the account page too). The provider's pages, whose forms post back
    /// to Rotor, say `same-origin`: with `no-referrer` a browser sends `Origin: null` on a form post (Fetch), which
    /// the Origin check must refuse; `same-origin` still tells no other site anything (not the redirect's code).
    static func headers(contentType: String, cache: String, referrer: String = "no-referrer") -> HTTPFields {
        var headers: HTTPFields = [
            .contentType: contentType,
            .cacheControl: cache,
            .contentSecurityPolicy: AccountController.contentSecurityPolicy,
            HTTPField.Name("Referrer-Policy")!: referrer,
            HTTPField.Name("X-Frame-Options")!: "DENY",
            HTTPField.Name("Cross-Origin-Opener-Policy")!: "same-origin",
        ]
        headers[HTTPField.Name("Permissions-Policy")!] = "camera=(), microphone=(), geolocation=()"
        return headers
    }

    /// A page. `formTarget` is where its form's answer redirects: browsers hold the whole redirect chain of a form
    /// post to `form-action`, so that origin (of a URI the client registered, checked before any page is shown)
    /// joins `'self'` there.
    private static func html(
        _ text: String,
        status: HTTPResponse.Status,
        extra: HTTPFields,
        formTarget: String? = nil
    ) -> Response {
        var headers = headers(contentType: "text/html; charset=utf-8", cache: "no-store", referrer: "same-origin")
        if let origin = formTarget.flatMap(BrowserPolicy.origin(of:)) {
            headers[.contentSecurityPolicy] = AccountController.contentSecurityPolicy.replacingOccurrences(
                of: "form-action 'self'",
                with: "form-action 'self' \(origin)"
            )
        }
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
