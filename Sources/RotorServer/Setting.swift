public import Configuration

/// One configuration setting: a key read through swift-configuration, so that the `rotor serve` flag (kept in
/// an in-memory provider first) wins over the `ROTOR_*` environment variable.
public struct Setting: Sendable, Hashable {
    /// The key's components after `rotor`, e.g. `["access", "ttl"]`.
    public let components: [String]

    /// Creates a setting.
    public init(_ components: String...) {
        self.components = components
    }

    /// The configuration key, `rotor.access.ttl`.
    public var key: ConfigKey { ConfigKey(["rotor"] + components) }
    /// The absolute key, for an `InMemoryProvider`.
    public var absoluteKey: AbsoluteConfigKey { AbsoluteConfigKey(["rotor"] + components) }
    /// The environment variable, `ROTOR_ACCESS_TTL`.
    public var variable: String { (["ROTOR"] + components.map { $0.uppercased() }).joined(separator: "_") }
    /// The flag of `rotor serve`, `--access-ttl`.
    public var flag: String { "--" + components.joined(separator: "-") }

    /// Whether the value is a secret (never logged, never echoed in an error).
    public var isSecret: Bool { self == .masterKey || self == .introspectionSecret || self == .databaseURL }

    /// An error about this setting.
    func error(_ problem: String) -> ConfigurationError {
        ConfigurationError(variable: variable, flag: flag, problem: problem)
    }

    /// `ROTOR_DATABASE_URL`.
    public static let databaseURL = Setting("database", "url")
    /// `ROTOR_HOST`.
    public static let host = Setting("host")
    /// `ROTOR_PORT`.
    public static let port = Setting("port")
    /// `ROTOR_ISSUER`.
    public static let issuer = Setting("issuer")
    /// `ROTOR_AUDIENCE`.
    public static let audience = Setting("audience")
    /// `ROTOR_SIGNING_ALG`.
    public static let signingAlg = Setting("signing", "alg")
    /// `ROTOR_ACCESS_TTL`.
    public static let accessTTL = Setting("access", "ttl")
    /// `ROTOR_REFRESH_TTL`.
    public static let refreshTTL = Setting("refresh", "ttl")
    /// `ROTOR_SESSION_MAX_AGE`.
    public static let sessionMaxAge = Setting("session", "max", "age")
    /// `ROTOR_REUSE_GRACE`.
    public static let reuseGrace = Setting("reuse", "grace")
    /// `ROTOR_ALLOW_SIGNUP`.
    public static let allowSignup = Setting("allow", "signup")
    /// `ROTOR_LOG_LEVEL`.
    public static let logLevel = Setting("log", "level")
    /// `ROTOR_COOKIE_SECURE`.
    public static let cookieSecure = Setting("cookie", "secure")
    /// `ROTOR_ALLOWED_ORIGINS`.
    public static let allowedOrigins = Setting("allowed", "origins")
    /// `ROTOR_MAX_SESSIONS_PER_USER`.
    public static let maxSessionsPerUser = Setting("max", "sessions", "per", "user")
    /// `ROTOR_TRUSTED_PROXIES`.
    public static let trustedProxies = Setting("trusted", "proxies")
    /// `ROTOR_MASTER_KEY` (a secret: never echoed).
    public static let masterKey = Setting("master", "key")
    /// `ROTOR_INTROSPECTION_SECRET` (a secret: never echoed).
    public static let introspectionSecret = Setting("introspection", "secret")
    /// `ROTOR_PRUNE_INTERVAL`.
    public static let pruneInterval = Setting("prune", "interval")

    /// Every setting `rotor serve` reads, in the order `--help` lists them.
    public static let all: [Setting] = [
        databaseURL, host, port, issuer, audience, signingAlg, accessTTL, refreshTTL, sessionMaxAge, reuseGrace,
        allowSignup, cookieSecure, allowedOrigins, maxSessionsPerUser, trustedProxies, masterKey, introspectionSecret,
        pruneInterval, logLevel,
    ]
}
