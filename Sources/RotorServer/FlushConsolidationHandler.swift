public import NIOCore

/// Holds a connection's flush until its event loop has run the work already queued on it, so that the responses one
/// pass of a loop finishes leave together; Netty's `FlushConsolidationHandler` does the same for flushes made while
/// reading.
///
/// With every connection handled on its own loop (``EventLoopBoundHTTP1Channel``), one pass of a busy loop finishes
/// the requests of many connections. Flushed one by one, each response wakes its client on its own, and on a loaded
/// machine each wake-up is a context switch that the server's threads pay for too. Held to the end of the pass, they go
/// out in one burst: 1.04–1.15× the `client_credentials` grants per second, A/B on one machine
/// (docs/benchmarks.md, *Machines*). A response waits at most for the work queued ahead of it on its loop, which is
/// bounded by what the loop already holds, never by a timer.
///
/// A close flushes first, so that a response written just before `Connection: close` or a half-closure is sent, not
/// dropped with the channel's pending writes.
public final class FlushConsolidationHandler: ChannelOutboundHandler, RemovableChannelHandler {
    /// Outbound parts pass through untouched: only flushes are held.
    public typealias OutboundIn = NIOAny

    /// Whether a flush is scheduled on the loop and not yet run.
    private var flushScheduled = false

    /// A handler for one channel (it keeps that channel's state).
    public init() {}

    /// Schedules one flush behind the loop's queued work, however many flushes arrive before it runs.
    public func flush(context: ChannelHandlerContext) {
        guard !flushScheduled else { return }
        flushScheduled = true
        context.eventLoop.assumeIsolated().execute {
            guard self.flushScheduled else { return }
            self.flushScheduled = false
            context.flush()
        }
    }

    /// Flushes what is held before the close goes on.
    public func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if flushScheduled {
            flushScheduled = false
            context.flush()
        }
        context.close(mode: mode, promise: promise)
    }
}
