import AsyncHTTPClient
import Foundation
import JWTKit
import Logging
import NIOCore
import NIOHTTP1
import RotorJWT
import Synchronization

/// Rotor's public keys, fetched from its JWKS and kept as long as `Cache-Control: max-age` allows.
///
/// One fetch at a time, whoever asks (single-flight). A token naming an unknown `kid` triggers a new fetch at most
/// once per ``VerifierConfiguration/unknownKeyRefetchInterval``: a key rotation is picked up at once, and forged
/// `kid`s cannot make the verifier hammer Rotor. When a fetch fails, the keys already known keep working.
final class JWKSCache: Sendable {
    /// One usable key: its `kid`, its one algorithm (from the JWK's `alg`), and jwt-kit's verifier for it.
    struct Key: Sendable {
        let kid: String
        let algorithm: String
        let verifier: any JWTAlgorithm
    }

    private struct State: Sendable {
        var keys: [String: Key] = [:] {
            didSet { algorithms = keys.mapValues(\.algorithm) }
        }
        /// `kid` → algorithm, kept with the keys: every verification asks for it.
        var algorithms: [String: String] = [:]
        var expiresAt: Date = .distantPast
        var lastUnknownKeyFetch: Date = .distantPast
        var fetches = 0
        var inflight: Task<Void, any Error>?
    }

    private let state = Mutex(State())
    private let configuration: VerifierConfiguration
    private let http: HTTPClient
    private let logger: Logger

    init(configuration: VerifierConfiguration, http: HTTPClient, logger: Logger) {
        self.configuration = configuration
        self.http = http
        self.logger = logger
    }

    /// `kid` → algorithm of every key known now (for the header rules).
    var algorithms: [String: String] {
        state.withLock { $0.algorithms }
    }

    /// How many times the JWKS was fetched (for tests).
    var fetchCount: Int { state.withLock { $0.fetches } }

    /// The key named `kid`, fetching the JWKS when the keys have expired or (rate-limited) when `kid` is unknown.
    func key(_ kid: String, now: Date) async throws(VerificationError) -> Key {
        let (known, fresh, mayFetchForUnknown) = state.withLock { state in
            let mayFetch = now.timeIntervalSince(state.lastUnknownKeyFetch) >= configuration.unknownKeyRefetchInterval
            let unknown = state.keys[kid] == nil
            if unknown && mayFetch && state.expiresAt > now { state.lastUnknownKeyFetch = now }
            return (state.keys[kid], state.expiresAt > now, unknown && mayFetch)
        }
        if let known, fresh { return known }
        if known == nil && fresh && !mayFetchForUnknown {
            throw VerificationError(.unknownKey, detail: "kid not in the JWKS, refetched less than a while ago")
        }
        do {
            try await fetch()
        } catch {
            logger.warning("cannot fetch Rotor's JWKS", metadata: ["error": "\(error)"])
            // Stale keys are better than an outage: a fetch that fails keeps what was known.
            if let known { return known }
            if algorithms.isEmpty { throw VerificationError(.keysUnavailable, detail: "\(error)") }
            throw VerificationError(.unknownKey)
        }
        guard let key = state.withLock({ $0.keys[kid] }) else { throw VerificationError(.unknownKey) }
        return key
    }

    /// Fetches the JWKS, or waits for the fetch already running.
    func fetch() async throws {
        let task: Task<Void, any Error> = state.withLock { current in
            if let running = current.inflight { return running }
            let task = Task { [self] in
                defer { state.withLock { $0.inflight = nil } }
                let (keys, maxAge) = try await download()
                state.withLock { updated in
                    updated.keys = keys
                    updated.expiresAt = maxAge.isInfinite ? .distantFuture : Date().addingTimeInterval(maxAge)
                    updated.fetches += 1
                }
            }
            current.inflight = task
            return task
        }
        try await task.value
    }

    private func download() async throws -> ([String: Key], TimeInterval) {
        if let document = configuration.jwksDocument {
            return (try await Self.keys(of: document, configuration: configuration, logger: logger), .infinity)
        }
        var request = HTTPClientRequest(url: configuration.jwksURL)
        request.headers.add(name: "Accept", value: "application/json")
        let response = try await http.execute(request, timeout: .seconds(10))
        guard response.status == .ok else { throw JWKSError.status(Int(response.status.code)) }
        let body = try await response.body.collect(upTo: 1 << 20)
        let keys = try await Self.keys(of: Data(body.readableBytesView), configuration: configuration, logger: logger)
        let maxAge = CacheControl.maxAge(response.headers["Cache-Control"].joined(separator: ","))
        let age = min(configuration.maximumKeyAge, max(configuration.minimumKeyAge, maxAge ?? 0))
        return (keys, age)
    }

    /// The usable keys of a JWKS document.
    private static func keys(
        of document: Data,
        configuration: VerifierConfiguration,
        logger: Logger
    ) async throws
        -> [String: Key]
    {
        let jwks = try JSONDecoder().decode(JWKS.self, from: document)
        var keys: [String: Key] = [:]
        for jwk in jwks.keys {
            // Only keys that say who they are and what they do: a kid, an allowed alg (jwt-kit pitfall 2 in docs/dependencies.md).
            guard let kid = jwk.keyIdentifier?.string, let alg = jwk.algorithm?.rawValue,
                configuration.allowedAlgorithms.contains(alg)
            else { continue }
            do {
                let collection = try await JWTKeyCollection().add(jwk: jwk)
                keys[kid] = Key(
                    kid: kid,
                    algorithm: alg,
                    verifier: try await collection.getKey(for: jwk.keyIdentifier, alg: alg)
                )
            } catch {
                logger.warning("a JWK is unusable", metadata: ["kid": "\(kid)", "error": "\(error)"])
            }
        }
        return keys
    }
}

/// Why the JWKS could not be used.
enum JWKSError: Error, CustomStringConvertible {
    case status(Int)

    var description: String {
        switch self {
        case .status(let code): "the JWKS answered HTTP \(code)"
        }
    }
}
