import Foundation
import Hummingbird
import RotorCore
import RotorJWT

// What every form of the provider's pages checks before it acts: where it was posted from, and its CSRF token.
extension RouteSupport {
    /// A sent `Origin` must be Rotor's own (a form posted from another site is refused); none is accepted, as
    /// some browsers send none on same-origin form posts, and the CSRF token decides then.
    func sameOrigin(_ request: Request) -> Bool {
        guard let origin = request.headers.value(.origin) else { return true }
        return BrowserPolicy.origin(of: origin) == BrowserPolicy.origin(of: engine.configuration.issuer)
    }

    /// The double submit: the form's one `csrf_token` equals the CSRF cookie set with the page.
    func csrfHolds(_ fields: [(name: String, value: String)], _ request: Request) -> Bool {
        let presented = fields.filter { $0.name == "csrf_token" }
        guard presented.count == 1, let expected = request.cookies[options.browser.csrfCookieName]?.value
        else { return false }
        return SecretComparison.equal(presented[0].value, expected)
    }

    /// A fresh CSRF token for a page, and the `Set-Cookie` value that carries it.
    func newCSRF() -> (token: String, cookie: String) {
        let token = Base64URL.encode(SecureRandom.bytes(32))
        return (token, options.browser.csrfCookie(token))
    }
}
