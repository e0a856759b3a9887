import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RotorCore

/// `GET /v1/revocations?since=SECONDS`: the sessions that ended within the last access-token lifetime, as a JWT
/// signed by Rotor's current key (`typ: revocations+jwt`), for resource services that want logouts to take effect
/// within seconds rather than at the access token's expiry.
struct RevocationController: Sendable {
    let support: RouteSupport

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get(use: feed)
        return routes
    }

    @Sendable func feed(_ request: Request, context: AppRequestContext) async throws -> Response {
        var since = Date(timeIntervalSince1970: 0)
        if let text = request.uri.queryParameters["since"] {
            guard let seconds = Int64(text), seconds >= 0 else {
                throw APIError.invalidRequest("The parameter 'since' must be whole seconds since 1970.")
            }
            since = Date(timeIntervalSince1970: TimeInterval(seconds))
        }
        let feed = try await support.engine.revocationFeed(since: since)
        return Response(
            status: .ok,
            headers: [.contentType: "application/jwt", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: feed))
        )
    }
}
