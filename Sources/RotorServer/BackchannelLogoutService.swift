import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import RotorCore
import ServiceLifecycle

/// Delivers back-channel logouts (Back-Channel Logout 1.0) from the store's outbox while `serve` runs: claims due
/// notices, POSTs each logout token form-encoded to its client's `backchannel_logout_uri`, and records the answer.
///
/// Every instance runs one; the store's lease gives each notice to one instance at a time, so a group delivers
/// once, and a notice claimed by an instance that died goes to another when the lease ends. Requests that end
/// sessions never wait for this: they only write the outbox.
struct BackchannelLogoutService: Service {
    let engine: TokenEngine
    /// How long to wait when nothing is due.
    let interval: Duration
    let logger: Logger

    /// Notices claimed at once, and deliveries in flight at once.
    static let batch = 200
    static let concurrency = 32

    func run() async throws {
        // Redirects are never followed: a logout token goes to the registered URI or nowhere.
        let http = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: HTTPClient.Configuration(
                redirectConfiguration: .disallow,
                timeout: .init(connect: .seconds(5), read: .seconds(10))
            )
        )
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let due = try await engine.claimLogouts(limit: Self.batch)
                    if due.isEmpty {
                        try await Task.sleep(for: interval)
                        continue
                    }
                    await deliver(due, with: http)
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("back-channel logout failed", metadata: ["error_type": "\(type(of: error))"])
                    try await Task.sleep(for: interval)
                }
            }
        }
        try await http.shutdown()
    }

    /// Sends a batch, at most ``concurrency`` at once.
    private func deliver(_ dispatches: [LogoutDispatch], with http: HTTPClient) async {
        await withTaskGroup(of: Void.self) { group in
            var pending = dispatches[...]
            for _ in 0..<Self.concurrency {
                guard let next = pending.popFirst() else { break }
                group.addTask { await send(next, with: http) }
            }
            while await group.next() != nil {
                guard let next = pending.popFirst() else { continue }
                group.addTask { await send(next, with: http) }
            }
        }
    }

    private func send(_ dispatch: LogoutDispatch, with http: HTTPClient) async {
        var request = HTTPClientRequest(url: dispatch.uri)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: "logout_token=" + dispatch.token))
        var delivered = false
        do {
            let response = try await http.execute(request, timeout: .seconds(10))
            delivered = (200..<300).contains(response.status.code)
            _ = try? await response.body.collect(upTo: 64 * 1024)
        } catch {
            logger.debug(
                "back-channel logout not delivered",
                metadata: ["client_id": "\(dispatch.notice.clientId)", "error_type": "\(type(of: error))"]
            )
        }
        do {
            if delivered {
                try await engine.logoutDelivered(dispatch.notice)
            } else {
                try await engine.logoutFailed(dispatch.notice)
            }
        } catch {
            logger.error("back-channel logout outcome not stored", metadata: ["error_type": "\(type(of: error))"])
        }
    }
}
