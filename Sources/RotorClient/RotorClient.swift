public import Foundation
public import RotorProtocol

#if canImport(FoundationNetworking)
public import FoundationNetworking
#endif

/// A Swift app's session with Rotor: signs up, logs in and out, attaches the access token to requests, and keeps
/// the session alive without ever logging the user out by accident.
///
/// - The access token is refreshed a little before it expires, and once more when a request answers 401.
/// - Refresh is single-flight: any number of concurrent callers share one refresh request.
/// - A refresh whose answer is lost (the network dropped it) is sent again with the same refresh token: Rotor's
///   grace window answers with the same new token instead of seeing reuse. Retries stop before that window closes
///   (``RefreshRetry``), so a retry is never taken for reuse.
/// - With DPoP on, the session is bound to a P-256 key the client keeps in its ``TokenStore``; every request
///   carries a fresh proof, so a stolen token is useless without the key.
/// - Nothing here logs or prints a token.
public actor RotorClient {
    /// Rotor's base URL (its `ROTOR_ISSUER`).
    public nonisolated let baseURL: URL
    private let store: any TokenStore
    private let urlSession: URLSession
    private let refreshMargin: TimeInterval
    private let requestTimeout: TimeInterval
    private let refreshRetry: RefreshRetry
    let useDPoP: Bool
    let clock: @Sendable () -> Date
    private var session: StoredSession?
    private var loaded = false
    private var refreshing: Task<StoredSession, any Error>?
    var dpopKey: DPoPKey?
    /// How many refresh requests this client sent (retries of a lost answer included).
    public private(set) var refreshCount = 0

    /// Creates a client.
    /// - Parameters:
    ///   - baseURL: Rotor's base URL.
    ///   - store: Where the session is kept (default: memory only).
    ///   - urlSession: The URL session requests go through.
    ///   - useDPoP: Bind new sessions to a DPoP key (RFC 9449).
    ///   - refreshMargin: Refresh when the access token has less than this left.
    ///   - requestTimeout: How long sign-up, login and logout wait for Rotor's answer, in seconds.
    ///   - refreshRetry: How a refresh whose answer was lost is sent again.
    ///   - clock: The time source for token expiry (tests move it). Retry timing uses the monotonic clock.
    public init(
        baseURL: URL,
        store: any TokenStore = MemoryTokenStore(),
        urlSession: URLSession = .shared,
        useDPoP: Bool = false,
        refreshMargin: TimeInterval = 60,
        requestTimeout: TimeInterval = 30,
        refreshRetry: RefreshRetry = RefreshRetry(),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.baseURL = baseURL
        self.store = store
        self.urlSession = urlSession
        self.useDPoP = useDPoP
        self.refreshMargin = refreshMargin
        self.requestTimeout = requestTimeout
        self.refreshRetry = refreshRetry
        self.clock = clock
    }

    /// Whether a session is stored.
    public var isLoggedIn: Bool {
        get async throws { try await current() != nil }
    }

    /// The session's id, if logged in.
    public var sessionId: String? {
        get async throws { try await current()?.sessionId }
    }

    /// Creates an account (it does not log in).
    /// - Throws: ``RotorClientError/server(status:error:description:)`` (`email_taken`, `invalid_request`, …).
    @discardableResult
    public func signUp(email: String, password: String) async throws -> UserResponse {
        let (data, _) = try await post("v1/users", json: SignupRequest(email: email, password: password))
        return try JSONDecoder().decode(UserResponse.self, from: data)
    }

    /// Logs in: a new session, bound to this client's DPoP key when DPoP is on.
    /// - Throws: ``RotorClientError/server(status:error:description:)`` (`invalid_credentials`, `rate_limited`, …).
    public func logIn(email: String, password: String, deviceName: String? = nil) async throws {
        let key = useDPoP ? try DPoPKey() : nil
        let url = endpoint("v1/auth/login")
        var request = jsonRequest(url, body: LoginRequest(email: email, password: password, deviceName: deviceName))
        if let key {
            request.setValue(try await key.proof(method: "POST", url: url, now: clock()), forHTTPHeaderField: "DPoP")
        }
        let (data, response) = try await send(request)
        try Self.check(data, response)
        dpopKey = key
        try await keep(try JSONDecoder().decode(TokenResponse.self, from: data))
    }

    /// Logs out: `local` ends this session, `others` every other of the user, `global` all. The stored session is
    /// forgotten whatever Rotor answers (a dead session is as good as logged out).
    public func logOut(scope: String = "local") async throws {
        guard let session = try await current() else { return }
        var request: URLRequest
        if let clientId = session.clientId {
            // A client's session (a device-flow sign-in) ends by revoking its refresh token (RFC 7009).
            request = formRequest(
                endpoint("oauth/revoke"),
                [("token", session.refreshToken), ("token_type_hint", "refresh_token"), ("client_id", clientId)]
            )
        } else {
            request = jsonRequest(
                endpoint("v1/auth/logout"),
                body: LogoutRequest(refreshToken: session.refreshToken, scope: scope)
            )
        }
        // A DPoP-bound session ends only with a proof by its key, as it refreshes only with one.
        if let dpopKey, let url = request.url {
            request.setValue(
                try await dpopKey.proof(method: "POST", url: url, now: clock()),
                forHTTPHeaderField: "DPoP"
            )
        }
        let answer: (Data, HTTPURLResponse)
        do {
            answer = try await send(request)
        } catch {
            try await forget()
            throw error
        }
        try await forget()
        try Self.check(answer.0, answer.1)
    }

    /// Sends a request to a protected API with the current access token (and a DPoP proof for a DPoP session):
    /// refreshed first when it is about to expire, and refreshed once more and retried when the answer is 401.
    /// - Parameter request: The request; its `Authorization` and `DPoP` headers are set here.
    /// - Returns: The body and the response, whatever the status (after at most one retry).
    /// - Throws: ``RotorClientError/notLoggedIn``, a refresh refusal, or a transport error.
    public func send(authorized request: URLRequest) async throws -> (Data, HTTPURLResponse) {
        let first = try await validSession()
        let (data, response) = try await send(try await authorize(request, with: first))
        guard response.statusCode == 401 else { return (data, response) }
        // Maybe the token was refused for a reason a new one fixes (a key rotation, a clock skew): refresh once.
        let fresh = try await refresh(expired: first)
        return try await send(try await authorize(request, with: fresh))
    }

    /// A valid access token, refreshing first if it is about to expire (for callers that attach it themselves).
    public func accessToken() async throws -> String {
        try await validSession().accessToken
    }

    /// Refreshes now (single-flight): every concurrent caller waits for the same request.
    public func refresh() async throws {
        guard let session = try await current() else { throw RotorClientError.notLoggedIn }
        _ = try await refresh(expired: session)
    }

    // MARK: Inner workings

    private func current() async throws -> StoredSession? {
        if !loaded {
            session = try await store.load()
            dpopKey = try session?.dpopKey.map { try DPoPKey(rawRepresentation: $0) }
            loaded = true
        }
        return session
    }

    private func validSession() async throws -> StoredSession {
        guard let session = try await current() else { throw RotorClientError.notLoggedIn }
        if session.accessExpiresAt.timeIntervalSince(clock()) > refreshMargin { return session }
        return try await refresh(expired: session)
    }

    /// One refresh for everyone who saw `expired`: a caller whose token was already replaced gets the new one.
    private func refresh(expired: StoredSession) async throws -> StoredSession {
        if let refreshing { return try await refreshing.value }
        if let session, session.refreshToken != expired.refreshToken { return session }
        let task = Task { try await self.performRefresh(expired) }
        refreshing = task
        defer { refreshing = nil }
        return try await task.value
    }

    private func performRefresh(_ stale: StoredSession) async throws -> StoredSession {
        // A client's session rotates at the token endpoint, with its client id (the refresh grant, RFC 6749 §6).
        let url = endpoint(stale.clientId == nil ? "v1/auth/token/refresh" : "oauth/token")
        let deadline = ContinuousClock.now + .seconds(refreshRetry.window)
        var attempt = 0
        while true {
            attempt += 1
            var request =
                if let clientId = stale.clientId {
                    formRequest(
                        url,
                        [
                            ("grant_type", "refresh_token"), ("refresh_token", stale.refreshToken),
                            ("client_id", clientId),
                        ]
                    )
                } else {
                    jsonRequest(url, body: RefreshRequest(refreshToken: stale.refreshToken))
                }
            // Whole seconds: Foundation on Linux truncates a request's timeout to seconds, and 0 times out at once.
            let left = TimeInterval(ContinuousClock.now.duration(to: deadline).components.seconds)
            request.timeoutInterval = max(1, min(refreshRetry.attemptTimeout, left))
            if let dpopKey {
                request.setValue(
                    try await dpopKey.proof(method: "POST", url: url, now: clock()),
                    forHTTPHeaderField: "DPoP"
                )
            }
            refreshCount += 1
            let failure: any Error
            do {
                let (data, response) = try await send(request)
                if response.statusCode == 401 {
                    // The session is over (logout elsewhere, reuse, expiry): forget it, and say why.
                    try? await forget()
                }
                try Self.check(data, response)
                return try await keep(
                    try JSONDecoder().decode(TokenResponse.self, from: data),
                    clientId: stale.clientId
                )
            } catch let error as URLError {
                failure = error
            } catch RotorClientError.server(let status, let code, let description) where status >= 500 {
                // A 502 or 504 from a gateway may come after Rotor rotated, exactly like a lost answer.
                failure = RotorClientError.server(status: status, error: code, description: description)
            }
            // The answer may have been lost after Rotor rotated: the same token again, within the grace window,
            // brings the same new token back. Past the window it would be reuse, so give up instead and keep the
            // session: the failure is the network's, not a logout.
            let pause = Duration.milliseconds(200 * attempt)
            guard attempt < refreshRetry.attempts, ContinuousClock.now + pause + .seconds(1) <= deadline else {
                throw failure
            }
            try await Task.sleep(for: pause)
        }
    }

    @discardableResult
    func keep(_ tokens: TokenResponse, clientId: String? = nil) async throws -> StoredSession {
        guard let refreshToken = tokens.refreshToken else { throw RotorClientError.noRefreshToken }
        let stored = StoredSession(
            accessToken: tokens.accessToken,
            accessExpiresAt: clock().addingTimeInterval(TimeInterval(tokens.expiresIn)),
            refreshToken: refreshToken,
            sessionId: tokens.sessionId,
            tokenType: tokens.tokenType,
            dpopKey: dpopKey?.rawRepresentation,
            clientId: clientId
        )
        try await store.save(stored)
        session = stored
        loaded = true
        return stored
    }

    private func forget() async throws {
        session = nil
        dpopKey = nil
        try await store.save(nil)
    }

    private func authorize(_ request: URLRequest, with session: StoredSession) async throws -> URLRequest {
        var request = request
        if session.tokenType == "DPoP", let dpopKey, let url = request.url {
            request.setValue("DPoP \(session.accessToken)", forHTTPHeaderField: "Authorization")
            request.setValue(
                try await dpopKey.proof(
                    method: request.httpMethod ?? "GET",
                    url: url,
                    accessToken: session.accessToken,
                    now: clock()
                ),
                forHTTPHeaderField: "DPoP"
            )
        } else {
            request.setValue("Bearer \(session.accessToken)", forHTTPHeaderField: "Authorization")
        }
        return request
    }

    func endpoint(_ path: String) -> URL {
        baseURL.appendingPathComponent(path)
    }

    /// A form POST, as the OAuth endpoints take.
    func formRequest(_ url: URL, _ fields: [(String, String)]) -> URLRequest {
        var request = URLRequest(url: url, timeoutInterval: requestTimeout)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.httpBody = FormEncoding.body(fields)
        return request
    }

    private func jsonRequest(_ url: URL, body: some Encodable) -> URLRequest {
        var request = URLRequest(url: url, timeoutInterval: requestTimeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try? JSONEncoder().encode(body)
        return request
    }

    private func post(_ path: String, json body: some Encodable) async throws -> (Data, HTTPURLResponse) {
        let (data, response) = try await send(jsonRequest(endpoint(path), body: body))
        try Self.check(data, response)
        return (data, response)
    }

    func send(_ request: URLRequest) async throws -> (Data, HTTPURLResponse) {
        let (data, response) = try await urlSession.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
        return (data, http)
    }

    static func check(_ data: Data, _ response: HTTPURLResponse) throws {
        guard !(200..<300).contains(response.statusCode) else { return }
        struct Refusal: Decodable {
            var error: String
            var error_description: String?
        }
        let body = try? JSONDecoder().decode(Refusal.self, from: data)
        throw RotorClientError.server(
            status: response.statusCode,
            error: body?.error ?? "server_error",
            description: body?.error_description ?? ""
        )
    }
}

/// Why a ``RotorClient`` call failed.
public enum RotorClientError: Error, Sendable, Equatable {
    /// No session: log in first (or the session ended and was forgotten).
    case notLoggedIn
    /// Rotor refused: the status, its `error` code and description (never a token).
    case server(status: Int, error: String, description: String)
    /// Rotor answered without a refresh token (a cookie-mode answer to a client that is not a browser).
    case noRefreshToken
}
