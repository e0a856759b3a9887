import Crypto
public import Foundation
import RotorJWT

/// An opaque refresh token: `rtr_` followed by base64url.
///
/// Two formats, told apart by length:
/// - **positioned** (95 characters, every token Rotor issues): 16 bytes of session id, the 4-byte generation, 256
///   random bits, and a 128-bit tag by which Rotor's ``RefreshTokenTagger`` recognises the session and generation
///   without any row, so that reuse is caught for as long as the session lives, even after its used tokens were
///   pruned;
/// - **plain** (47 characters): 256 random bits only, as issued before positioned tokens; still accepted, and the
///   first refresh of such a session hands out positioned ones.
///
/// The prefix lets secret scanners recognise a leaked token and lets Rotor refuse garbage before any database
/// access. Only ``hash`` is ever stored, so a copy of the database yields no usable token: the tag says where a
/// token stood in its chain, not what it was.
public struct RefreshToken: Sendable, Equatable {
    /// The prefix of every refresh token.
    public static let prefix = "rtr_"
    /// The random part's length in bytes.
    public static let entropyBytes = 32
    /// The length of a plain token: the prefix plus 43 base64url characters.
    public static let plainLength = prefix.utf8.count + 43
    /// The length of a positioned token: the prefix plus 91 base64url characters (68 bytes).
    public static let positionedLength = prefix.utf8.count + 91
    /// Bytes of a positioned token's body: session id, generation, secret, tag.
    static let positionedBytes = 16 + 4 + entropyBytes + RefreshTokenTagger.tagBytes

    /// The token as the client holds it. A secret: never log it.
    public let value: String
    /// Where a positioned token stands: its session, generation and tag (nil for a plain token).
    public let position: RefreshTokenPosition?

    /// Wraps a token a client presented, if it is well formed.
    /// - Parameter value: The presented text.
    /// - Returns: nil when the text cannot be a Rotor refresh token.
    public init?(presented value: String) {
        let length = value.utf8.count
        guard length == Self.plainLength || length == Self.positionedLength, value.hasPrefix(Self.prefix) else {
            return nil
        }
        let body = value.utf8.dropFirst(Self.prefix.utf8.count)
        guard body.allSatisfy(Base64URL.isAlphabet) else { return nil }
        if length == Self.positionedLength {
            guard let bytes = Base64URL.decode(utf8: body), bytes.count == Self.positionedBytes,
                let position = RefreshTokenPosition(token: bytes)
            else { return nil }
            self.position = position
        } else {
            self.position = nil
        }
        self.value = value
    }

    private init(unchecked value: String, position: RefreshTokenPosition?) {
        self.value = value
        self.position = position
    }

    /// Makes a plain token from the system CSPRNG (the format before positioned tokens; Rotor issues positioned
    /// ones, see ``RefreshTokenTagger/token(session:generation:)``).
    public static func generate() -> RefreshToken {
        RefreshToken(unchecked: prefix + Base64URL.encode(SecureRandom.bytes(entropyBytes)), position: nil)
    }

    /// Assembles a positioned token.
    static func positioned(_ position: RefreshTokenPosition, secret: [UInt8]) -> RefreshToken {
        var bytes = position.prefixBytes
        bytes.append(contentsOf: secret)
        bytes.append(contentsOf: position.tag)
        return RefreshToken(unchecked: prefix + Base64URL.encode(bytes), position: position)
    }

    /// SHA-256 of the token: the only form a store keeps. A full copy of the database yields no usable token.
    public var hash: Data { SecretHash.of(value) }
}

/// Where a positioned refresh token stands in its session's chain, with the tag that proves Rotor put it there.
public struct RefreshTokenPosition: Sendable, Equatable {
    /// The session id (a lower-case UUID).
    public var sessionId: String
    /// The token's generation (the session's first token is 0).
    public var generation: Int
    /// The tag over the session id and the generation.
    var tag: [UInt8]

    init(sessionId: String, generation: Int, tag: [UInt8]) {
        self.sessionId = sessionId
        self.generation = generation
        self.tag = tag
    }

    /// Reads the position from a positioned token's bytes.
    init?(token bytes: Data) {
        let bytes = [UInt8](bytes)
        let uuid = UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            )
        )
        let generation = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }
        self.init(
            sessionId: uuid.uuidString.lowercased(),
            generation: generation,
            tag: Array(bytes[(RefreshToken.positionedBytes - RefreshTokenTagger.tagBytes)...])
        )
    }

    /// The session id's 16 bytes and the generation's 4, big-endian: what the tag covers.
    var prefixBytes: [UInt8] {
        var bytes: [UInt8] = []
        if let uuid = UUID(uuidString: sessionId) {
            withUnsafeBytes(of: uuid.uuid) { bytes.append(contentsOf: $0) }
        } else {
            bytes.append(contentsOf: [UInt8](repeating: 0, count: 16))
        }
        let value = UInt32(truncatingIfNeeded: generation)
        bytes.append(contentsOf: [
            UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF),
            UInt8(value & 0xFF),
        ])
        return bytes
    }
}

extension RefreshToken: CustomStringConvertible, CustomDebugStringConvertible {
    /// Redacted, so that string interpolation into a log line cannot leak the secret.
    public var description: String { "rtr_<redacted>" }
    /// Redacted, like ``description``.
    public var debugDescription: String { "rtr_<redacted>" }
}
