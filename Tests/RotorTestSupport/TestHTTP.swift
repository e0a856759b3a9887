import AsyncHTTPClient
public import Foundation
import HTTPTypes
import Hummingbird
public import HummingbirdTesting
import NIOCore
public import NIOHTTP1

/// An answer as a test sees it.
public struct HTTPAnswer: Sendable {
    /// The status code.
    public var status: Int
    /// The headers.
    public var headers: HTTPHeaders
    /// The body bytes.
    public var body: Data

    /// The body parsed as a JSON object.
    public var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
    }

    /// A string field of the JSON body.
    public func string(_ key: String) -> String? { json[key] as? String }

    /// The `error` code of an error body.
    public var error: String? { string("error") }

    /// The body as text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The first value of a header.
    public func header(_ name: String) -> String? { headers[name].first }

    /// Every value of a header (`Set-Cookie` comes once per cookie).
    public func headerValues(_ name: String) -> [String] { headers[name] }
}

/// The methods tests use.
public enum Method: Sendable {
    case GET, POST, DELETE, PUT, OPTIONS

    var nio: HTTPMethod {
        switch self {
        case .GET: .GET
        case .POST: .POST
        case .DELETE: .DELETE
        case .PUT: .PUT
        case .OPTIONS: .OPTIONS
        }
    }

    var http: HTTPRequest.Method {
        switch self {
        case .GET: .get
        case .POST: .post
        case .DELETE: .delete
        case .PUT: .put
        case .OPTIONS: .options
        }
    }
}

/// How a test's requests reach Rotor.
public enum Transport: Sendable {
    /// Real HTTP over a loopback socket: for what only a socket shows (client addresses, timeouts, chunked bodies,
    /// connections, other processes).
    case loopback
    /// Straight into the router (HummingbirdTesting's `.router`): the same middleware, controllers and answers,
    /// with no socket. There is no peer address, so the caller's IP reads as unknown.
    case router
}

/// A client for a Rotor server in tests: real HTTP over loopback through AsyncHTTPClient, or the router's own test
/// client; the flows and answers are the same either way.
public struct TestHTTP: Sendable {
    /// `http://127.0.0.1:PORT` (`http://localhost` through the router).
    public let baseURL: String

    /// How long a request may take, connecting included.
    let timeout: TimeAmount

    /// The router's test client, when requests go to the router instead of a socket.
    let router: (any TestClientProtocol)?

    /// Creates a client for a server on a local port.
    /// - Parameters:
    ///   - port: The server's port.
    ///   - timeoutSeconds: How long one request may take (AsyncHTTPClient retries a refused connection until then).
    public init(port: Int, timeoutSeconds: Int64 = 60) {
        self.baseURL = "http://127.0.0.1:\(port)"
        self.timeout = .seconds(timeoutSeconds)
        self.router = nil
    }

    /// Creates a client that sends every request through HummingbirdTesting's router client.
    public init(router: any TestClientProtocol) {
        self.baseURL = "http://localhost"
        self.timeout = .seconds(60)
        self.router = router
    }

    private init(baseURL: String, timeout: TimeAmount, router: (any TestClientProtocol)?) {
        self.baseURL = baseURL
        self.timeout = timeout
        self.router = router
    }

    /// The same client, letting each loopback request take up to `seconds`: for bursts whose requests queue behind
    /// each other on a loaded machine, where the test checks what is answered, not how fast.
    public func waiting(upTo seconds: Int64) -> TestHTTP {
        TestHTTP(baseURL: baseURL, timeout: .seconds(seconds), router: router)
    }

    /// Sends a request.
    /// - Parameters:
    ///   - method: The method.
    ///   - path: The path (with query).
    ///   - headers: Headers.
    ///   - body: The body bytes, if any.
    /// - Returns: The answer.
    public func send(
        _ method: Method,
        _ path: String,
        headers: [(String, String)] = [],
        body: Data? = nil
    ) async throws -> HTTPAnswer {
        if let router { return try await Self.send(method, path, headers: headers, body: body, through: router) }
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method.nio
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        return try await execute(request)
    }

    /// Sends a request through the router's test client.
    private static func send(
        _ method: Method,
        _ path: String,
        headers: [(String, String)],
        body: Data?,
        through router: any TestClientProtocol
    ) async throws -> HTTPAnswer {
        var fields = HTTPFields()
        for (name, value) in headers {
            guard let field = HTTPField.Name(name) else { continue }
            fields.append(HTTPField(name: field, value: value))
        }
        let response = try await router.executeRequest(
            uri: path,
            method: method.http,
            headers: fields,
            body: body.map { ByteBuffer(bytes: $0) }
        )
        var answerHeaders = HTTPHeaders()
        for field in response.headers { answerHeaders.add(name: field.name.rawName, value: field.value) }
        return HTTPAnswer(
            status: Int(response.status.code),
            headers: answerHeaders,
            body: Data(response.body.readableBytesView)
        )
    }

    /// POSTs a JSON body as a chunked stream (no Content-Length) of `chunks` chunks of `size` spaces (loopback only:
    /// the router client always sends a length).
    public func postChunked(_ path: String, chunks: Int, size: Int) async throws -> HTTPAnswer {
        precondition(router == nil, "a chunked body needs a socket: run this test over .loopback")
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
        for _ in 0..<chunks { continuation.yield(ByteBuffer(repeating: UInt8(ascii: " "), count: size)) }
        continuation.finish()
        request.body = .stream(stream, length: .unknown)
        return try await execute(request)
    }

    /// The client of every loopback test: like a test through the router, it sees redirects as answers and
    /// never follows one (a redirect to an app's callback is what a test checks, not a place to go). It lives as
    /// long as the test process, as `HTTPClient.shared` does.
    /// Otherwise `HTTPClient.shared`'s settings (its pool and timeouts, which the burst tests lean on).
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// Sends a prepared request.
    func execute(_ request: HTTPClientRequest) async throws -> HTTPAnswer {
        let response = try await Self.client.execute(request, timeout: timeout)
        let body = try await response.body.collect(upTo: 4 << 20)
        return HTTPAnswer(
            status: Int(response.status.code),
            headers: response.headers,
            body: Data(body.readableBytesView)
        )
    }

    /// POSTs a JSON object.
    public func post(_ path: String, json: [String: Any], headers: [(String, String)] = []) async throws -> HTTPAnswer {
        let body = try JSONSerialization.data(withJSONObject: json)
        return try await send(.POST, path, headers: [("Content-Type", "application/json")] + headers, body: body)
    }

    /// GETs a path, with a bearer token if given.
    public func get(_ path: String, bearer: String? = nil) async throws -> HTTPAnswer {
        try await send(.GET, path, headers: bearer.map { [("Authorization", "Bearer \($0)")] } ?? [])
    }

    // MARK: The flows tests repeat

    /// Signs up an account.
    @discardableResult
    public func signUp(_ email: String, _ password: String) async throws -> HTTPAnswer {
        try await post("/v1/users", json: ["email": email, "password": password])
    }

    /// Logs in.
    public func login(_ email: String, _ password: String, extra: [String: Any] = [:]) async throws -> HTTPAnswer {
        var body: [String: Any] = ["email": email, "password": password]
        body.merge(extra) { _, new in new }
        return try await post("/v1/auth/login", json: body)
    }

    /// Presents a refresh token.
    public func refresh(
        _ token: String,
        headers: [(String, String)] = [],
        extra: [String: Any] = [:]
    ) async throws
        -> HTTPAnswer
    {
        var body: [String: Any] = ["refresh_token": token]
        body.merge(extra) { _, new in new }
        return try await post("/v1/auth/token/refresh", json: body, headers: headers)
    }
}
