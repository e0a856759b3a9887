public import Foundation

#if canImport(Security)
import Security
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a ``RotorClient`` keeps between runs: the session's tokens and, for DPoP, the client's private key.
/// Secrets all: a store keeps them where only this user (or app) can read them.
public struct StoredSession: Codable, Sendable, Equatable {
    /// The current access token.
    public var accessToken: String
    /// When it expires.
    public var accessExpiresAt: Date
    /// The session's current refresh token.
    public var refreshToken: String
    /// The session id.
    public var sessionId: String
    /// `Bearer` or `DPoP`.
    public var tokenType: String
    /// The P-256 private key proofs are signed with (raw representation), for a DPoP session.
    public var dpopKey: Data?
    /// The OAuth client the session belongs to (a device-flow sign-in), which alone may refresh it at
    /// `/oauth/token`; nil for a login's session, refreshed at `/v1/auth/token/refresh`.
    public var clientId: String?

    /// Creates stored state.
    public init(
        accessToken: String,
        accessExpiresAt: Date,
        refreshToken: String,
        sessionId: String,
        tokenType: String,
        dpopKey: Data? = nil,
        clientId: String? = nil
    ) {
        self.accessToken = accessToken
        self.accessExpiresAt = accessExpiresAt
        self.refreshToken = refreshToken
        self.sessionId = sessionId
        self.tokenType = tokenType
        self.dpopKey = dpopKey
        self.clientId = clientId
    }
}

/// Where a ``RotorClient`` keeps its session.
public protocol TokenStore: Sendable {
    /// The stored session, if any.
    func load() async throws -> StoredSession?
    /// Replaces the stored session (nil: forget it).
    func save(_ session: StoredSession?) async throws
}

/// Keeps the session in memory only: it ends with the process.
public actor MemoryTokenStore: TokenStore {
    private var session: StoredSession?

    /// Creates an empty store.
    public init() {}

    /// The stored session, if any.
    public func load() -> StoredSession? { session }

    /// Replaces the stored session.
    public func save(_ session: StoredSession?) { self.session = session }
}

/// Keeps the session in a JSON file that only its owner can read or write (mode 0600), replaced atomically.
public actor FileTokenStore: TokenStore {
    /// The file.
    public let url: URL

    /// Creates a store at `url` (the folder is created, mode 0700, if missing).
    public init(url: URL) {
        self.url = url
    }

    /// The stored session, if the file exists.
    public func load() throws -> StoredSession? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try JSONDecoder().decode(StoredSession.self, from: Data(contentsOf: url))
    }

    /// Writes the session to a 0600 temporary file next to the store, then renames it over the store.
    public func save(_ session: StoredSession?) throws {
        guard let session else {
            try? FileManager.default.removeItem(at: url)
            return
        }
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(
            at: folder,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString)")
        guard
            FileManager.default.createFile(
                atPath: temporary.path,
                contents: nil,
                attributes: [.posixPermissions: 0o600]
            )
        else { throw CocoaError(.fileWriteNoPermission) }
        let handle = try FileHandle(forWritingTo: temporary)
        try handle.write(contentsOf: JSONEncoder().encode(session))
        try handle.synchronize()
        try handle.close()
        // rename(2) replaces the old file in one step: a crash leaves the old session or the new, never half.
        guard rename(temporary.path, url.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown)
        }
    }
}

#if canImport(Security)
/// Keeps the session in the Keychain (Apple platforms), readable only by this app and only on this device.
public struct KeychainTokenStore: TokenStore {
    /// The Keychain service name.
    public let service: String
    /// The account name within the service.
    public let account: String

    /// Creates a store for `service` / `account`.
    public init(service: String = "rotor", account: String = "session") {
        self.service = service
        self.account = account
    }

    private var query: [String: Any] {
        [
            kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: service,
            kSecAttrAccount as String: account,
        ]
    }

    /// The stored session, if any.
    public func load() throws -> StoredSession? {
        var query = self.query
        query[kSecReturnData as String] = true
        query[kSecMatchLimit as String] = kSecMatchLimitOne
        var item: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &item)
        if status == errSecItemNotFound { return nil }
        guard status == errSecSuccess, let data = item as? Data else { throw KeychainError(status: status) }
        return try JSONDecoder().decode(StoredSession.self, from: data)
    }

    /// Replaces the stored session.
    public func save(_ session: StoredSession?) throws {
        SecItemDelete(query as CFDictionary)
        guard let session else { return }
        var item = query
        item[kSecValueData as String] = try JSONEncoder().encode(session)
        item[kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
        let status = SecItemAdd(item as CFDictionary, nil)
        guard status == errSecSuccess else { throw KeychainError(status: status) }
    }
}

/// A Keychain call failed.
public struct KeychainError: Error, Sendable {
    /// The `OSStatus`.
    public let status: Int32
}
#endif
