/// The limit on failed client authentications at the token endpoint: per client id and per IP, in a sliding
/// minute, counted with the login limits' store.
///
/// Decision: only failures are counted and judged, after the secret was compared. A client that presents its
/// right secret is never refused, so nobody who merely knows a client id can lock a service out (the lockout a
/// per-client limit invites); and a secret of 256 random bits cannot be guessed, so what the limit stops is
/// hammering, which it answers with `429` and `Retry-After` once a key is full. The success path costs nothing.
public enum ClientAuthThrottle {
    /// Failures allowed per key in a minute.
    public static let limit = 20
    /// The window.
    public static let window: Double = 60

    static func rules(clientId: String, ip: String?) -> [ThrottleRule] {
        var rules = [ThrottleRule(key: "client:\(clientId)", window: window, limit: limit)]
        if let ip { rules.append(ThrottleRule(key: "client-ip:\(ip)", window: window, limit: limit)) }
        return rules
    }
}
