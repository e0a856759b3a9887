import Foundation

/// Browser mode (docs/protocol.md): the refresh cookie's attributes and the origins allowed to use it.
public struct BrowserPolicy: Sendable, Equatable {
    /// The refresh cookie's name over plain http (`ROTOR_COOKIE_SECURE=false`, local development only).
    public static let plainCookieName = "rotor_refresh"
    /// The refresh cookie's name over https: the `__Host-` prefix makes browsers refuse it unless it is `Secure`,
    /// has no `Domain` and has `Path=/`, so a sibling subdomain (or a plain-http page) cannot plant or overwrite it
    /// ("cookie tossing").
    public static let hostCookieName = "__Host-rotor_refresh"

    /// The refresh cookie's name: the `__Host-` one whenever the cookie is `Secure`.
    public var cookieName: String { cookieSecure ? Self.hostCookieName : Self.plainCookieName }
    /// Its path: `/` as the prefix requires (SameSite=Strict and HttpOnly still hold it to Rotor's own requests);
    /// over plain http, only the refresh and logout routes.
    public var cookiePath: String { cookieSecure ? "/" : "/v1/auth" }

    /// `ROTOR_COOKIE_SECURE`: `Secure` on the cookie (drop it only for plain-http local development).
    public var cookieSecure: Bool
    /// The issuer's origin plus `ROTOR_ALLOWED_ORIGINS`: who may send cookie-authenticated requests, and who gets
    /// CORS answers with credentials.
    public var allowedOrigins: Set<String>

    /// Creates a policy.
    /// - Parameters:
    ///   - issuer: `ROTOR_ISSUER`; its origin is always allowed.
    ///   - allowedOrigins: `ROTOR_ALLOWED_ORIGINS`, already parsed.
    ///   - cookieSecure: `ROTOR_COOKIE_SECURE`.
    public init(issuer: String, allowedOrigins: [String] = [], cookieSecure: Bool = true) {
        var origins = Set(allowedOrigins.compactMap(Self.origin(of:)))
        if let own = Self.origin(of: issuer) { origins.insert(own) }
        self.allowedOrigins = origins
        self.cookieSecure = cookieSecure
    }

    /// The origin (`scheme://host[:port]`, lower-cased, default port dropped) of a URL, or nil if it has none.
    public static func origin(of text: String) -> String? {
        guard let url = URL(string: text.trimmingCharacters(in: .whitespaces)), let scheme = url.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = url.host?.lowercased(), !host.isEmpty
        else { return nil }
        let defaultPort = scheme == "https" ? 443 : 80
        let port = url.port.map { $0 == defaultPort ? "" : ":\($0)" } ?? ""
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme)://\(bracketed)\(port)"
    }

    /// Whether an `Origin` header value is allowed.
    public func allows(_ origin: String?) -> Bool {
        guard let origin, origin != "null", let normalized = Self.origin(of: origin) else { return false }
        return allowedOrigins.contains(normalized)
    }

    /// The `Set-Cookie` value that hands a refresh token to a browser.
    func setCookie(token: String, maxAge: Int) -> String {
        "\(cookieName)=\(token); Max-Age=\(max(0, maxAge)); Path=\(cookiePath); HttpOnly; SameSite=Strict"
            + (cookieSecure ? "; Secure" : "")
    }

    /// The `Set-Cookie` value that removes the refresh cookie.
    var clearCookie: String {
        "\(cookieName)=; Max-Age=0; Path=\(cookiePath); HttpOnly; SameSite=Strict" + (cookieSecure ? "; Secure" : "")
    }

    /// The SSO session's cookie: `__Host-rotor_sso` whenever cookies are `Secure`.
    public var ssoCookieName: String { cookieSecure ? "__Host-rotor_sso" : "rotor_sso" }
    /// The sign-in form's CSRF cookie, paired with the form's hidden field (double submit).
    public var csrfCookieName: String { cookieSecure ? "__Host-rotor_csrf" : "rotor_csrf" }

    /// The `Set-Cookie` value of an SSO session: `SameSite=Lax`, so that the top-level navigation from an app to
    /// `/oauth/authorize` carries it (that is single sign-on), while no other site's subrequest does.
    func ssoCookie(_ value: String, maxAge: Int) -> String {
        "\(ssoCookieName)=\(value); Max-Age=\(max(0, maxAge)); Path=/; HttpOnly; SameSite=Lax"
            + (cookieSecure ? "; Secure" : "")
    }

    /// The `Set-Cookie` value of the sign-in form's CSRF token: `SameSite=Strict`, only the form's own post sends it.
    func csrfCookie(_ value: String) -> String {
        "\(csrfCookieName)=\(value); Max-Age=3600; Path=/; HttpOnly; SameSite=Strict" + (cookieSecure ? "; Secure" : "")
    }

    /// The `Set-Cookie` value that removes the SSO cookie (after a logout).
    var clearSSOCookie: String { ssoCookie("", maxAge: 0) }
}
