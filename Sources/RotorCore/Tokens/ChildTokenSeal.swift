import Crypto
public import Foundation

/// Keeps a child refresh token so that only its parent can open it again (docs/protocol.md, grace replay).
///
/// The key is HKDF-SHA256 of the parent token itself, which the store never holds (it keeps only SHA-256 of
/// the parent), so the database alone cannot yield the child. AES-GCM authenticates the sealed box.
public enum ChildTokenSeal {
    private static let salt = Data("rotor/refresh-child/v1".utf8)

    private static func key(parent: RefreshToken) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(parent.value.utf8)),
            salt: salt,
            info: Data("child-token".utf8),
            outputByteCount: 32
        )
    }

    /// Seals a child under a key derived from its parent.
    /// - Parameters:
    ///   - child: The child token.
    ///   - parent: The presented parent token.
    /// - Returns: nonce ‖ ciphertext ‖ tag.
    /// - Throws: Only if AES-GCM fails, which it does not for valid keys.
    public static func seal(_ child: RefreshToken, parent: RefreshToken) throws -> Data {
        let box = try AES.GCM.seal(Data(child.value.utf8), using: key(parent: parent))
        guard let combined = box.combined else { throw CryptoKitError.incorrectParameterSize }
        return combined
    }

    /// Opens a sealed child with the parent that sealed it.
    /// - Parameters:
    ///   - sealed: What ``seal(_:parent:)`` returned.
    ///   - parent: The presented parent token.
    /// - Returns: The child, or nil when the parent is not the one that sealed it.
    public static func open(_ sealed: Data, parent: RefreshToken) -> RefreshToken? {
        guard let box = try? AES.GCM.SealedBox(combined: sealed),
            let plain = try? AES.GCM.open(box, using: key(parent: parent))
        else { return nil }
        return RefreshToken(presented: String(decoding: plain, as: UTF8.self))
    }
}
