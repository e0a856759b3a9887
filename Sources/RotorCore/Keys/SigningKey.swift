import JWTKit
import RotorJWT

public import Foundation

/// The signature algorithms Rotor signs access tokens with.
public enum SigningAlgorithm: String, Sendable, CaseIterable {
    /// ECDSA on P-256 with SHA-256: the default (fastest verification on Linux, widest client support).
    case es256 = "ES256"
}

/// One usable signing key: its id, algorithm, private key and public JWK.
public struct SigningKey: Sendable {
    /// The `kid`.
    public let kid: String
    /// The algorithm it signs with (one algorithm per key, RFC 8725 §3.1).
    public let algorithm: SigningAlgorithm
    let es256: ES256PrivateKey

    /// Makes a new key.
    /// - Parameters:
    ///   - algorithm: The algorithm.
    ///   - now: Creation time, which goes into the `kid` for operators.
    public static func generate(_ algorithm: SigningAlgorithm, now: Date) -> SigningKey {
        let day = now.rfc3339.prefix(10).replacingOccurrences(of: "-", with: "")
        let kid = "\(algorithm.rawValue.lowercased())-\(day)-\(SecureRandom.identifier(byteCount: 8))"
        return SigningKey(kid: kid, algorithm: algorithm, es256: ES256PrivateKey())
    }

    /// Loads a stored key.
    /// - Throws: ``KeyError`` when the record cannot be read.
    public init(record: SigningKeyRecord) throws {
        guard let algorithm = SigningAlgorithm(rawValue: record.algorithm) else {
            throw KeyError.unsupportedAlgorithm(record.algorithm)
        }
        do {
            self.init(
                kid: record.kid,
                algorithm: algorithm,
                es256: try ES256PrivateKey(pem: String(decoding: record.privateKey, as: UTF8.self))
            )
        } catch {
            throw KeyError.unreadableKey(kid: record.kid)
        }
    }

    private init(kid: String, algorithm: SigningAlgorithm, es256: ES256PrivateKey) {
        self.kid = kid
        self.algorithm = algorithm
        self.es256 = es256
    }

    /// The record to store.
    public func record(createdAt: Date) -> SigningKeyRecord {
        SigningKeyRecord(
            kid: kid,
            algorithm: algorithm.rawValue,
            privateKey: Data(es256.pemRepresentation.utf8),
            createdAt: createdAt
        )
    }

    /// The public half as a JWK with `alg`, `kid` and `use` (never any private member).
    public var publicJWK: PublicJWK {
        let parameters = es256.publicKey.parameters
        return PublicJWK(kty: "EC", use: "sig", alg: algorithm.rawValue, kid: kid, crv: "P-256",
                         x: parameters?.x, y: parameters?.y)
    }
}

/// Errors about signing keys.
public enum KeyError: Error, Sendable, Equatable {
    /// A stored key names an algorithm this build does not know.
    case unsupportedAlgorithm(String)
    /// A stored key cannot be parsed.
    case unreadableKey(kid: String)
    /// The store holds no current key.
    case noCurrentKey
}

/// A public JSON Web Key as Rotor publishes it (RFC 7517), with `use` and `alg` always set.
public struct PublicJWK: Codable, Sendable, Equatable {
    /// Key type, `EC`.
    public var kty: String
    /// `sig`.
    public var use: String
    /// The one algorithm this key verifies.
    public var alg: String
    /// The key id.
    public var kid: String
    /// The curve.
    public var crv: String?
    /// The x coordinate, base64url.
    public var x: String?
    /// The y coordinate, base64url.
    public var y: String?
}

/// A JWK Set document.
public struct PublicJWKSet: Codable, Sendable, Equatable {
    /// The keys.
    public var keys: [PublicJWK]
}
