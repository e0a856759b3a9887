import ArgumentParser
import Configuration
import RotorServer

/// The flags of `rotor serve`, one per setting. They are optional and carry no default, so that an unset flag
/// lets the environment variable (then the built-in default) apply.
struct SettingOptions: ParsableArguments {
    @Option(help: "Database URL (ROTOR_DATABASE_URL). Default: sqlite://rotor.sqlite (a file here).")
    var databaseUrl: String?
    @Option(help: "Address to listen on (ROTOR_HOST). Default: 127.0.0.1.")
    var host: String?
    @Option(help: "Port to listen on, 0 for any free port (ROTOR_PORT). Default: 8080.")
    var port: String?
    @Option(help: "Public base URL, the `iss` of tokens (ROTOR_ISSUER). Default: http://HOST:PORT.")
    var issuer: String?
    @Option(help: "The `aud` of access tokens (ROTOR_AUDIENCE). Default: the issuer.")
    var audience: String?
    @Option(help: "Signing algorithm for new keys: ES256, EdDSA or RS256 (ROTOR_SIGNING_ALG). Default: ES256.")
    var signingAlg: String?
    @Option(help: "Access-token lifetime in seconds (ROTOR_ACCESS_TTL). Default: 900.")
    var accessTtl: String?
    @Option(
        help: "Refresh-token idle lifetime in seconds, restarted by each refresh (ROTOR_REFRESH_TTL). Default: 2592000."
    )
    var refreshTtl: String?
    @Option(help: "Absolute session lifetime in seconds, never extended (ROTOR_SESSION_MAX_AGE). Default: 7776000.")
    var sessionMaxAge: String?
    @Option(
        help: "Seconds during which a used refresh token returns its same child again (ROTOR_REUSE_GRACE). Default: 10."
    )
    var reuseGrace: String?
    @Option(help: "Whether POST /v1/users is open (ROTOR_ALLOW_SIGNUP). Default: true.")
    var allowSignup: String?
    @Option(
        help:
            "Secure attribute on the refresh cookie; false only for plain-http development (ROTOR_COOKIE_SECURE). Default: true."
    )
    var cookieSecure: String?
    @Option(
        help:
            "Origins besides the issuer's that may use the refresh cookie and get CORS answers, comma-separated (ROTOR_ALLOWED_ORIGINS). Default: none."
    )
    var allowedOrigins: String?
    @Option(
        help:
            "Live sessions per user; a login beyond ends the least recently used (ROTOR_MAX_SESSIONS_PER_USER). Default: 100."
    )
    var maxSessionsPerUser: String?
    @Option(
        help:
            "Proxies whose X-Forwarded-For is believed: addresses or IPv4 CIDR blocks, comma-separated (ROTOR_TRUSTED_PROXIES). Default: none."
    )
    var trustedProxies: String?
    @Option(
        help:
            "32 random bytes in base64 that seal the signing keys at rest (ROTOR_MASTER_KEY). Default: unset. Prefer the variable: flags show in process lists."
    )
    var masterKey: String?
    @Option(
        help:
            "Bearer secret that opens /oauth/introspect, 16+ characters (ROTOR_INTROSPECTION_SECRET). Default: unset (closed). Prefer the variable: flags show in process lists."
    )
    var introspectionSecret: String?
    @Option(help: "Seconds between two prunes inside serve, 0 for none (ROTOR_PRUNE_INTERVAL). Default: 3600.")
    var pruneInterval: String?
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (ROTOR_LOG_LEVEL). Default: info.")
    var logLevel: String?

    /// The flags given, keyed like the environment variables they override.
    var values: [Setting: String] {
        let pairs: [(Setting, String?)] = [
            (.databaseURL, databaseUrl), (.host, host), (.port, port), (.issuer, issuer), (.audience, audience),
            (.signingAlg, signingAlg), (.accessTTL, accessTtl), (.refreshTTL, refreshTtl),
            (.sessionMaxAge, sessionMaxAge), (.reuseGrace, reuseGrace), (.allowSignup, allowSignup),
            (.cookieSecure, cookieSecure), (.allowedOrigins, allowedOrigins),
            (.maxSessionsPerUser, maxSessionsPerUser), (.trustedProxies, trustedProxies),
            (.masterKey, masterKey), (.introspectionSecret, introspectionSecret),
            (.pruneInterval, pruneInterval), (.logLevel, logLevel),
        ]
        return Dictionary(uniqueKeysWithValues: pairs.compactMap { setting, value in value.map { (setting, $0) } })
    }

    /// A reader with the flags first and the environment second.
    var reader: ConfigReader {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for (setting, value) in self.values {
            values[setting.absoluteKey] = ConfigValue(.string(value), isSecret: setting.isSecret)
        }
        return ConfigReader(providers: [
            InMemoryProvider(name: "flags", values: values),
            EnvironmentVariablesProvider(
                secretsSpecifier: .specific(Set(Setting.all.filter(\.isSecret).map(\.variable)))
            ),
        ])
    }

    /// The checked configuration; a bad setting prints one line and exits with EX_CONFIG (78).
    func load() throws -> ServerConfiguration {
        do {
            return try ServerConfiguration(reader: reader)
        } catch {
            printError("rotor: \(error)")
            throw ExitCode(78)
        }
    }
}
