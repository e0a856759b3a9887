import Crypto
public import Foundation

/// Mints positioned refresh tokens and recognises them: a 128-bit HMAC-SHA256 tag over the session id and the
/// generation, under a key every instance shares (kept in the store, sealed by `ROTOR_MASTER_KEY` when set).
///
/// A token whose row was pruned after its use is still recognised as generation *g* of session *S*, so presenting
/// it while *S* lives at a later generation is reuse, and ends *S*: a thief who keeps a stolen session alive is
/// caught whenever the victim comes back, however long after. The tag cannot be made without the key, so nobody
/// can end a session by guessing its id (which every access token shows as `sid`); the key cannot make a usable
/// token either, because a token is usable only if its hash is the session's current one.
public struct RefreshTokenTagger: Sendable {
    /// Tag length in bytes (128 bits).
    static let tagBytes = 16
    /// The store's name for the key.
    public static let secretName = "refresh-token-tag-v1"

    private let key: SymmetricKey

    /// Creates a tagger with a 32-byte key.
    public init(key: Data) {
        self.key = SymmetricKey(data: key)
    }

    /// The store's shared key, made by the first instance that asks (and sealed by the master key, if any).
    /// - Throws: ``KeyError/masterKeyRequired`` when the stored key is sealed and no master key is set,
    ///   ``KeyError/masterKeyMismatch`` when another master key sealed it.
    public static func load(from store: any SecretStore, masterKey: MasterKey?) async throws -> RefreshTokenTagger {
        let fresh = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let candidate = try masterKey.map { try $0.seal(fresh.base64EncodedString(), kid: secretName) } ?? fresh
        let stored = try await store.secret(named: secretName, orInsert: candidate)
        let raw: Data
        if MasterKey.isSealed(stored) {
            guard let masterKey else { throw KeyError.masterKeyRequired }
            guard let opened = Data(base64Encoded: try masterKey.open(stored, kid: secretName)) else {
                throw KeyError.masterKeyMismatch
            }
            raw = opened
        } else {
            raw = stored
        }
        guard raw.count == 32 else { throw KeyError.unreadableKey(kid: secretName) }
        return RefreshTokenTagger(key: raw)
    }

    /// A new positioned token for generation `generation` of a session.
    public func token(session: String, generation: Int) -> RefreshToken {
        var position = RefreshTokenPosition(sessionId: session, generation: generation, tag: [])
        position.tag = tag(position.prefixBytes)
        return .positioned(position, secret: SecureRandom.bytes(RefreshToken.entropyBytes))
    }

    /// Whether a presented token's position was made by this key (plain tokens have none: false).
    public func recognises(_ token: RefreshToken) -> Bool {
        guard let position = token.position else { return false }
        let expected = tag(position.prefixBytes)
        // Constant time: a tag is a MAC.
        return expected.count == position.tag.count
            && zip(expected, position.tag).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private func tag(_ covered: [UInt8]) -> [UInt8] {
        var mac = HMAC<SHA256>(key: key)
        mac.update(data: Data("rotor/refresh-token/v2".utf8))
        mac.update(data: covered)
        return Array(Data(mac.finalize()).prefix(Self.tagBytes))
    }
}
