import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import RotorCore

extension Request {
    /// The client facts Rotor records: the socket peer's IP (`X-Forwarded-For` only from a trusted proxy) and
    /// the user agent, bounded in length.
    func clientInfo(context: AppRequestContext, proxies: TrustedProxies) -> ClientInfo {
        ClientInfo(
            ip: proxies.clientAddress(peer: context.remoteAddress?.ipAddress, forwardedFor: headers[forwardedForHeader]),
            userAgent: headers[.userAgent].map { String($0.prefix(512)) }
        )
    }

    /// The bearer token of `Authorization`, if the scheme is `Bearer` (case-insensitive).
    var bearerToken: String? {
        guard let value = headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }
}

/// `X-Forwarded-For`, believed only from ``TrustedProxies``.
let forwardedForHeader = HTTPField.Name("X-Forwarded-For")!

/// `X-Request-Id`: the id of a request in Rotor's logs, returned on every answer.
let requestIdHeader = HTTPField.Name("X-Request-Id")!
