public import Foundation
import NIOCore
import NIOPosix

/// A bare TCP client for what an HTTP client hides: exactly the bytes sent, and when the server closes.
public enum RawSocket {
    /// What the server sent and how long it kept the connection open.
    public struct Exchange: Sendable {
        /// Everything received, as text.
        public let received: String
        /// From connecting until the server closed the connection.
        public let openFor: Duration
    }

    /// Why a connection did not end in time.
    public struct StillOpen: Error, CustomStringConvertible {
        /// The limit that passed.
        public let after: Duration
        public var description: String { "the server kept the connection open past \(after)" }
    }

    /// Connects to 127.0.0.1:`port`, sends `bytes` (if any), and reads until the server closes the connection.
    /// - Parameters:
    ///   - port: The server's port.
    ///   - bytes: What to send first; nil sends nothing.
    ///   - limit: How long to wait for the close.
    /// - Throws: ``StillOpen`` when the server has not closed within `limit`; socket errors.
    public static func readUntilClosed(
        port: Int,
        sending bytes: String?,
        within limit: Duration = .seconds(30)
    ) async throws -> Exchange {
        let clock = ContinuousClock()
        let start = clock.now
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    // Sent by the loop the moment the connection is up: from a task, on a loaded machine, the bytes
                    // could come after a short idle timeout had closed the connection.
                    if let bytes { try channel.pipeline.syncOperations.addHandler(SendOnConnect(bytes)) }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let closer = channel.channel
        return try await withThrowingTaskGroup(of: Exchange?.self) { group in
            group.addTask {
                try await channel.executeThenClose { inbound, _ in
                    var received = ByteBuffer()
                    for try await part in inbound {
                        received.writeImmutableBuffer(part)
                    }
                    return Exchange(received: String(buffer: received), openFor: clock.now - start)
                }
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            guard let first else {
                try? await closer.close()
                throw StillOpen(after: limit)
            }
            return first
        }
    }
}

/// Writes its bytes as soon as the connection is active, on the connection's own loop.
private final class SendOnConnect: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let bytes: String

    init(_ bytes: String) {
        self.bytes = bytes
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: bytes)), promise: nil)
        context.fireChannelActive()
    }
}
