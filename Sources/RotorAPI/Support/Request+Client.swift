import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RotorCore
import RotorJWT

extension Request {
    /// The client facts Rotor records: the socket peer's IP (`X-Forwarded-For` only from a trusted proxy) and
    /// the user agent, bounded in length.
    func clientInfo(context: AppRequestContext, proxies: TrustedProxies) -> ClientInfo {
        ClientInfo(
            ip: proxies.clientAddress(
                peer: context.remoteAddress?.ipAddress,
                forwardedFor: headers[forwardedForHeader]
            ),
            userAgent: headers[.userAgent].map { String($0.prefix(512)) }
        )
    }

    /// The bearer token of `Authorization`, if the scheme is `Bearer` (case-insensitive).
    var bearerToken: String? {
        guard let value = headers.value(.authorization) else { return nil }
        return AuthorizationCredential.credential(value, scheme: "bearer")
    }
}

/// `X-Forwarded-For`, believed only from ``TrustedProxies``.
let forwardedForHeader = HTTPField.Name("X-Forwarded-For")!

/// `X-Request-Id`: the id of a request in Rotor's logs, returned on every answer.
let requestIdHeader = HTTPField.Name("X-Request-Id")!
