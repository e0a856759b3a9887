public import Foundation
public import JWTKit
public import RotorJWT
import Synchronization

/// How a ``KeyRing`` treats the stored keys.
public struct KeyRingSettings: Sendable {
    /// The algorithm new keys get (`ROTOR_SIGNING_ALG`); a current key of another algorithm is rotated out at start.
    public var algorithm: SigningAlgorithm
    /// Seals private keys at rest when set (`ROTOR_MASTER_KEY`).
    public var masterKey: MasterKey?
    /// How long a retired key stays published: the access TTL plus the leeway.
    public var publicationWindow: TimeInterval

    /// Creates settings.
    public init(
        algorithm: SigningAlgorithm = .es256,
        masterKey: MasterKey? = nil,
        publicationWindow: TimeInterval = 930
    ) {
        self.algorithm = algorithm
        self.masterKey = masterKey
        self.publicationWindow = publicationWindow
    }
}

/// What `rotor keys list` shows of a key.
public struct SigningKeyInfo: Sendable, Equatable {
    /// Where a key is in its life.
    public enum State: String, Sendable {
        /// It signs new tokens.
        case signing
        /// Retired, still in the JWKS until the tokens it signed have expired.
        case published
        /// Out of the JWKS; `prune` deletes it.
        case expired
    }

    /// The `kid`.
    public var kid: String
    /// The algorithm.
    public var algorithm: String
    /// When it was made.
    public var createdAt: Date
    /// When a newer key replaced it.
    public var retiredAt: Date?
    /// Its state now.
    public var state: State
    /// Whether its private key is sealed with the master key.
    public var sealed: Bool
}

/// The signing keys in use: signs access tokens with the current key, verifies them with any published key, and
/// serves the JWKS document.
///
/// Keys live in the store, so a restart (or another instance) signs with the same key; ``refresh(from:now:)`` picks
/// up a rotation made elsewhere. jwt-kit's pitfalls are guarded here: the header is judged (typ, alg, kid, embedded
/// keys) before jwt-kit sees the token, so an unknown `kid` never falls back to a default key; dates are integers.
public final class KeyRing: Sendable {
    private struct Snapshot: Sendable {
        var current: SigningKey
        /// The current key of each algorithm in use (access tokens' and ID tokens').
        var currentByAlgorithm: [SigningAlgorithm: SigningKey]
        var collection: JWTKeyCollection
        var keyAlgorithms: [String: String]
        /// jwt-kit's algorithm of each published key, looked up once per snapshot rather than per token.
        var verifiers: [String: any JWTAlgorithm]
        var jwks: Data
    }

    private let snapshot: Mutex<Snapshot>
    /// The settings it was loaded with (what new keys are made with).
    public let settings: KeyRingSettings
    private let verified = VerifiedTokenCache()
    private let lastOnDemandRefresh = Mutex<Date?>(nil)

    /// Loads the keys from the store: creates the first key if there is none, rotates when the current key's
    /// algorithm is not the configured one, and seals plaintext keys once a master key is set.
    /// - Throws: ``KeyError`` (a missing or wrong master key stops here, before anything is changed), store faults.
    public static func load(
        from store: some KeyStore,
        now: Date,
        settings: KeyRingSettings = KeyRingSettings()
    )
        async throws -> KeyRing
    {
        var records = try await store.signingKeys()
        // Open every key first: a wrong master key must fail before anything is written.
        var keys = try records.map { try open($0, masterKey: settings.masterKey) }
        if let masterKey = settings.masterKey {
            for (record, key) in zip(records, keys) where !MasterKey.isSealed(record.privateKey) {
                try await store.updatePrivateKey(kid: record.kid, privateKey: try masterKey.seal(key.pem, kid: key.kid))
            }
        }
        // One current key per algorithm: the configured one signs access tokens; a changed ROTOR_SIGNING_ALG gets a
        // key of its own and the other algorithm's key stays for the ID tokens of clients that registered it.
        if !records.contains(where: { $0.retiredAt == nil && $0.algorithm == settings.algorithm.rawValue }) {
            let fresh = try SigningKey.generate(settings.algorithm, now: now)
            records = try await store.installSigningKey(
                try record(of: fresh, createdAt: now, masterKey: settings.masterKey),
                replacing: nil
            )
            keys = try records.map { try open($0, masterKey: settings.masterKey) }
        }
        return KeyRing(
            snapshot: try await makeSnapshot(records: records, keys: keys, now: now, settings: settings),
            settings: settings
        )
    }

    /// Makes a new current key for every algorithm in use, retiring each one it replaces (`rotor keys rotate`).
    /// - Returns: The `kid` of the new key of `settings.algorithm`, the one that signs access tokens.
    public static func rotate(in store: some KeyStore, now: Date, settings: KeyRingSettings) async throws -> String {
        let records = try await store.signingKeys()
        _ = try records.map { try open($0, masterKey: settings.masterKey) }  // refuse to rotate with a wrong master key
        var algorithms = [settings.algorithm.rawValue: nil as String?]
        for record in records where record.retiredAt == nil { algorithms[record.algorithm] = record.kid }
        var accessKid: String?
        for (name, current) in algorithms.sorted(by: { $0.key < $1.key }) {
            guard let algorithm = SigningAlgorithm(rawValue: name) else { continue }
            let fresh = try SigningKey.generate(algorithm, now: now)
            let after = try await store.installSigningKey(
                try record(of: fresh, createdAt: now, masterKey: settings.masterKey),
                replacing: current
            )
            guard after.contains(where: { $0.retiredAt == nil && $0.kid == fresh.kid }) else {
                throw KeyError.noCurrentKey
            }
            if algorithm == settings.algorithm { accessKid = fresh.kid }
        }
        guard let accessKid else { throw KeyError.noCurrentKey }
        return accessKid
    }

    /// Makes sure a current key of `algorithm` exists, for the ID tokens of a client that registered it; keys of
    /// other algorithms than the access tokens' are made on first use, so that a server with no such client
    /// publishes none. Instances asking at once agree on one key (the store's compare-and-swap).
    public static func ensureKey(
        _ algorithm: SigningAlgorithm,
        in store: some KeyStore,
        now: Date,
        settings: KeyRingSettings
    ) async throws {
        let records = try await store.signingKeys()
        guard !records.contains(where: { $0.retiredAt == nil && $0.algorithm == algorithm.rawValue }) else { return }
        // An RSA key takes tens of milliseconds to make: not on the caller's task, which may be a connection's
        // event loop (docs/architecture.md).
        let fresh = try await OffLoop.run { try SigningKey.generate(algorithm, now: now) }
        _ = try await store.installSigningKey(
            try record(of: fresh, createdAt: now, masterKey: settings.masterKey),
            replacing: nil
        )
    }

    /// Describes the stored keys (`rotor keys list`).
    public static func describe(
        _ records: [SigningKeyRecord],
        now: Date,
        publicationWindow: TimeInterval
    )
        -> [SigningKeyInfo]
    {
        records.map { record in
            let state: SigningKeyInfo.State =
                if let retired = record.retiredAt {
                    retired.addingTimeInterval(publicationWindow) > now ? .published : .expired
                } else {
                    .signing
                }
            return SigningKeyInfo(
                kid: record.kid,
                algorithm: record.algorithm,
                createdAt: record.createdAt,
                retiredAt: record.retiredAt,
                state: state,
                sealed: MasterKey.isSealed(record.privateKey)
            )
        }
    }

    private init(snapshot: Snapshot, settings: KeyRingSettings) {
        self.snapshot = Mutex(snapshot)
        self.settings = settings
    }

    /// Re-reads the keys, so that a rotation made by another instance or by `rotor keys rotate` takes effect and
    /// retired keys leave the JWKS once their window has passed. Keeps the current keys when the store has no
    /// current key.
    public func refresh(from store: some KeyStore, now: Date) async throws {
        let records = try await store.signingKeys()
        guard records.contains(where: { $0.retiredAt == nil }) else { return }
        let keys = try records.map { try Self.open($0, masterKey: settings.masterKey) }
        let fresh = try await Self.makeSnapshot(records: records, keys: keys, now: now, settings: settings)
        snapshot.withLock { $0 = fresh }
    }

    private static func open(_ record: SigningKeyRecord, masterKey: MasterKey?) throws -> SigningKey {
        let pem: String
        if MasterKey.isSealed(record.privateKey) {
            guard let masterKey else { throw KeyError.masterKeyRequired }
            pem = try masterKey.open(record.privateKey, kid: record.kid)
        } else {
            pem = String(decoding: record.privateKey, as: UTF8.self)
        }
        return try SigningKey(kid: record.kid, algorithm: record.algorithm, pem: pem)
    }

    private static func record(of key: SigningKey, createdAt: Date, masterKey: MasterKey?) throws -> SigningKeyRecord {
        SigningKeyRecord(
            kid: key.kid,
            algorithm: key.algorithm.rawValue,
            privateKey: try masterKey.map { try $0.seal(key.pem, kid: key.kid) } ?? Data(key.pem.utf8),
            createdAt: createdAt
        )
    }

    private static func makeSnapshot(
        records: [SigningKeyRecord],
        keys: [SigningKey],
        now: Date,
        settings: KeyRingSettings
    ) async throws -> Snapshot {
        var current: SigningKey?
        var currentByAlgorithm: [SigningAlgorithm: SigningKey] = [:]
        var published: [SigningKey] = []
        for (record, key) in zip(records, keys) {
            if record.retiredAt == nil {
                if key.algorithm == settings.algorithm { current = current ?? key }
                currentByAlgorithm[key.algorithm] = currentByAlgorithm[key.algorithm] ?? key
                published.append(key)
            } else if let retired = record.retiredAt, retired.addingTimeInterval(settings.publicationWindow) > now {
                published.append(key)
            }
        }
        guard let current else { throw KeyError.noCurrentKey }
        let serializer = DefaultJWTSerializer(jsonEncoder: AccessTokenJSONEncoder())
        let collection = JWTKeyCollection()
        for key in published {
            await key.add(to: collection, serializer: serializer)
        }
        // No default key: a token naming no known kid must fail, never fall back (docs/dependencies.md, jwt-kit pitfall 1).
        _ = await collection.clearDefault()
        var verifiers: [String: any JWTAlgorithm] = [:]
        for key in published where verifiers[key.kid] == nil {
            verifiers[key.kid] = try await collection.getKey(
                for: JWKIdentifier(string: key.kid),
                alg: key.algorithm.rawValue
            )
        }
        let jwksEncoder = JSONEncoder()
        jwksEncoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        let jwks = try jwksEncoder.encode(PublicJWKSet(keys: published.map(\.publicJWK)))
        return Snapshot(
            current: current,
            currentByAlgorithm: currentByAlgorithm,
            collection: collection,
            keyAlgorithms: Dictionary(published.map { ($0.kid, $0.algorithm.rawValue) }) { first, _ in first },
            verifiers: verifiers,
            jwks: jwks
        )
    }

    /// The `kid` of the key that signs now.
    public var currentKid: String { snapshot.withLock { $0.current.kid } }

    /// The algorithm of the key that signs now.
    public var currentAlgorithm: SigningAlgorithm { snapshot.withLock { $0.current.algorithm } }

    /// The `kid`s in the JWKS.
    public var publishedKids: [String] { snapshot.withLock { Array($0.keyAlgorithms.keys) } }

    /// The JWKS document (public parts only).
    public var jwksDocument: Data { snapshot.withLock { $0.jwks } }

    /// Signs access-token claims with the current key, with `typ: at+jwt` and `kid` in the header.
    /// - Parameter claims: The claims, with whole-second dates.
    /// - Returns: The compact JWS.
    public func sign(_ claims: AccessTokenClaims) async throws -> String {
        let (collection, kid) = snapshot.withLock { ($0.collection, $0.current.kid) }
        var header = JWTHeader()
        header.typ = AccessTokenRules.tokenType
        return try await collection.sign(claims, kid: JWKIdentifier(string: kid), header: header)
    }

    /// Signs another kind of JWT with the current key (the revocation feed), with its own `typ`, so that no verifier
    /// can take it for an access token.
    /// - Parameters:
    ///   - payload: The claims.
    ///   - type: The `typ` header, e.g. `revocations+jwt`.
    /// - Returns: The compact JWS.
    public func sign(_ payload: some JWTPayload, type: String) async throws -> String {
        precondition(type != AccessTokenRules.tokenType, "only access tokens are at+jwt")
        let (collection, kid) = snapshot.withLock { ($0.collection, $0.current.kid) }
        var header = JWTHeader()
        header.typ = type
        return try await collection.sign(payload, kid: JWKIdentifier(string: kid), header: header)
    }

    /// Whether a current key of `algorithm` is loaded; when not, ``ensureKey(_:in:now:settings:)`` and
    /// ``refresh(from:now:)`` make one.
    public func hasKey(for algorithm: SigningAlgorithm) -> Bool {
        snapshot.withLock { $0.currentByAlgorithm[algorithm] != nil }
    }

    /// Signs a JWT that is not an access token with the current key of `algorithm` (ID tokens, logout tokens).
    /// - Throws: ``KeyError/noCurrentKey`` when this ring has no key of that algorithm yet.
    public func sign(_ payload: some JWTPayload, type: String, algorithm: SigningAlgorithm) async throws -> String {
        precondition(type != AccessTokenRules.tokenType, "only access tokens are at+jwt")
        guard
            let (collection, kid) = snapshot.withLock({ snapshot in
                snapshot.currentByAlgorithm[algorithm].map { (snapshot.collection, $0.kid) }
            })
        else { throw KeyError.noCurrentKey }
        var header = JWTHeader()
        header.typ = type
        return try await collection.sign(payload, kid: JWKIdentifier(string: kid), header: header)
    }

    /// Verifies an ID token Rotor signed (an RP-initiated logout's `id_token_hint`): `typ: JWT`, a published key
    /// of its algorithm, the signature, the issuer. Its expiry is not judged: a hint may be old (RP-Initiated
    /// Logout 1.0 §2).
    /// - Returns: The claims, or nil for anything else (an access token, a logout token, a forgery).
    public func verifyIDToken(_ token: String, issuer: String) async -> IDTokenClaims? {
        guard token.utf8.count <= ReceivedAccessToken.maximumLength,
            let header = AccessTokenHeader.parse(token), header.typ == IDTokenClaims.type,
            header.jwk == nil, header.jku == nil, header.x5u == nil, header.x5c == nil,
            let kid = header.kid, let alg = header.alg
        else { return nil }
        let (collection, algorithms) = snapshot.withLock { ($0.collection, $0.keyAlgorithms) }
        guard algorithms[kid] == alg, let claims = try? await collection.verify(token, as: IDTokenClaims.self),
            claims.iss == issuer
        else { return nil }
        return claims
    }

    /// Verifies an access token completely: header rules, signature, then claims.
    /// - Parameters:
    ///   - token: The compact JWS.
    ///   - rules: Issuer, audience and leeway.
    ///   - now: The current time.
    /// - Returns: The verified claims.
    /// - Throws: ``AccessTokenRejection`` naming the first rule broken.
    public func verify(
        _ token: String,
        rules: AccessTokenRules,
        now: Date
    ) async throws(AccessTokenRejection)
        -> AccessTokenClaims
    {
        guard token.utf8.count <= ReceivedAccessToken.maximumLength else { throw .malformed }
        let (verifiers, algorithms) = snapshot.withLock { ($0.verifiers, $0.keyAlgorithms) }
        if let claims = verified.claims(of: token, publishedKids: algorithms) {
            try rules.checkClaims(claims, now: now)
            return claims
        }
        let received = try ReceivedAccessToken(token)
        let kid = try rules.checkHeader(received.header, keyAlgorithms: algorithms)
        guard let verifier = verifiers[kid] else { throw .unknownKey }
        let claims = try received.claims(verifiedBy: verifier)
        try rules.checkClaims(claims, now: now)
        verified.insert(token, claims: claims, kid: kid, now: now)
        return claims
    }

    /// Whether a token with an unknown `kid` may make this ring re-read the store now: at most once a second, so
    /// that forged `kid`s cannot turn into a flood of reads.
    /// - Parameter now: The current time.
    /// - Returns: True once per second at most; the caller then refreshes.
    public func claimOnDemandRefresh(now: Date) -> Bool {
        lastOnDemandRefresh.withLock { last in
            if let last, now.timeIntervalSince(last) < 1 { return false }
            last = now
            return true
        }
    }

    /// How many verified tokens are remembered (see ``VerifiedTokenCache``), for tests.
    package var verifiedTokenCount: Int { verified.count }
}
