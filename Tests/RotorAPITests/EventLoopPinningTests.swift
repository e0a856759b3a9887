import Hummingbird
import HummingbirdCore
import HummingbirdTesting
import NIOPosix
import RotorServer
import Testing

/// docs/benchmarks.md (*Machines*): `rotor serve` handles each connection on its socket's event loop, which is what
/// the `client_credentials` figure rests on; these hold the server to it.
@Suite("Connections handled on their event loops")
struct EventLoopPinningTests {
    /// An actor of its own, so that a request's task must leave its executor and come back.
    actor Elsewhere {
        func value() -> Int { 1 }
    }

    /// A server whose one route says whether it runs on an event loop before and after two awaits.
    static func app(_ server: HTTPServerBuilder) -> some ApplicationProtocol {
        let router = Router()
        let elsewhere = Elsewhere()
        router.get("where") { _, _ -> String in
            let before = MultiThreadedEventLoopGroup.currentEventLoop != nil
            _ = await elsewhere.value()
            try await Task.sleep(for: .milliseconds(1))
            let after = MultiThreadedEventLoopGroup.currentEventLoop != nil
            return "\(before) \(after)"
        }
        return Application(
            router: router,
            server: server,
            configuration: .init(address: .hostname("127.0.0.1", port: 0))
        )
    }

    static func answers(_ server: HTTPServerBuilder) async throws -> Set<String> {
        try await app(server).test(.live) { client in
            var seen: Set<String> = []
            for _ in 0..<8 {
                try await client.execute(uri: "/where", method: .get) { response in
                    #expect(response.status == .ok)
                    seen.insert(String(buffer: response.body))
                }
            }
            return seen
        }
    }

    @Test("Rotor's HTTP/1.1 runs a request on an event loop, also after it awaits an actor and a timer")
    func pinned() async throws {
        #expect(try await Self.answers(.http1OnEventLoops()) == ["true true"])
    }

    @Test("Hummingbird's own HTTP/1.1 runs it on the concurrency pool: the difference the channel makes")
    func hummingbirdDefault() async throws {
        #expect(try await Self.answers(.http1()) == ["false false"])
    }
}
