import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import RotorCore
import RotorJWT

/// Fetches `private_key_jwt` clients' JWK sets from their registered `jwks_uri` over HTTP.
///
/// Redirects are not followed (the keys come from the registered URL or not at all), a fetch has a few seconds
/// (``ServerConfiguration/clientJWKSFetchSeconds``), and a document over 64 KiB is refused.
struct ClientJWKSFetcher: ClientJWKSFetching {
    /// One client for the process: it is never shut down, like `HTTPClient.shared`, but with redirects off. Its
    /// own timeouts are a backstop; each fetch has its deadline.
    private static let http = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
        configuration: HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(60), read: .seconds(60))
        )
    )

    /// How long one fetch may take, connecting included.
    let timeoutSeconds: Int64

    func fetchJWKS(_ url: String) async throws -> (document: Data, maxAge: TimeInterval?) {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        let response = try await Self.http.execute(request, timeout: .seconds(timeoutSeconds))
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
