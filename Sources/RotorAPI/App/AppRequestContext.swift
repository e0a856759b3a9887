public import Hummingbird
public import HummingbirdAuth
public import NIOCore
public import RotorCore

/// The per-request context of Rotor's router: request bodies are capped at 64 KiB (docs/protocol.md), the peer's
/// address is kept for sessions and audit events, and the verified caller is set by ``AccessTokenAuthenticator``.
public struct AppRequestContext: AuthRequestContext, RequestContext, RemoteAddressRequestContext {
    /// The largest request body accepted; exactly this many bytes is allowed, one more is 413.
    public static let maxBodyBytes = 64 * 1024

    /// Hummingbird's storage.
    public var coreContext: CoreRequestContextStorage
    /// The connected peer (never taken from `X-Forwarded-For`).
    public let remoteAddress: SocketAddress?
    /// The caller of a protected route, once its access token is verified.
    public var identity: Principal?

    /// Creates the context for a request arriving on a channel.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
        self.identity = nil
    }

    /// 64 KiB.
    public var maxUploadSize: Int { Self.maxBodyBytes }
}
