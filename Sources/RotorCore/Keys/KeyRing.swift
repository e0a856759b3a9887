import JWTKit
public import RotorJWT
import Synchronization

public import Foundation

/// The signing keys in use: signs access tokens with the current key, verifies them with any published key, and
/// serves the JWKS document.
///
/// Keys live in the store, so a restart (or another instance) signs with the same key. jwt-kit's pitfalls are
/// guarded here: the header is judged (typ, alg, kid, embedded keys) before jwt-kit sees the token, so an
/// unknown `kid` never falls back to a default key; dates are encoded as integers.
public final class KeyRing: Sendable {
    private struct Snapshot: Sendable {
        var current: SigningKey
        var collection: JWTKeyCollection
        var keyAlgorithms: [String: String]
        var jwks: Data
    }

    private let snapshot: Mutex<Snapshot>

    /// Loads the keys from the store, creating the first key if there is none.
    /// - Parameters:
    ///   - store: Where keys are kept.
    ///   - now: The current time.
    /// - Throws: ``KeyError`` or a store fault.
    public static func load(from store: some KeyStore, now: Date) async throws -> KeyRing {
        var records = try await store.signingKeys()
        if !records.contains(where: { $0.retiredAt == nil }) {
            let fresh = SigningKey.generate(.es256, now: now)
            records = try await store.insertSigningKeyIfNoneCurrent(fresh.record(createdAt: now))
        }
        let keys = try records.map(SigningKey.init(record:))
        guard let current = zip(records, keys).first(where: { $0.0.retiredAt == nil })?.1 else {
            throw KeyError.noCurrentKey
        }
        return KeyRing(snapshot: try await Self.makeSnapshot(current: current, all: keys))
    }

    private init(snapshot: Snapshot) {
        self.snapshot = Mutex(snapshot)
    }

    private static func makeSnapshot(current: SigningKey, all: [SigningKey]) async throws -> Snapshot {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .integerSecondsSince1970
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let serializer = DefaultJWTSerializer(jsonEncoder: encoder)
        let collection = JWTKeyCollection()
        for key in all {
            switch key.algorithm {
            case .es256:
                await collection.add(ecdsa: key.es256, kid: JWKIdentifier(string: key.kid), serializer: serializer)
            }
        }
        // No default key: a token naming no known kid must fail, never fall back (STACK.md §2, pitfall 1).
        _ = await collection.clearDefault()
        let jwksEncoder = JSONEncoder()
        jwksEncoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        let jwks = try jwksEncoder.encode(PublicJWKSet(keys: all.map(\.publicJWK)))
        return Snapshot(
            current: current,
            collection: collection,
            keyAlgorithms: Dictionary(uniqueKeysWithValues: all.map { ($0.kid, $0.algorithm.rawValue) }),
            jwks: jwks
        )
    }

    /// The `kid` of the key that signs now.
    public var currentKid: String { snapshot.withLock { $0.current.kid } }

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

    /// Verifies an access token completely: header rules, signature, then claims.
    /// - Parameters:
    ///   - token: The compact JWS.
    ///   - rules: Issuer, audience and leeway.
    ///   - now: The current time.
    /// - Returns: The verified claims.
    /// - Throws: ``AccessTokenRejection`` naming the first rule broken.
    public func verify(_ token: String, rules: AccessTokenRules, now: Date) async throws(AccessTokenRejection)
        -> AccessTokenClaims
    {
        guard token.utf8.count <= 8192, let header = AccessTokenHeader.parse(token) else { throw .malformed }
        let (collection, algorithms) = snapshot.withLock { ($0.collection, $0.keyAlgorithms) }
        _ = try rules.checkHeader(header, keyAlgorithms: algorithms)
        let claims: AccessTokenClaims
        do {
            claims = try await collection.verify(token, as: AccessTokenClaims.self)
        } catch {
            throw .badSignature
        }
        try rules.checkClaims(claims, now: now)
        return claims
    }
}
