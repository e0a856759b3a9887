import Hummingbird
import HummingbirdCore
import HummingbirdTesting
import NIOCore
import NIOEmbedded
import NIOPosix
import RotorServer
import RotorTestSupport
import Testing

/// docs/benchmarks.md (*Machines*): `rotor serve` holds each flush to the end of its loop's pass; these hold the
/// handler to sending everything it holds, and to sending it before a close.
@Suite("Flushes consolidated per pass of the loop")
struct FlushConsolidationTests {
    static func channel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(FlushConsolidationHandler())
        return channel
    }

    @Test("Flushes wait for the loop's queued work, and many flushes make one")
    func heldToThePass() throws {
        let channel = try Self.channel()
        channel.write(ByteBuffer(string: "one "), promise: nil)
        channel.flush()
        channel.write(ByteBuffer(string: "two"), promise: nil)
        channel.flush()
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        channel.embeddedEventLoop.run()
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "one "))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "two"))
        #expect(try channel.finish().isClean)
    }

    /// On a real socket, a close fails the writes not yet flushed; a server that writes, flushes and closes at once
    /// must still get its bytes out.
    final class WriteFlushClose: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        func channelActive(context: ChannelHandlerContext) {
            context.write(wrapOutboundOut(ByteBuffer(string: "last response")), promise: nil)
            context.flush()
            context.close(promise: nil)
        }
    }

    @Test("A close sends what is held first, so a last response is not dropped with the pending writes")
    func closeFlushesFirst() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(FlushConsolidationHandler())
                    try channel.pipeline.syncOperations.addHandler(WriteFlushClose())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        let port = try #require(server.localAddress?.port)
        for _ in 0..<4 {
            #expect(try await RawSocket.readUntilClosed(port: port, sending: nil).received == "last response")
        }
    }

    @Test("Over loopback, a large body sent before `Connection: close` arrives whole")
    func connectionClose() async throws {
        let body = String(repeating: "0123456789abcdef", count: 16_384)  // 256 KiB: past the write watermark
        let router = Router()
        router.get("big") { _, _ in body }
        let app = Application(
            router: router,
            server: .http1OnEventLoops(),
            configuration: .init(address: .hostname("127.0.0.1", port: 0))
        )
        try await app.test(.live) { client in
            let port = try #require(client.port)
            for _ in 0..<4 {
                let received = try await RawSocket.readUntilClosed(
                    port: port,
                    sending: "GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                ).received
                #expect(received.hasPrefix("HTTP/1.1 200"))
                #expect(received.hasSuffix(body))
            }
        }
    }
}
