import Foundation
import RotorServer
import RotorTestSupport
import Testing

/// `rotor serve` closes a connection on which no request arrives within its idle timeout (75 s; 2 s here), so that
/// idle or stalled clients cannot hold connections, and file descriptors, forever.
@Suite("Idle connections are closed")
struct IdleConnectionTests {
    /// Against a server with a 2 s idle timeout: connects, sends `bytes` (if any), reads until the server closes.
    static func exchange(sending bytes: String?) async throws -> RawSocket.Exchange {
        try await InProcessServer.run(configure: { $0.idleTimeoutSeconds = 2 }) { http, _ in
            let port = try #require(URL(string: http.baseURL)?.port)
            return try await RawSocket.readUntilClosed(port: port, sending: bytes, within: .seconds(30))
        }
    }

    @Test("The production setting is nginx's 75 s, longer than the 60 s a client pool keeps an idle connection")
    func productionDefault() {
        #expect(ServerConfiguration().idleTimeoutSeconds == 75)
    }

    @Test("A connection that never sends a request is closed after the idle timeout, not before")
    func silentConnection() async throws {
        let exchange = try await Self.exchange(sending: nil)
        #expect(exchange.received.isEmpty)
        #expect(exchange.openFor >= .milliseconds(1_900))
    }

    @Test("A keep-alive connection gets its answer, then is closed once it has been idle for the timeout")
    func keepAliveAfterAnswer() async throws {
        let exchange = try await Self.exchange(sending: "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(exchange.received.hasPrefix("HTTP/1.1 200"))
        #expect(exchange.openFor >= .milliseconds(1_900))
    }

    @Test("A request head that never ends (a slow-headers client) is closed, with nothing answered")
    func unfinishedHead() async throws {
        let exchange = try await Self.exchange(sending: "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        #expect(exchange.received.isEmpty)
    }
}
