public import Foundation

/// The rules for every URI a client registers that Rotor sends a browser or a request to (redirect, post-logout,
/// back-channel logout, JWKS): `https`, or plain `http` on a loopback host for native apps and local development
/// (RFC 8252 §7.3); absolute, no fragment, no user info. Presented redirect URIs match a registered one exactly,
/// except that a loopback one matches on any port (a native app gets its port from the system when it starts).
public enum RedirectURI {
    /// The hosts a plain `http` URI may name.
    static let loopbackHosts: Set<String> = ["127.0.0.1", "::1", "[::1]", "localhost"]

    /// Why `uri` cannot be registered, or `nil` when it can.
    public static func problem(_ uri: String) -> String? {
        guard uri.utf8.count <= 2_000 else { return "is longer than 2000 characters" }
        guard uri.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            return "must be ASCII with no spaces"
        }
        guard let parts = URLComponents(string: uri), let scheme = parts.scheme, let host = parts.host, !host.isEmpty
        else { return "must be an absolute URI with a host" }
        guard parts.fragment == nil else { return "must not have a fragment" }
        guard parts.user == nil, parts.password == nil else { return "must not carry user info" }
        switch scheme {
        case "https": return nil
        case "http" where loopbackHosts.contains(host.lowercased()): return nil
        case "http": return "must be https (plain http only on 127.0.0.1, [::1] or localhost)"
        default: return "must be https (plain http only on 127.0.0.1, [::1] or localhost)"
        }
    }

    /// Whether a presented URI is one of the registered ones: exactly, or a loopback one on another port.
    public static func matches(_ presented: String, registered: [String]) -> Bool {
        registered.contains { matches(presented, registered: $0) }
    }

    static func matches(_ presented: String, registered: String) -> Bool {
        if presented == registered { return true }
        guard var wanted = URLComponents(string: registered), wanted.scheme == "http",
            let host = wanted.host, loopbackHosts.contains(host.lowercased()),
            var given = URLComponents(string: presented), given.scheme == "http", given.fragment == nil,
            given.user == nil, given.password == nil
        else { return false }
        wanted.port = nil
        given.port = nil
        return wanted.string == given.string
    }
}
