import Hummingbird
import RotorCore

/// `GET /.well-known/jwks.json`: the public signing keys, cacheable for a short while.
struct WellKnownRoutes: Sendable {
    let keys: KeyRing
    /// How long verifiers may cache the JWKS. Short enough that a rotated-in key is picked up well within the
    /// access TTL; verifiers refetch on an unknown `kid` anyway.
    static let jwksMaxAge = 300

    func register(on router: APIRouter) {
        router.get("/.well-known/jwks.json") { _, _ in
            var response = JSONResponse.raw(keys.jwksDocument)
            response.headers[.cacheControl] = "public, max-age=\(Self.jwksMaxAge)"
            return response
        }
    }
}
