import Foundation
import Hummingbird
import RotorCore

/// `GET /.well-known/jwks.json` (the public signing keys, cacheable for a short while) and `GET /openapi.json`.
struct DocumentController: Sendable {
    let keys: KeyRing
    /// How long verifiers may cache the JWKS. Short enough that a rotated-in key is picked up well within the
    /// access TTL; verifiers refetch on an unknown `kid` anyway.
    static let jwksMaxAge = 300

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get(".well-known/jwks.json", use: jwks)
        routes.get("openapi.json", use: openAPI)
        return routes
    }

    @Sendable func jwks(_ request: Request, context: AppRequestContext) async throws -> Response {
        var response = JSONResponse.raw(keys.jwksDocument)
        response.headers[.cacheControl] = "public, max-age=\(Self.jwksMaxAge)"
        return response
    }

    @Sendable func openAPI(_ request: Request, context: AppRequestContext) async throws -> Response {
        JSONResponse.raw(openAPIDocument, headers: [.cacheControl: "public, max-age=3600"])
    }
}

/// `Resources/openapi.json`, written by `scripts/generate-openapi.py` (scripts/validate checks that they agree);
/// `OpenAPITests` keeps it equal to the router and valid OpenAPI 3.1.
let openAPIDocument = Data(PackageResources.openapi_json)
