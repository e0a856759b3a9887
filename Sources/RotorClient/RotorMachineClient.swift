public import Crypto
public import Foundation
import JWTKit
import RotorJWT
import RotorProtocol
import Synchronization

#if canImport(FoundationNetworking)
public import FoundationNetworking
#endif

/// A Swift service's own access tokens, by the `client_credentials` grant (RFC 6749 §4.4): no person, no session,
/// no refresh token — a token is simply asked for again.
///
/// - The token is kept until shortly before it expires, and asked for again once more when a request answers 401.
/// - Asking is single-flight: any number of concurrent callers share one token request.
/// - The client authenticates with its secret (HTTP Basic) or with `private_key_jwt`: an assertion signed by its
///   own P-256 key, valid for one minute and used once.
/// - Nothing here logs or prints a token, a secret or a key.
public actor RotorMachineClient {
    /// How the client proves who it is.
    public enum Credential: Sendable {
        /// `client_secret_basic`: the secret Rotor issued.
        case secret(String)
        /// `private_key_jwt`: a key whose public half is in the client's registered JWKS, and its `kid` there.
        case privateKey(P256.Signing.PrivateKey, keyId: String?)
    }

    /// Rotor's base URL (its `ROTOR_ISSUER`).
    public nonisolated let baseURL: URL
    /// The client id.
    public nonisolated let clientId: String
    private let credential: Credential
    private let scope: String?
    private let resources: [String]
    private let urlSession: URLSession
    private let challenges: ChallengeRefuser
    /// Whether the session is this client's own, to be let go with it.
    private let ownsSession: Bool
    private let refreshMargin: TimeInterval
    private let clock: @Sendable () -> Date
    /// The kept token and when to ask for the next one (the margin before expiry, at most half its life).
    private var token: (value: String, renewAt: Date)?
    private var fetching: Task<(value: String, renewAt: Date), any Error>?
    /// How many token requests this client sent.
    public private(set) var tokenRequests = 0

    /// Creates a client.
    /// - Parameters:
    ///   - baseURL: Rotor's base URL.
    ///   - clientId: The client id.
    ///   - credential: Its secret or its private key.
    ///   - scope: The scopes to ask for (space-separated); nil for every scope the client has.
    ///   - resources: RFC 8707 audiences to ask for; empty for the client's audience.
    ///   - urlSession: The URL session requests go through; by default one of its own that answers HTTP
    ///     authentication challenges (see ``ChallengeRefuser``). On Linux, a session without such a delegate never
    ///     completes a request Rotor refuses with a Basic challenge (a wrong secret).
    ///   - refreshMargin: Ask for a new token when the current one has less than this left.
    ///   - clock: The time source for token expiry (tests move it).
    public init(
        baseURL: URL,
        clientId: String,
        credential: Credential,
        scope: String? = nil,
        resources: [String] = [],
        urlSession: URLSession? = nil,
        refreshMargin: TimeInterval = 60,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.baseURL = baseURL
        self.clientId = clientId
        self.credential = credential
        self.scope = scope
        self.resources = resources
        let refuser = ChallengeRefuser()
        self.challenges = refuser
        self.urlSession =
            urlSession ?? URLSession(configuration: .ephemeral, delegate: refuser, delegateQueue: nil)
        self.ownsSession = urlSession == nil
        self.refreshMargin = refreshMargin
        self.clock = clock
    }

    deinit {
        // A session keeps its delegate until invalidated.
        if ownsSession { urlSession.finishTasksAndInvalidate() }
    }

    /// A valid access token: the kept one, or a new one when it is about to expire.
    /// - Throws: ``RotorClientError/server(status:error:description:)`` (`invalid_client`, `invalid_scope`, …), or
    ///   a transport error.
    public func accessToken() async throws -> String {
        if let token, token.renewAt > clock() { return token.value }
        return try await renew(replacing: token?.value)
    }

    /// Sends a request with the access token; on a 401, once more with a new token (the old one may have been
    /// refused for a reason a new one fixes: a key rotation, a clock skew).
    /// - Returns: The body and the response, whatever the status (after at most one retry).
    public func send(authorized request: URLRequest) async throws -> (Data, HTTPURLResponse) {
        let first = try await accessToken()
        let (data, response) = try await send(Self.authorize(request, first))
        guard response.statusCode == 401 else { return (data, response) }
        return try await send(Self.authorize(request, try await renew(replacing: first)))
    }

    /// Forgets the kept token, so that the next call asks for a new one.
    public func invalidate() {
        token = nil
    }

    /// One token request for everyone who saw `stale`: a caller whose token was already replaced gets the new one.
    private func renew(replacing stale: String?) async throws -> String {
        if let fetching { return try await fetching.value.value }
        if let token, token.value != stale, token.renewAt > clock() {
            return token.value
        }
        let task = Task { try await self.requestToken() }
        fetching = task
        defer { fetching = nil }
        let fresh = try await task.value
        token = fresh
        return fresh.value
    }

    private func requestToken() async throws -> (value: String, renewAt: Date) {
        let url = baseURL.appendingPathComponent("oauth/token")
        var fields = [("grant_type", "client_credentials")]
        if let scope { fields.append(("scope", scope)) }
        fields += resources.map { ("resource", $0) }
        var request = URLRequest(url: url, timeoutInterval: 30)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        switch credential {
        case .secret(let secret):
            let pair = FormEncoding.encode(clientId) + ":" + FormEncoding.encode(secret)
            request.setValue("Basic " + Data(pair.utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
        case .privateKey(let key, let keyId):
            fields.append(("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"))
            fields.append(("client_assertion", try await assertion(key: key, keyId: keyId, audience: url)))
        }
        request.httpBody = FormEncoding.body(fields)
        tokenRequests += 1
        let sentAt = clock()
        let challenged = challenges.count
        let data: Data
        let response: HTTPURLResponse
        do {
            (data, response) = try await send(request)
        } catch let error as URLError where error.code == .cancelled && challenges.count > challenged {
            // The refused Basic challenge: Rotor's 401 invalid_client (Foundation keeps its body from us).
            throw RotorClientError.server(
                status: 401,
                error: "invalid_client",
                description: "Client authentication failed."
            )
        }
        try RotorClient.check(data, response)
        let answer = try JSONDecoder().decode(MachineTokenResponse.self, from: data)
        let lifetime = TimeInterval(answer.expiresIn)
        return (answer.accessToken, sentAt.addingTimeInterval(lifetime - min(refreshMargin, lifetime / 2)))
    }

    /// An RFC 7523 assertion for one token request: a minute to live, a random `jti`.
    private func assertion(key: P256.Signing.PrivateKey, keyId: String?, audience: URL) async throws -> String {
        let now = clock()
        let claims = AssertionClaims(
            iss: clientId,
            sub: clientId,
            aud: audience.absoluteString,
            iat: Int64(now.timeIntervalSince1970.rounded(.down)),
            exp: Int64(now.timeIntervalSince1970.rounded(.down)) + 60,
            jti: Base64URL.encode((0..<18).map { _ in UInt8.random(in: 0...255) })
        )
        let keys = JWTKeyCollection()
        let kid = keyId.map { JWKIdentifier(string: $0) }
        await keys.add(ecdsa: try ES256PrivateKey(backing: key), kid: kid)
        return try await keys.sign(claims, kid: kid)
    }

    private func send(_ request: URLRequest) async throws -> (Data, HTTPURLResponse) {
        let (data, response) = try await urlSession.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
        return (data, http)
    }

    private static func authorize(_ request: URLRequest, _ token: String) -> URLRequest {
        var request = request
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        return request
    }
}

/// Refuses HTTP authentication challenges, and counts them.
///
/// Rotor's `invalid_client` answer to HTTP Basic carries `WWW-Authenticate: Basic` (RFC 6749 §5.2). Foundation on
/// Linux then waits for a delegate to supply a credential and, with none, never completes the request
/// (swift-corelibs-foundation issue 5456); with this delegate the request ends as cancelled, and the count tells a
/// refused challenge from any other cancellation.
public final class ChallengeRefuser: NSObject, URLSessionTaskDelegate, Sendable {
    private let challenges = Mutex(0)

    /// How many challenges were refused.
    public var count: Int { challenges.withLock { $0 } }

    /// Refuses the challenge: the client has no other credential to offer.
    public func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        didReceive challenge: URLAuthenticationChallenge,
        completionHandler: @escaping @Sendable (URLSession.AuthChallengeDisposition, URLCredential?) -> Void
    ) {
        challenges.withLock { $0 += 1 }
        completionHandler(.cancelAuthenticationChallenge, nil)
    }
}

/// The claims of a `private_key_jwt` assertion, as the client signs them.
private struct AssertionClaims: JWTPayload {
    var iss: String
    var sub: String
    var aud: String
    var iat: Int64
    var exp: Int64
    var jti: String

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

extension RotorClient {
    /// A service's own tokens by `client_credentials`: see ``RotorMachineClient``.
    /// - Parameters:
    ///   - baseURL: Rotor's base URL.
    ///   - clientId: The client id.
    ///   - credential: Its secret or its private key.
    ///   - scope: The scopes to ask for; nil for every scope the client has.
    ///   - urlSession: The URL session requests go through (by default, one of the machine client's own).
    public static func clientCredentials(
        baseURL: URL,
        clientId: String,
        credential: RotorMachineClient.Credential,
        scope: String? = nil,
        urlSession: URLSession? = nil
    ) -> RotorMachineClient {
        RotorMachineClient(
            baseURL: baseURL,
            clientId: clientId,
            credential: credential,
            scope: scope,
            urlSession: urlSession
        )
    }
}
