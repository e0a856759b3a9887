import Foundation

/// A parsed `postgres://user:password@host:port/database?sslmode=…` URL (`ROTOR_DATABASE_URL`).
///
/// The password is a secret: ``description`` and every error leave it out.
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    /// How the connection is protected, named as libpq names it.
    public enum TLSMode: String, Sendable, Equatable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, plain TCP otherwise (libpq's default).
        case prefer
        /// TLS or no connection, without checking the server's certificate.
        case require
        /// TLS with the server's certificate checked against the trusted roots, but not its host name.
        case verifyCA = "verify-ca"
        /// TLS with the certificate and the host name checked.
        case verifyFull = "verify-full"
    }

    /// The server's host name or address.
    public var host: String
    /// The server's port.
    public var port: Int
    /// The role to log in as.
    public var username: String
    /// The role's password (a secret), if any.
    public var password: String?
    /// The database.
    public var database: String
    /// `sslmode`.
    public var tls: TLSMode

    /// Whether the connection goes over a network without a verified certificate: `sslmode` below `verify-ca` to a
    /// host that is not this machine (loopback addresses and Unix sockets need no verification).
    public var connectionIsUnverified: Bool {
        guard tls != .verifyCA && tls != .verifyFull else { return false }
        let name = host.lowercased()
        let loopback =
            name == "localhost" || name.hasPrefix("127.") || name == "::1" || name == "[::1]"
            || name.hasPrefix("/")
        return !loopback
    }
    /// `sslrootcert`: a PEM file of trusted roots for `verify-ca` and `verify-full` (default: the system's).
    public var rootCertificatePath: String?

    /// Parses a URL.
    /// - Parameter text: `postgres://` or `postgresql://` URL.
    /// - Throws: ``PostgresURLError`` naming what is wrong, never quoting the password.
    public init(_ text: String) throws(PostgresURLError) {
        guard text.hasPrefix("postgres://") || text.hasPrefix("postgresql://"),
            let components = URLComponents(string: text)
        else { throw PostgresURLError("expected postgres://USER:PASSWORD@HOST:PORT/DATABASE") }
        guard let host = components.host, !host.isEmpty else { throw PostgresURLError("the URL has no host") }
        guard let user = components.user, !user.isEmpty else { throw PostgresURLError("the URL has no user name") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw PostgresURLError("the URL has no database name (…/DATABASE)")
        }
        if let port = components.port, !(1...65_535).contains(port) {
            throw PostgresURLError("the port must be between 1 and 65535")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.username = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.removingPercentEncoding ?? database
        self.tls = .prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                    let modes = TLSMode.allCases.map(\.rawValue).joined(separator: ", ")
                    throw PostgresURLError("sslmode must be one of \(modes)")
                }
                tls = mode
            case "sslrootcert":
                rootCertificatePath = item.value
            default:
                throw PostgresURLError("unknown URL parameter '\(item.name)' (known: sslmode, sslrootcert)")
            }
        }
    }

    /// The URL without its password.
    public var description: String {
        "postgres://\(username)\(password == nil ? "" : ":<redacted>")@\(host):\(port)/\(database)?sslmode=\(tls.rawValue)"
    }
}

/// Why a PostgreSQL URL cannot be used; the text never contains the password.
public struct PostgresURLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, in words.
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
