public import Foundation
package import JWTKit
import Synchronization

/// Fetches a client's JWK set from its `jwks_uri`. The engine speaks no HTTP: `serve` gives it one that does.
public protocol ClientJWKSFetching: Sendable {
    /// The document at `url` and its `Cache-Control: max-age`, if any.
    /// - Throws: Anything: a failed fetch keeps the keys already known.
    func fetchJWKS(_ url: String) async throws -> (document: Data, maxAge: TimeInterval?)
}

/// One usable key of a client: its `kid`, its one algorithm, and jwt-kit's collection holding it alone.
public struct ClientKey: Sendable {
    /// The key's id, if the JWK has one.
    public let kid: String?
    /// The one algorithm this key verifies (never taken from a token: jwt-kit pitfall 2 in docs/dependencies.md).
    public let algorithm: String
    /// A collection with this key only, so that jwt-kit cannot fall back to another (pitfall 1).
    let collection: JWTKeyCollection
}

/// The public keys of `private_key_jwt` clients: parsed from the registered `jwks`, or fetched from `jwks_uri`
/// and kept as the verifier keeps Rotor's — for the document's `max-age` (1 minute to 1 hour, 5 minutes without
/// one), refetched at once for an unknown `kid` but at most once per ``unknownKeyRefetchInterval``, one fetch at a
/// time per URL, and the old keys kept when a fetch fails.
public final class ClientKeySets: Sendable {
    /// How often an unknown `kid` may cause a fetch of one URL: a key rotation at the client is picked up at once,
    /// and made-up `kid`s cannot make Rotor hammer the client's server.
    public let unknownKeyRefetchInterval: TimeInterval
    /// At most this many clients' keys are kept; beyond it the cache starts over.
    static let capacity = 1_024

    private struct Remote: Sendable {
        var keys: [ClientKey] = []
        var expiresAt: Date = .distantPast
        var lastFetch: Date = .distantPast
        var inflight: Task<[ClientKey], any Error>?
    }

    private struct State: Sendable {
        /// Inline sets by their JSON text (a client registered again with other keys is another entry).
        var inline: [String: [ClientKey]] = [:]
        var remote: [String: Remote] = [:]
    }

    private let fetcher: (any ClientJWKSFetching)?
    private let state = Mutex(State())

    /// Creates the cache.
    /// - Parameters:
    ///   - fetcher: What fetches `jwks_uri` documents; without one, only registered `jwks` work.
    ///   - unknownKeyRefetchInterval: The least time between fetches of one URL for an unknown `kid`.
    public init(fetcher: (any ClientJWKSFetching)?, unknownKeyRefetchInterval: TimeInterval = 30) {
        self.fetcher = fetcher
        self.unknownKeyRefetchInterval = unknownKeyRefetchInterval
    }

    /// The key of `client` that `kid` names — or, with no `kid`, its only key.
    /// - Throws: ``ClientAssertion/Refusal/unknownKey``.
    func key(of client: ClientRecord, kid: String?, now: Date) async throws(ClientAssertion.Refusal) -> ClientKey {
        if let jwks = client.metadata.jwks {
            guard let key = Self.pick(try await inlineKeys(jwks), kid: kid) else { throw .unknownKey }
            return key
        }
        guard let url = client.metadata.jwksURI, let fetcher else { throw .unknownKey }
        let (known, fetch) = state.withLock { state -> (ClientKey?, Task<[ClientKey], any Error>?) in
            let remote = state.remote[url] ?? Remote()
            let known = Self.pick(remote.keys, kid: kid)
            if let known, remote.expiresAt > now { return (known, nil) }
            if let running = remote.inflight { return (known, running) }
            guard now.timeIntervalSince(remote.lastFetch) >= unknownKeyRefetchInterval else { return (known, nil) }
            return (known, startFetch(url, fetcher: fetcher, now: now, in: &state))
        }
        guard let fetch else {
            guard let known else { throw .unknownKey }
            return known
        }
        let keys: [ClientKey]
        do {
            keys = try await fetch.value
        } catch {
            // Known keys outlive a failed fetch: the client's server being down must not lock the client out.
            if let known { return known }
            throw .unknownKey
        }
        // A key the fetched set no longer has was withdrawn by the client: it is not used again.
        guard let key = Self.pick(keys, kid: kid) else { throw .unknownKey }
        return key
    }

    private static func pick(_ keys: [ClientKey], kid: String?) -> ClientKey? {
        guard let kid else { return keys.count == 1 ? keys[0] : nil }
        return keys.first { $0.kid == kid }
    }

    private func inlineKeys(_ jwks: String) async -> [ClientKey] {
        if let known = state.withLock({ $0.inline[jwks] }) { return known }
        let keys = await Self.keys(of: Data(jwks.utf8))
        state.withLock { state in
            if state.inline.count >= Self.capacity { state.inline.removeAll(keepingCapacity: true) }
            state.inline[jwks] = keys
        }
        return keys
    }

    /// Starts the one fetch of `url` that every caller until it ends awaits, so that a burst of first requests
    /// costs one fetch. It is a future, not a stray task: it ends with the fetch and clears itself.
    private func startFetch(
        _ url: String,
        fetcher: any ClientJWKSFetching,
        now: Date,
        in state: inout State
    ) -> Task<[ClientKey], any Error> {
        if state.remote.count >= Self.capacity { state.remote.removeAll(keepingCapacity: true) }
        let task = Task { [self] in
            defer { self.state.withLock { $0.remote[url]?.inflight = nil } }
            let (document, maxAge) = try await fetcher.fetchJWKS(url)
            let keys = await Self.keys(of: document)
            let age = min(3_600, max(60, maxAge ?? 300))
            self.state.withLock { state in
                state.remote[url, default: Remote()].keys = keys
                state.remote[url, default: Remote()].expiresAt = now.addingTimeInterval(age)
            }
            return keys
        }
        state.remote[url, default: Remote()].inflight = task
        state.remote[url, default: Remote()].lastFetch = now
        return task
    }

    /// The usable keys of a JWK set: public keys of an allowed kind, each with its one algorithm.
    static func keys(of document: Data) async -> [ClientKey] {
        // Key by key: one that jwt-kit cannot read (an algorithm it does not know) does not hide the others.
        guard let object = try? JSONSerialization.jsonObject(with: document) as? [String: Any],
            let members = object["keys"] as? [Any]
        else { return [] }
        var keys: [ClientKey] = []
        for case let member as [String: Any] in members.prefix(32) {
            // A key published for encryption is not one for signatures (RFC 7517 §4.2).
            if let use = member["use"] as? String, use != "sig" { continue }
            guard let data = try? JSONSerialization.data(withJSONObject: member),
                var jwk = try? JSONDecoder().decode(JWK.self, from: data),
                let algorithm = algorithm(of: jwk), let alg = JWK.Algorithm(rawValue: algorithm)
            else { continue }
            jwk.algorithm = alg
            guard let collection = try? await JWTKeyCollection().add(jwk: jwk) else { continue }
            keys.append(ClientKey(kid: jwk.keyIdentifier?.string, algorithm: algorithm, collection: collection))
        }
        return keys
    }

    /// The one algorithm a JWK verifies: its `alg` when that fits its key type, else the usual one for the type
    /// (RSA: RS256, P-256: ES256, Ed25519: EdDSA). Nil for private keys, symmetric keys and any other kind.
    package static func algorithm(of jwk: JWK) -> String? {
        guard jwk.privateExponent == nil else { return nil }
        let kind: [String]
        switch (jwk.keyType.rawValue, jwk.curve?.rawValue) {
        case ("RSA", _): kind = ["RS256", "PS256"]
        case ("EC", "P-256"): kind = ["ES256"]
        case ("OKP", "Ed25519"): kind = ["EdDSA"]
        default: return nil
        }
        guard let alg = jwk.algorithm?.rawValue else { return kind[0] }
        return kind.contains(alg) ? alg : nil
    }
}
