public import Configuration
import Foundation
public import Logging
public import RotorAPI
public import RotorCore

/// Everything `rotor serve` is configured with, read and checked in one place (docs/operations.md).
public struct ServerConfiguration: Sendable {
    /// `ROTOR_DATABASE_URL`, default `sqlite://rotor.sqlite`.
    public var database: DatabaseLocation
    /// `ROTOR_HOST`, default `127.0.0.1`.
    public var host: String
    /// `ROTOR_PORT`, default 8080 (0 picks a free port).
    public var port: Int
    /// Token settings: `ROTOR_ISSUER`, `ROTOR_AUDIENCE`, `ROTOR_ACCESS_TTL`, `ROTOR_REFRESH_TTL`,
    /// `ROTOR_SESSION_MAX_AGE`, `ROTOR_REUSE_GRACE`.
    public var engine: EngineConfiguration
    /// `ROTOR_SIGNING_ALG`, default `ES256`.
    public var signingAlgorithm: SigningAlgorithm
    /// `ROTOR_ALLOW_SIGNUP`, default true.
    public var allowSignup: Bool
    /// `ROTOR_COOKIE_SECURE`, default true: `Secure` on the refresh cookie.
    public var cookieSecure: Bool = true
    /// `ROTOR_ALLOWED_ORIGINS`: origins besides the issuer's that may use the refresh cookie and get CORS answers.
    public var allowedOrigins: [String] = []
    /// `ROTOR_LOG_LEVEL`, default `info`.
    public var logLevel: Logger.Level
    /// `ROTOR_TRUSTED_PROXIES`, default none: the client IP is the socket peer.
    public var trustedProxies: TrustedProxies
    /// `ROTOR_MASTER_KEY`: seals the signing keys at rest (32 random bytes, base64); unset keeps them plain.
    public var masterKey: MasterKey?
    /// How often `serve` re-reads the signing keys, so that a rotation made elsewhere takes effect (seconds).
    public var keyRefreshInterval: Int = 10
    /// How often the back-channel logout outbox is looked at when it was empty, in milliseconds.
    public var backchannelPollMilliseconds: Int = 500
    /// `ROTOR_INTROSPECTION_SECRET`: the bearer secret of `/oauth/introspect`; unset keeps introspection closed.
    public var introspectionSecret: String?
    /// `ROTOR_PRUNE_INTERVAL`: seconds between two prunes inside `serve` (default 3600; 0 turns it off).
    public var pruneInterval: Int
    /// Browser mode as the API applies it.
    public var browserPolicy: BrowserPolicy {
        BrowserPolicy(issuer: engine.issuer, allowedOrigins: allowedOrigins, cookieSecure: cookieSecure)
    }

    /// The signing-key settings the engine's key ring gets.
    public var keyRingSettings: KeyRingSettings {
        KeyRingSettings(
            algorithm: signingAlgorithm,
            masterKey: masterKey,
            publicationWindow: engine.keyPublicationWindow
        )
    }

    /// The password hashing cost. Not a setting: the OWASP level always; tests lower it to stay fast.
    public var scrypt: ScryptParameters = .owasp

    /// How many password checks may wait for a hashing slot before logins answer `503` (nil: 16 per core, a few
    /// seconds of work). Not a setting; tests lower it.
    public var hashQueueLimit: Int? = nil

    /// How many DPoP proof ids are remembered at once (each for two proof lifetimes, 120 s): about 100 bytes each,
    /// 10 MiB at the default 100,000. A flood beyond it gets `503` until places free; no proof is forgotten early.
    /// Not a setting; tests lower it.
    public var dpopReplayCapacity: Int = 100_000

    /// How long a connection may go without a request arriving before it is closed, in seconds: a keep-alive
    /// connection between requests, or one whose request head never completes (a slow-headers client). Not a
    /// setting: 75 s, nginx's `keepalive_timeout`, outlasts the 60 s for which client pools such as AsyncHTTPClient
    /// keep an idle connection, so a pool is not surprised by a close it would have made itself; tests lower it.
    /// Without it an idle connection was held forever, and enough of them use up the process's file descriptors.
    public var idleTimeoutSeconds: Int64 = 75

    /// How long a fetch of a client's `jwks_uri` may take, in seconds. Not a setting: 5 s keeps a slow key host
    /// from holding token requests; tests on a loaded machine allow more.
    public var clientJWKSFetchSeconds: Int64 = 5

    /// The defaults of docs/operations.md.
    public init() {
        self.database = .sqlite(path: "rotor.sqlite")
        self.host = "127.0.0.1"
        self.port = 8080
        self.engine = EngineConfiguration()
        self.signingAlgorithm = .es256
        self.allowSignup = true
        self.logLevel = .info
        self.trustedProxies = .none
        self.pruneInterval = 3_600
    }

    /// Reads and checks every setting.
    /// - Parameter reader: Flags first, then the environment.
    /// - Throws: ``ConfigurationError`` naming the first bad setting.
    public init(reader: ConfigReader) throws(ConfigurationError) {
        self.init()
        func text(_ setting: Setting) -> String? {
            reader.string(forKey: setting.key, isSecret: setting.isSecret).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
        }
        func seconds(
            _ setting: Setting,
            default value: TimeInterval,
            range: ClosedRange<Int>
        ) throws(ConfigurationError)
            -> TimeInterval
        {
            guard let raw = text(setting) else { return value }
            guard let number = Int(raw), range.contains(number) else {
                throw setting.error(
                    "expected whole seconds from \(range.lowerBound) to \(range.upperBound), got '\(raw)'"
                )
            }
            return TimeInterval(number)
        }

        if let raw = text(.databaseURL) {
            do {
                database = try DatabaseLocation.parse(raw)
            } catch {
                throw Setting.databaseURL.error(error.text)
            }
        }
        if let raw = text(.host) {
            guard !raw.isEmpty, !raw.contains(" ") else { throw Setting.host.error("expected a host name or address") }
            host = raw
        }
        if let raw = text(.port) {
            guard let number = Int(raw), (0...65535).contains(number) else {
                throw Setting.port.error("expected a port from 0 to 65535, got '\(raw)'")
            }
            port = number
        }
        var issuer = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        if let raw = text(.issuer) {
            guard let url = URL(string: raw), let scheme = url.scheme?.lowercased(),
                ["http", "https"].contains(scheme),
                url.host != nil, url.query == nil, url.fragment == nil
            else {
                throw Setting.issuer.error("expected an http(s) URL such as https://auth.example.com, got '\(raw)'")
            }
            issuer = raw.hasSuffix("/") ? String(raw.dropLast()) : raw
        }
        var audience = issuer
        if let raw = text(.audience) {
            guard !raw.isEmpty else { throw Setting.audience.error("must not be empty") }
            audience = raw
        }
        if let raw = text(.signingAlg) {
            let known = Dictionary(
                uniqueKeysWithValues: SigningAlgorithm.allCases.map { ($0.rawValue.lowercased(), $0) }
            )
            guard let algorithm = known[raw.lowercased()] else {
                let known = SigningAlgorithm.allCases.map(\.rawValue).joined(separator: ", ")
                throw Setting.signingAlg.error("expected one of \(known), got '\(raw)'")
            }
            signingAlgorithm = algorithm
        }
        let tenYears = 315_360_000
        let accessTTL = try seconds(.accessTTL, default: 900, range: 1...86_400)
        let refreshTTL = try seconds(.refreshTTL, default: 2_592_000, range: 60...tenYears)
        let maxAge = try seconds(.sessionMaxAge, default: 7_776_000, range: 60...tenYears)
        let grace = try seconds(.reuseGrace, default: 10, range: 0...3_600)
        var maxSessions = 100
        if let raw = text(.maxSessionsPerUser) {
            guard let number = Int(raw), (1...10_000).contains(number) else {
                throw Setting.maxSessionsPerUser.error("expected a number from 1 to 10000, got '\(raw)'")
            }
            maxSessions = number
        }
        engine = EngineConfiguration(
            issuer: issuer,
            audience: audience,
            accessTTL: accessTTL,
            refreshTTL: refreshTTL,
            sessionMaxAge: maxAge,
            reuseGrace: grace,
            maxSessionsPerUser: maxSessions
        )
        if let raw = text(.trustedProxies) {
            guard let proxies = TrustedProxies(list: raw) else {
                throw Setting.trustedProxies.error(
                    "expected comma-separated addresses or IPv4 CIDR blocks, got '\(raw)'"
                )
            }
            trustedProxies = proxies
        }
        if let raw = reader.string(forKey: Setting.masterKey.key, isSecret: true) {
            // Never quoted back: it is a secret.
            guard let key = MasterKey(raw) else {
                throw Setting.masterKey.error("expected 32 random bytes in base64, e.g. from `openssl rand -base64 32`")
            }
            masterKey = key
        }
        if let raw = reader.string(forKey: Setting.introspectionSecret.key, isSecret: true) {
            // The value is never quoted back: it is a secret.
            guard raw.utf8.count >= 16, raw.utf8.count <= 1024, !raw.contains(" ") else {
                throw Setting.introspectionSecret.error("expected 16 to 1024 characters without spaces")
            }
            introspectionSecret = raw
        }
        if let raw = text(.pruneInterval) {
            guard let number = Int(raw), (0...604_800).contains(number) else {
                throw Setting.pruneInterval.error("expected whole seconds from 0 to 604800, got '\(raw)'")
            }
            pruneInterval = number
        }
        func flag(_ setting: Setting, default value: Bool) throws(ConfigurationError) -> Bool {
            guard let raw = text(setting) else { return value }
            switch raw.lowercased() {
            case "true", "1", "yes", "on": return true
            case "false", "0", "no", "off": return false
            default: throw setting.error("expected true or false, got '\(raw)'")
            }
        }
        allowSignup = try flag(.allowSignup, default: true)
        cookieSecure = try flag(.cookieSecure, default: true)
        if let raw = text(.allowedOrigins) {
            for entry in raw.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty
            {
                guard let origin = BrowserPolicy.origin(of: entry), let url = URL(string: entry),
                    url.path.isEmpty || url.path == "/", url.query == nil
                else {
                    throw Setting.allowedOrigins.error(
                        "expected comma-separated origins such as https://app.example.com, got '\(entry)'"
                    )
                }
                allowedOrigins.append(origin)
            }
        }
        if let raw = text(.logLevel) {
            guard let level = Logger.Level(rawValue: raw.lowercased()) else {
                let known = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
                throw Setting.logLevel.error("expected one of \(known), got '\(raw)'")
            }
            logLevel = level
        }
    }
}
