public import Foundation
import JWTKit
import Logging
import RotorJWT

/// A client just registered: its record and, for a client that authenticates with a secret, that secret, which is
/// shown this once and stored only as a hash.
public struct RegisteredClient: Sendable {
    /// The client as stored.
    public var client: ClientRecord
    /// The secret, for `client_secret_basic` and `client_secret_post` clients.
    public var secret: String?
}

extension TokenEngine {
    /// The longest overlap a secret rotation allows: long enough to roll a fleet, short enough that a leaked old
    /// secret does not live on.
    public static let maxSecretOverlap: TimeInterval = 30 * 86_400

    /// Registers a client.
    /// - Parameters:
    ///   - id: The client id, or `nil` for a generated one.
    ///   - metadata: What the operator registers (checked by ``ClientRegistration/validate(id:_:)``).
    /// - Throws: ``EngineError/invalidField(name:reason:)``, ``EngineError/clientExists``.
    public func registerClient(id: String?, metadata: ClientMetadata) async throws -> RegisteredClient {
        let (id, metadata) = try ClientRegistration.validate(id: id, metadata)
        let now = clock.now().wholeSeconds
        let secret = metadata.tokenEndpointAuthMethod.usesSecret ? ClientSecret.generate() : nil
        let client = ClientRecord(
            id: id,
            metadata: metadata,
            createdAt: now,
            secrets: secret.map { [ClientSecretRecord(hash: SecretHash.of($0.text), createdAt: now)] } ?? []
        )
        do {
            try await store.createClient(client)
        } catch StoreError.clientExists {
            throw EngineError.clientExists
        }
        logger.info("client registered", metadata: ["client_id": "\(id)"])
        return RegisteredClient(client: client, secret: secret?.text)
    }

    /// Every registered client, by id.
    public func clients() async throws -> [ClientRecord] {
        try await store.clients()
    }

    /// A registered client. - Throws: ``EngineError/notFound``.
    public func client(id: String) async throws -> ClientRecord {
        guard let client = try await store.client(id: id) else { throw EngineError.notFound }
        return client
    }

    /// Deletes a client and its secrets: it can no longer authenticate, sign anyone in or refresh.
    /// - Throws: ``EngineError/notFound``.
    public func deleteClient(id: String) async throws {
        guard try await store.deleteClient(id: id) else { throw EngineError.notFound }
        clientCache.forget(id: id)
        logger.info("client deleted", metadata: ["client_id": "\(id)"])
    }

    /// Gives a client a new secret; the old ones keep working for `overlap` seconds, so that a fleet can move to
    /// the new one with no failed request.
    /// - Returns: The new secret, shown this once.
    /// - Throws: ``EngineError/notFound``; ``EngineError/invalidField(name:reason:)`` for a client that does not
    ///   authenticate with a secret, or an overlap outside 0 to 30 days.
    public func rotateClientSecret(id: String, overlap: TimeInterval) async throws -> String {
        guard (0...Self.maxSecretOverlap).contains(overlap) else {
            throw EngineError.invalidField(name: "overlap", reason: "must be from 0 to 2592000 seconds (30 days)")
        }
        let client = try await client(id: id)
        guard client.metadata.tokenEndpointAuthMethod.usesSecret else {
            throw EngineError.invalidField(
                name: "token_endpoint_auth_method",
                reason: "is \(client.metadata.tokenEndpointAuthMethod.rawValue): this client has no secret"
            )
        }
        let now = clock.now().wholeSeconds
        let secret = ClientSecret.generate()
        let record = ClientSecretRecord(hash: SecretHash.of(secret.text), createdAt: now)
        guard try await store.addClientSecret(clientId: id, record, retiringOthersAt: now + overlap) else {
            throw EngineError.notFound
        }
        clientCache.forget(id: id)
        logger.info("client secret rotated", metadata: ["client_id": "\(id)", "overlap_seconds": "\(Int(overlap))"])
        return secret.text
    }

    /// Authenticates a client at the token endpoint by its registered method: the secret methods compare in
    /// constant time against every live secret (two during a rotation's overlap); `none` is a public client's
    /// `client_id` alone; `private_key_jwt` is an assertion signed by a key of the client's JWKS, used once.
    /// - Throws: ``EngineError/invalidClient(basic:)`` for an unknown client, a method other than the registered one,
    ///   or a wrong secret — one answer for all; ``EngineError/rateLimited(retryAfter:)`` instead once a client id
    ///   (or an IP) has failed ``ClientAuthThrottle/limit`` times in a minute.
    /// - Parameter info: The caller's IP and user agent, read only when a failure is counted (or an assertion
    ///   checked): most requests succeed, and reading them cost more than the rest of a cached client's check.
    public func authenticateClient(
        _ credentials: ClientCredentials,
        from info: @autoclosure () -> ClientInfo = ClientInfo()
    )
        async throws -> ClientRecord
    {
        let refusal = EngineError.invalidClient(basic: credentials.method == .clientSecretBasic)
        guard credentials.clientId.utf8.count <= 256 else { throw refusal }
        let now = clock.now()
        if credentials.method == .privateKeyJWT {
            return try await authenticateByAssertion(credentials, from: info(), now: now)
        }
        if let cached = clientCache.record(id: credentials.clientId, now: now),
            Self.accepts(credentials, cached, now: now)
        {
            return cached
        }
        let client = try await store.client(id: credentials.clientId)
        guard let client, Self.accepts(credentials, client, now: now) else {
            try await countClientFailure(credentials.clientId, from: info())
            logger.notice("client authentication failed", metadata: ["client_id": "\(credentials.clientId)"])
            throw refusal
        }
        clientCache.remember(client, now: now)
        return client
    }

    /// Whether `credentials` authenticate `client` by its registered method.
    static func accepts(_ credentials: ClientCredentials, _ client: ClientRecord, now: Date) -> Bool {
        guard client.metadata.tokenEndpointAuthMethod == credentials.method else { return false }
        switch credentials.method {
        case .none: return true
        case .clientSecretBasic, .clientSecretPost:
            return credentials.secret.map { ClientSecret.verify($0, against: client, at: now) } ?? false
        case .privateKeyJWT: return false
        }
    }

    /// `private_key_jwt`: the client's keys decide the signature, ``ClientAssertion`` the claims, the store the
    /// single use of `jti` (last, so that nobody can use up a `jti` with an assertion that does not verify).
    private func authenticateByAssertion(
        _ credentials: ClientCredentials,
        from info: ClientInfo,
        now: Date
    ) async throws -> ClientRecord {
        let cached = clientCache.record(id: credentials.clientId, now: now)
        let record: ClientRecord?
        if let cached { record = cached } else { record = try await store.client(id: credentials.clientId) }
        var refusal = ClientAssertion.Refusal.wrongClient
        if let client = record, client.metadata.tokenEndpointAuthMethod == .privateKeyJWT,
            let assertion = credentials.assertion
        {
            do {
                let (jti, until) = try await checkAssertion(assertion, of: client, now: now)
                let first = try await store.useClientAssertion(
                    clientId: client.id,
                    jtiHash: SecretHash.of(jti),
                    expiresAt: until,
                    now: now
                )
                guard !first else {
                    if cached == nil { clientCache.remember(client, now: now) }
                    return client
                }
                refusal = .replayed
            } catch let error as ClientAssertion.Refusal {
                refusal = error
            }
        }
        try await countClientFailure(credentials.clientId, from: info)
        logger.notice(
            "client authentication failed",
            metadata: ["client_id": "\(credentials.clientId)", "reason": "\(refusal)"]
        )
        throw EngineError.invalidClient(basic: false)
    }

    /// Verifies an assertion's header, signature and claims.
    /// - Returns: Its `jti` and until when to remember it.
    private func checkAssertion(
        _ assertion: String,
        of client: ClientRecord,
        now: Date
    ) async throws(ClientAssertion.Refusal) -> (jti: String, rememberUntil: Date) {
        guard assertion.utf8.count <= ClientAssertion.maximumLength, let header = AccessTokenHeader.parse(assertion)
        else { throw .malformed }
        // The header alone decides first: no key of its own, an allowed alg, then the key it names.
        guard header.jwk == nil, header.jku == nil, header.x5u == nil, header.x5c == nil,
            let alg = header.alg, ClientAssertion.algorithms.contains(alg)
        else { throw .algorithmNotAllowed }
        let key = try await clientKeys.key(of: client, kid: header.kid, now: now)
        guard key.algorithm == alg else { throw .algorithmNotAllowed }
        let claims: ClientAssertion.Claims
        do {
            claims = try await key.collection.verify(assertion, as: ClientAssertion.Claims.self)
        } catch {
            throw .badSignature
        }
        let issuer = configuration.issuer
        return try ClientAssertion.check(
            claims,
            clientId: client.id,
            audiences: [issuer, issuer + "/oauth/token"],
            now: now,
            leeway: configuration.leeway
        )
    }

    /// Records a failed client authentication; past the limit, the answer is `429` instead of `401`.
    private func countClientFailure(_ clientId: String, from info: ClientInfo) async throws {
        let rules = ClientAuthThrottle.rules(clientId: clientId, ip: info.ip)
        let now = clock.now()
        let reservation = try await store.reserveAttempt(rules, at: now)
        guard reservation.isReserved else {
            throw EngineError.rateLimited(
                retryAfter: configuration.throttle.retryAfter(rules, counts: reservation.counts, now: now)
            )
        }
        try await store.settleAttempt(reservation.ids)
    }
}
