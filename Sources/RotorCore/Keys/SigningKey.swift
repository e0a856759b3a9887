import Crypto
import CryptoExtras
public import Foundation
import JWTKit
import RotorJWT

/// The signature algorithms Rotor signs access tokens with (`ROTOR_SIGNING_ALG`).
public enum SigningAlgorithm: String, Sendable, CaseIterable {
    /// ECDSA on P-256 with SHA-256: the default (fastest verification on Linux, widest client support).
    case es256 = "ES256"
    /// Ed25519 (RFC 8037).
    case eddsa = "EdDSA"
    /// RSA PKCS#1 v1.5 with SHA-256, 2048-bit keys: for verifiers that know nothing else (RFC 9068 requires it).
    case rs256 = "RS256"
}

/// One usable signing key: its id, algorithm, private key and public JWK.
public struct SigningKey: Sendable {
    private enum Material: Sendable {
        case es256(ES256PrivateKey)
        case eddsa(EdDSA.PrivateKey)
        case rs256(JWTKit.Insecure.RSA.PrivateKey)
    }

    /// The `kid`.
    public let kid: String
    /// The algorithm it signs with (one algorithm per key, RFC 8725 §3.1).
    public let algorithm: SigningAlgorithm
    private let material: Material

    /// Makes a new key.
    /// - Parameters:
    ///   - algorithm: The algorithm.
    ///   - now: Creation time, which goes into the `kid` for operators.
    /// - Throws: If the platform cannot make the key.
    public static func generate(_ algorithm: SigningAlgorithm, now: Date) throws -> SigningKey {
        let day = now.rfc3339.prefix(10).replacingOccurrences(of: "-", with: "")
        let kid = "\(algorithm.rawValue.lowercased())-\(day)-\(SecureRandom.identifier(byteCount: 8))"
        let material: Material =
            switch algorithm {
            case .es256: .es256(ES256PrivateKey())
            case .eddsa: .eddsa(try EdDSA.PrivateKey(curve: .ed25519))
            case .rs256:
                .rs256(try JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048)))
            }
        return SigningKey(kid: kid, algorithm: algorithm, material: material)
    }

    /// Loads a key from its PEM.
    /// - Throws: ``KeyError`` when the algorithm is unknown or the PEM unreadable.
    public init(kid: String, algorithm name: String, pem: String) throws {
        guard let algorithm = SigningAlgorithm(rawValue: name) else { throw KeyError.unsupportedAlgorithm(name) }
        do {
            let material: Material =
                switch algorithm {
                case .es256: .es256(try ES256PrivateKey(pem: pem))
                case .eddsa: .eddsa(try EdDSA.PrivateKey(pem: pem))
                case .rs256: .rs256(try JWTKit.Insecure.RSA.PrivateKey(pem: pem))
                }
            self.init(kid: kid, algorithm: algorithm, material: material)
        } catch {
            throw KeyError.unreadableKey(kid: kid)
        }
    }

    private init(kid: String, algorithm: SigningAlgorithm, material: Material) {
        self.kid = kid
        self.algorithm = algorithm
        self.material = material
    }

    /// The private key as PEM. A secret: it goes only to the store (encrypted when a master key is set).
    public var pem: String {
        switch material {
        case .es256(let key): key.pemRepresentation
        case .eddsa(let key): key.pemRepresentation
        case .rs256(let key): key.pemRepresentation
        }
    }

    /// Adds the key to a jwt-kit collection under its `kid`, with Rotor's serializer (integer dates).
    func add(to collection: JWTKeyCollection, serializer: some JWTSerializer) async {
        let id = JWKIdentifier(string: kid)
        switch material {
        case .es256(let key): await collection.add(ecdsa: key, kid: id, serializer: serializer)
        case .eddsa(let key): await collection.add(eddsa: key, kid: id, serializer: serializer)
        case .rs256(let key): await collection.add(rsa: key, digestAlgorithm: .sha256, kid: id, serializer: serializer)
        }
    }

    /// The public half as a JWK with `alg`, `kid` and `use` (never any private member).
    public var publicJWK: PublicJWK {
        var jwk = PublicJWK(kty: "", use: "sig", alg: algorithm.rawValue, kid: kid)
        switch material {
        case .es256(let key):
            jwk.kty = "EC"
            jwk.crv = "P-256"
            jwk.x = key.publicKey.parameters?.x
            jwk.y = key.publicKey.parameters?.y
        case .eddsa(let key):
            jwk.kty = "OKP"
            jwk.crv = "Ed25519"
            jwk.x = Base64URL.encode(key.publicKey.rawRepresentation)
        case .rs256(let key):
            jwk.kty = "RSA"
            if let primitives = try? key.publicKey.getKeyPrimitives() {
                jwk.n = Base64URL.encode(primitives.modulus)
                jwk.e = Base64URL.encode(primitives.publicExponent)
            }
        }
        return jwk
    }
}

/// Errors about signing keys; each description is the one line `rotor` prints before it stops.
public enum KeyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stored key names an algorithm this build does not know.
    case unsupportedAlgorithm(String)
    /// A stored key cannot be parsed.
    case unreadableKey(kid: String)
    /// The store holds no current key.
    case noCurrentKey
    /// The stored keys are encrypted and no master key is set.
    case masterKeyRequired
    /// The master key does not open the stored keys.
    case masterKeyMismatch

    /// The problem in one line.
    public var description: String {
        switch self {
        case .unsupportedAlgorithm(let name): "a stored signing key uses the unknown algorithm \(name)"
        case .unreadableKey(let kid): "the stored signing key \(kid) cannot be read"
        case .noCurrentKey: "the store holds no current signing key"
        case .masterKeyRequired: "the signing keys are encrypted: set ROTOR_MASTER_KEY"
        case .masterKeyMismatch:
            "ROTOR_MASTER_KEY does not open the signing keys (is it the one they were sealed with?)"
        }
    }
}

/// A public JSON Web Key as Rotor publishes it (RFC 7517), with `use` and `alg` always set.
public struct PublicJWK: Codable, Sendable, Equatable {
    /// Key type: `EC`, `OKP` or `RSA`.
    public var kty: String
    /// `sig`.
    public var use: String
    /// The one algorithm this key verifies.
    public var alg: String
    /// The key id.
    public var kid: String
    /// The curve (`EC`, `OKP`).
    public var crv: String?
    /// The x coordinate, base64url (`EC`, `OKP`).
    public var x: String?
    /// The y coordinate, base64url (`EC`).
    public var y: String?
    /// The modulus, base64url (`RSA`).
    public var n: String?
    /// The public exponent, base64url (`RSA`).
    public var e: String?

    /// Creates a JWK.
    public init(
        kty: String,
        use: String,
        alg: String,
        kid: String,
        crv: String? = nil,
        x: String? = nil,
        y: String? = nil,
        n: String? = nil,
        e: String? = nil
    ) {
        self.kty = kty
        self.use = use
        self.alg = alg
        self.kid = kid
        self.crv = crv
        self.x = x
        self.y = y
        self.n = n
        self.e = e
    }
}

/// A JWK Set document.
public struct PublicJWKSet: Codable, Sendable, Equatable {
    /// The keys.
    public var keys: [PublicJWK]
}
