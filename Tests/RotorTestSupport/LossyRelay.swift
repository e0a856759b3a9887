import AsyncHTTPClient
import NIOCore
public import NIOHTTP1
import NIOPosix

/// An HTTP relay on loopback in front of a real server that can lose the answers it is told to, the way a mobile
/// network does: the request always reaches the server and is answered there, then the relay drops the answer.
///
/// It speaks HTTP/1.1 to the client (keep-alive included) and forwards each request with AsyncHTTPClient.
public enum LossyRelay {
    /// What happens to one answer.
    public enum Fate: Sendable {
        /// Passed on whole.
        case deliver
        /// The head and half the body are sent, then the connection is closed: the client sees a transfer cut short.
        case cut
        /// Nothing is sent and the connection is held open until the client gives up on it.
        case stall
        /// The server's answer is replaced by a gateway error (`502 Bad Gateway`), as a proxy that lost its
        /// upstream connection after the server had answered sends.
        case badGateway
    }

    /// Runs `body` with the relay listening on loopback in front of `upstream`.
    /// - Parameters:
    ///   - upstream: The server's base URL, such as `http://127.0.0.1:8080`.
    ///   - port: The relay's port (0: any free one), for a server whose public URL is the relay's.
    ///   - fate: Decides, per request, what becomes of its answer. Called once per request, in arrival order.
    ///   - body: Gets the relay's base URL.
    public static func run<T: Sendable>(
        upstream: String,
        port: Int = 0,
        fate: @escaping @Sendable (HTTPRequestHead) -> Fate,
        _ body: @Sendable (String) async throws -> T
    ) async throws -> T {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: channel
                    )
                }
            }
        guard let bound = server.channel.localAddress?.port else { throw ChannelError.unknownLocalAddress }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await withThrowingDiscardingTaskGroup { connections in
                    try await server.executeThenClose { inbound in
                        for try await connection in inbound {
                            connections.addTask { try? await relay(connection, to: upstream, fate: fate) }
                        }
                    }
                }
            }
            defer {
                group.cancelAll()
                server.channel.close(promise: nil)
            }
            return try await body("http://127.0.0.1:\(bound)")
        }
    }

    private static func relay(
        _ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>,
        to upstream: String,
        fate: @Sendable (HTTPRequestHead) -> Fate
    ) async throws {
        try await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body = ByteBuffer()
            var stalled = false
            for try await part in inbound {
                // A stalled connection answers nothing more; it ends when the client hangs up.
                if stalled { continue }
                switch part {
                case .head(let requestHead):
                    head = requestHead
                    body.clear()
                case .body(var chunk):
                    body.writeBuffer(&chunk)
                case .end:
                    guard let requestHead = head else { return }
                    let answer = try await forward(requestHead, body: body, to: upstream)
                    var answerBody = try await answer.body.collect(upTo: 1 << 20)
                    var headers = answer.headers
                    for name in ["Transfer-Encoding", "Content-Length", "Connection"] { headers.remove(name: name) }
                    headers.add(name: "Content-Length", value: String(answerBody.readableBytes))
                    let responseHead = HTTPResponseHead(version: .http1_1, status: answer.status, headers: headers)
                    switch fate(requestHead) {
                    case .deliver:
                        try await outbound.write(contentsOf: [
                            .head(responseHead), .body(.byteBuffer(answerBody)), .end(nil),
                        ])
                    case .cut:
                        let half = answerBody.readSlice(length: answerBody.readableBytes / 2) ?? ByteBuffer()
                        try await outbound.write(contentsOf: [.head(responseHead), .body(.byteBuffer(half))])
                        return
                    case .stall:
                        stalled = true
                    case .badGateway:
                        let text = ByteBuffer(string: "<html><body>502 Bad Gateway</body></html>")
                        let gateway = HTTPResponseHead(
                            version: .http1_1,
                            status: .badGateway,
                            headers: ["Content-Type": "text/html", "Content-Length": String(text.readableBytes)]
                        )
                        try await outbound.write(contentsOf: [.head(gateway), .body(.byteBuffer(text)), .end(nil)])
                    }
                }
            }
        }
    }

    private static func forward(
        _ head: HTTPRequestHead,
        body: ByteBuffer,
        to upstream: String
    ) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: upstream + head.uri)
        request.method = head.method
        request.headers = head.headers
        for name in ["Host", "Connection", "Content-Length", "Transfer-Encoding"] { request.headers.remove(name: name) }
        request.body = .bytes(body)
        return try await HTTPClient.shared.execute(request, timeout: .seconds(30))
    }
}
