import Foundation
import HTTPTypes
public import Hummingbird
public import HummingbirdAuth
import Logging
import RotorJWT
public import RotorVerifier

/// The request context of a resource service protected by Rotor: the verified caller, once authenticated.
public struct RotorRequestContext: AuthRequestContext, RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The verified access token, set by ``RotorAuthenticator``.
    public var identity: VerifiedAccessToken?

    /// Creates the context for a request.
    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.identity = nil
    }
}

/// Authenticates requests with Rotor access tokens: `Authorization: Bearer <token>`, or `Authorization: DPoP
/// <token>` with a `DPoP` proof for DPoP-bound tokens (RFC 9449).
///
/// A request without `Authorization` passes through unauthenticated (routes behind ``RequireRotorAccess`` then
/// answer 401); a request with a bad token is answered at once with RFC 6750's `401 invalid_token` and a
/// `WWW-Authenticate` header.
public struct RotorAuthenticator<Context: AuthRequestContext>: AuthenticatorMiddleware
where Context.Identity == VerifiedAccessToken {
    /// The verifier (run it as a service so that it reads the revocation feed).
    public let verifier: AccessTokenVerifier
    /// The service's public base URL (`https://api.example.com`, no trailing slash): a DPoP proof must name it
    /// plus the request's path as its `htu`.
    ///
    /// It comes from configuration only, never from the request: a `Host` header is the client's to choose, so a
    /// proof captured at one service could otherwise be replayed to another by sending that service's host.
    public let publicURL: String

    /// Creates the authenticator.
    /// - Parameters:
    ///   - verifier: The verifier.
    ///   - publicURL: The base URL clients address this service by (what they sign DPoP proofs for).
    public init(verifier: AccessTokenVerifier, publicURL: String) {
        self.verifier = verifier
        self.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
    }

    /// The verified token, nil without `Authorization`, or a 401 for a bad one.
    public func authenticate(request: Request, context: Context) async throws -> VerifiedAccessToken? {
        guard let authorization = request.headers[.authorization] else { return nil }
        guard let credential = AuthorizationCredential(authorization) else {
            throw RotorAccessDenied.invalidToken("malformed or unsupported Authorization header")
        }
        do {
            return try await verify(credential, request: request)
        } catch {
            context.logger.debug("access token refused", metadata: ["reason": "\(error.reason.rawValue)"])
            throw RotorAccessDenied.invalidToken(
                error.reason.rawValue,
                dpop: error.reason == .dpopProofInvalid || error.reason == .dpopRequired
            )
        }
    }

    private func verify(
        _ credential: AuthorizationCredential,
        request: Request
    ) async throws(VerificationError)
        -> VerifiedAccessToken
    {
        guard credential.scheme == .dpop else { return try await verifier.verify(credential.token) }
        let dpop = DPoPRequest(
            proof: request.headers[HTTPField.Name("DPoP")!],
            method: request.method.rawValue,
            url: publicURL + request.uri.path
        )
        return try await verifier.verify(credential.token, dpop: dpop)
    }

}
