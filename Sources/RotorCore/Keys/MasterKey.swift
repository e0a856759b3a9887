import Crypto
public import Foundation

/// `ROTOR_MASTER_KEY`: seals signing keys at rest (AES-256-GCM).
///
/// Format: 32 random bytes in base64 or base64url, e.g. from `openssl rand -base64 32`. The AES key is derived
/// from it with HKDF-SHA256, so the master key itself never touches data. A sealed key is stored as
/// `rotor-sealed-v1:` followed by base64 of nonce ‖ ciphertext ‖ tag, authenticated with its `kid`, so a sealed key
/// cannot be swapped for another's.
public struct MasterKey: Sendable {
    private let key: SymmetricKey
    /// The prefix of a sealed private key.
    public static let sealedPrefix = "rotor-sealed-v1:"

    /// Parses a master key.
    /// - Returns: nil unless the text is base64 or base64url of exactly 32 bytes.
    public init?(_ text: String) {
        var base64 = text.trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.utf8.count % 4 != 0 { base64 += "=" }
        guard let bytes = Data(base64Encoded: base64), bytes.count == 32 else { return nil }
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: bytes),
            salt: Data("rotor/master-key/v1".utf8),
            info: Data("signing-keys".utf8),
            outputByteCount: 32
        )
    }

    /// Whether stored key bytes are sealed.
    public static func isSealed(_ stored: Data) -> Bool {
        stored.starts(with: Data(sealedPrefix.utf8))
    }

    /// Seals a private key.
    public func seal(_ pem: String, kid: String) throws -> Data {
        let box = try AES.GCM.seal(Data(pem.utf8), using: key, authenticating: Data(kid.utf8))
        guard let combined = box.combined else { throw KeyError.masterKeyMismatch }
        return Data((Self.sealedPrefix + combined.base64EncodedString()).utf8)
    }

    /// Opens a sealed private key.
    /// - Throws: ``KeyError/masterKeyMismatch`` when this master key did not seal it.
    public func open(_ stored: Data, kid: String) throws -> String {
        let text = String(decoding: stored.dropFirst(Self.sealedPrefix.utf8.count), as: UTF8.self)
        guard let combined = Data(base64Encoded: text), let box = try? AES.GCM.SealedBox(combined: combined),
            let pem = try? AES.GCM.open(box, using: key, authenticating: Data(kid.utf8))
        else { throw KeyError.masterKeyMismatch }
        return String(decoding: pem, as: UTF8.self)
    }
}
