public import HummingbirdCore
public import Logging
public import NIOCore

/// Hummingbird's HTTP/1.1 child channel, with each connection's requests handled on the event loop of its socket.
///
/// Hummingbird runs a connection's handling as a task on Swift's concurrency pool: every request then crosses from
/// the loop that read it to a pool thread and back to the loop to be written, two thread wake-ups for ~50 µs of
/// work. Pinned to its loop, the connection reads, answers and writes on one thread: 1.07–1.33× the
/// `client_credentials` grants per second, A/B on one machine (docs/benchmarks.md, *Machines*). The rule it brings
/// (docs/architecture.md): blocking work never runs on a request's task — scrypt goes to Dispatch, SQLite to GRDB's
/// queues, PostgreSQL to its own connections.
public struct EventLoopBoundHTTP1Channel: ServerChildChannel {
    /// The NIO async channel of HTTP parts, as Hummingbird's.
    public typealias Value = HTTP1Channel.Value

    private let base: HTTP1Channel

    /// Wraps Hummingbird's HTTP/1.1 channel.
    public init(_ base: HTTP1Channel) {
        self.base = base
    }

    /// Sets the pipeline up as Hummingbird does.
    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger)
    }

    /// Handles the connection's requests on its own event loop.
    public func handle(value: Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(value.channel.eventLoop)) {
            await base.handle(value: value, logger: logger)
        }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with every connection handled on its socket's event loop (``EventLoopBoundHTTP1Channel``) and its
    /// flushes consolidated per pass of the loop (``FlushConsolidationHandler``), after `configuration`'s handlers.
    public static func http1OnEventLoops(configuration: HTTP1Channel.Configuration = .init()) -> HTTPServerBuilder {
        var configuration = configuration
        let additional = configuration.additionalChannelHandlers
        configuration.additionalChannelHandlers = { additional() + [FlushConsolidationHandler()] }
        return .init { [configuration] responder in
            EventLoopBoundHTTP1Channel(HTTP1Channel(responder: responder, configuration: configuration))
        }
    }
}
