import Foundation
import RotorServer
import RotorTestSupport
import Testing

/// `rotor serve` closes a connection on which no request arrives within its idle timeout (75 s; 2 s here), so that
/// idle or stalled clients cannot hold connections, and file descriptors, forever.
@Suite("Idle connections are closed")
struct IdleConnectionTests {
    /// Runs `body` against a server with a 2 s idle timeout, given its port.
    static func withServer(_ body: @Sendable (Int) async throws -> Void) async throws {
        try await InProcessServer.run(configure: { $0.idleTimeoutSeconds = 2 }) { http, _ in
            let port = try #require(URL(string: http.baseURL)?.port)
            try await body(port)
        }
    }

    @Test("The production setting is nginx's 75 s, longer than the 60 s a client pool keeps an idle connection")
    func productionDefault() {
        #expect(ServerConfiguration().idleTimeoutSeconds == 75)
    }

    @Test("A connection that never sends a request is closed after the idle timeout, not before")
    func silentConnection() async throws {
        try await Self.withServer { port in
            let exchange = try await RawSocket.readUntilClosed(port: port, sending: nil, within: .seconds(30))
            #expect(exchange.received.isEmpty)
            #expect(exchange.openFor >= .milliseconds(1_900))
        }
    }

    @Test("A keep-alive connection gets its answer, then is closed once it has been idle for the timeout")
    func keepAliveAfterAnswer() async throws {
        try await Self.withServer { port in
            let exchange = try await RawSocket.readUntilClosed(
                port: port,
                sending: "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                within: .seconds(30)
            )
            #expect(exchange.received.hasPrefix("HTTP/1.1 200"))
            #expect(exchange.openFor >= .milliseconds(1_900))
        }
    }

    @Test("A request head that never ends (a slow-headers client) is closed, with nothing answered")
    func unfinishedHead() async throws {
        try await Self.withServer { port in
            let exchange = try await RawSocket.readUntilClosed(
                port: port,
                sending: "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n",
                within: .seconds(30)
            )
            #expect(exchange.received.isEmpty)
        }
    }
}
