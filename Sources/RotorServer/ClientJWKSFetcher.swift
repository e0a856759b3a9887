import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import RotorCore
import RotorJWT

/// Fetches `private_key_jwt` clients' JWK sets from their registered `jwks_uri` over HTTP.
///
/// Redirects are not followed (the keys come from the registered URL or not at all), a fetch has 5 seconds, and a
/// document over 64 KiB is refused.
struct ClientJWKSFetcher: ClientJWKSFetching {
    /// One client for the process: it is never shut down, like `HTTPClient.shared`, but with redirects off.
    private static let http = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
        configuration: HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(3), read: .seconds(5))
        )
    )

    func fetchJWKS(_ url: String) async throws -> (document: Data, maxAge: TimeInterval?) {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        let response = try await Self.http.execute(request, timeout: .seconds(5))
        guard response.status == .ok else { throw FetchError.status(Int(response.status.code)) }
        let body = try await response.body.collect(upTo: 64 * 1024)
        return (
            Data(body.readableBytesView), CacheControl.maxAge(response.headers["Cache-Control"].joined(separator: ","))
        )
    }

    enum FetchError: Error {
        case status(Int)
    }
}
