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
}
