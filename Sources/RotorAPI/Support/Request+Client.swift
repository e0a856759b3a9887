import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RotorCore

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
        guard let value = headers[.authorization] else { return nil }
        return Self.credential(value, scheme: "bearer")
    }

    /// The credential after `scheme` (matched case-insensitively) and spaces or tabs, with trailing spaces and
    /// tabs removed; nil when the scheme differs or nothing follows it. Works on bytes: it runs on every
    /// authenticated request.
    static func credential(_ value: String, scheme: String) -> String? {
        let bytes = Array(value.utf8)
        let name = Array(scheme.utf8)
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var start = 0
        while start < bytes.count, isBlank(bytes[start]) { start += 1 }
        guard bytes.count - start > name.count else { return nil }
        for (offset, expected) in name.enumerated() {
            let byte = bytes[start + offset]
            // ASCII lower-casing: the scheme is plain letters.
            guard (byte >= 65 && byte <= 90 ? byte + 32 : byte) == expected else { return nil }
        }
        var from = start + name.count
        guard isBlank(bytes[from]) else { return nil }
        while from < bytes.count, isBlank(bytes[from]) { from += 1 }
        var end = bytes.count
        while end > from, isBlank(bytes[end - 1]) { end -= 1 }
        guard end > from else { return nil }
        return String(decoding: bytes[from..<end], as: UTF8.self)
    }
}

/// `X-Forwarded-For`, believed only from ``TrustedProxies``.
let forwardedForHeader = HTTPField.Name("X-Forwarded-For")!

/// `X-Request-Id`: the id of a request in Rotor's logs, returned on every answer.
let requestIdHeader = HTTPField.Name("X-Request-Id")!
