import AsyncHTTPClient
import CoreMetrics
import Foundation
import JWTKit
import Logging
import NIOCore
import NIOHTTP1
import RotorJWT
import Synchronization

/// The sessions that ended recently, as Rotor's revocation feed (`GET /v1/revocations`) lists them.
///
/// The feed is a JWT signed by Rotor's current key (`typ: revocations+jwt`), so that it verifies with the JWKS the
/// verifier already trusts: nobody can add or remove a session on the way. Entries leave once no access token of
/// theirs can still be valid (the feed's `horizon`).
final class RevocationList: Sendable {
    private struct State: Sendable {
        var ended: [String: Date] = [:]
        var serverNow: Date?
        /// The local time of the last good read (nil: none yet; then the age counts from `created`).
        var lastPoll: Date?
        var polls = 0
        var reportedStale = false
    }

    /// The feed's claims.
    struct Feed: JWTPayload {
        struct Entry: Codable, Sendable {
            var sid: String
            var at: Int64
        }

        var iss: String
        var iat: Int64
        var since: Int64
        var horizon: Int64
        var revoked: [Entry]

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    private let state = Mutex(State())
    private let created = Date()
    private let feed: RevocationFeedConfiguration
    private let configuration: VerifierConfiguration
    private let keys: JWKSCache
    private let http: HTTPClient
    private let logger: Logger

    init(
        feed: RevocationFeedConfiguration,
        configuration: VerifierConfiguration,
        keys: JWKSCache,
        http: HTTPClient,
        logger: Logger
    ) {
        self.feed = feed
        self.configuration = configuration
        self.keys = keys
        self.http = http
        self.logger = logger
    }

    /// Whether the session has ended.
    func contains(_ sessionId: String) -> Bool {
        state.withLock { $0.ended[sessionId] != nil }
    }

    /// How many times the feed was read successfully (for tests).
    var pollCount: Int { state.withLock { $0.polls } }

    /// Seconds since the last good read of the feed (since the verifier was made, before the first).
    func age(now: Date) -> TimeInterval {
        let last = state.withLock { $0.lastPoll } ?? created
        return max(0, now.timeIntervalSince(last))
    }

    /// Whether the feed is too old to rely on at `now`, by the configured fail-closed bound.
    func failsClosed(now: Date) -> Bool {
        guard let bound = feed.failClosedAfter else { return false }
        return age(now: now) > bound
    }

    /// The feed's state at `now`.
    func health(now: Date) -> RevocationFeedHealth {
        let age = age(now: now)
        return age > feed.staleAfter ? .stale(age: age) : .current(age: age)
    }

    /// Reads the feed once: sessions ended since the last read (with one poll interval of overlap).
    func poll() async throws {
        let since = state.withLock { state in
            state.serverNow.map { Int64($0.timeIntervalSince1970 - feed.pollInterval - 1) } ?? 0
        }
        var request = HTTPClientRequest(url: feed.url + (feed.url.contains("?") ? "&" : "?") + "since=\(since)")
        request.headers.add(name: "Accept", value: "application/jwt")
        let response = try await http.execute(request, timeout: .seconds(10))
        guard response.status == .ok else { throw JWKSError.status(Int(response.status.code)) }
        let body = try await response.body.collect(upTo: 8 << 20)
        let token = String(buffer: body)
        let claims = try await verify(token)
        let now = Date(timeIntervalSince1970: TimeInterval(claims.iat))
        state.withLock { state in
            for entry in claims.revoked {
                state.ended[entry.sid] = Date(timeIntervalSince1970: TimeInterval(entry.at))
            }
            // Older entries can no longer have a valid access token.
            let horizon = now.addingTimeInterval(-TimeInterval(claims.horizon))
            state.ended = state.ended.filter { $0.value >= horizon }
            state.serverNow = now
            state.lastPoll = Date()
            state.polls += 1
        }
    }

    private func verify(_ token: String) async throws -> Feed {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        struct Header: Decodable {
            var typ: String?
            var alg: String?
            var kid: String?
        }
        guard parts.count == 3, let headerData = Base64URL.decode(String(parts[0])),
            let header = try? JSONDecoder().decode(Header.self, from: headerData),
            header.typ == "revocations+jwt", let kid = header.kid, let alg = header.alg,
            let payloadData = Base64URL.decode(String(parts[1])), let signature = Base64URL.decode(String(parts[2]))
        else { throw RevocationFeedError.malformed }
        let key = try await keys.key(kid, now: Date())
        guard key.algorithm == alg, try key.verifier.verify(signature, signs: Array("\(parts[0]).\(parts[1])".utf8))
        else { throw RevocationFeedError.badSignature }
        let claims = try JSONDecoder().decode(Feed.self, from: payloadData)
        guard claims.iss == configuration.issuer else { throw RevocationFeedError.wrongIssuer }
        // A replayed old feed would hide newer logouts: refuse one older than a few intervals.
        guard abs(Date().timeIntervalSince1970 - TimeInterval(claims.iat)) <= max(60, 3 * feed.pollInterval) else {
            throw RevocationFeedError.stale
        }
        return claims
    }

    /// Reads the feed every poll interval until cancelled; a failed read is logged and retried at the next tick.
    /// The feed's age goes to the `rotor_verifier_revocation_feed_age_seconds` gauge at every tick, and its turning
    /// stale (and current again) to the log: a feed that stops updating turns revocation off, which nobody should
    /// learn from an incident.
    func run() async {
        let gauge = Gauge(label: "rotor_verifier_revocation_feed_age_seconds")
        while !Task.isCancelled {
            do {
                try await poll()
            } catch is CancellationError {
                return
            } catch {
                logger.warning("cannot read Rotor's revocation feed", metadata: ["error": "\(error)"])
            }
            let now = Date()
            let age = age(now: now)
            gauge.record(age)
            let stale = age > feed.staleAfter
            let changed = state.withLock { state in
                defer { state.reportedStale = stale }
                return state.reportedStale != stale
            }
            if changed && stale {
                logger.error(
                    "Rotor's revocation feed is stale: logouts older than its age are not enforced here",
                    metadata: [
                        "age_seconds": "\(Int(age))",
                        "fail_closed_after": "\(feed.failClosedAfter.map { "\(Int($0))" } ?? "never")",
                    ]
                )
            } else if changed {
                logger.notice("Rotor's revocation feed is current again", metadata: ["age_seconds": "\(Int(age))"])
            }
            try? await Task.sleep(for: .seconds(feed.pollInterval))
        }
    }
}

/// Why a revocation feed was not used.
enum RevocationFeedError: Error {
    case malformed
    case badSignature
    case wrongIssuer
    case stale
}
