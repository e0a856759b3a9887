public import Foundation

/// A registered client as the store holds it: its metadata and the hashes of its live secrets.
public struct ClientRecord: Sendable, Equatable {
    /// The client id.
    public var id: String
    /// What was registered.
    public var metadata: ClientMetadata
    /// When it was registered.
    public var createdAt: Date
    /// Its secrets, newest first: more than one only while a rotation's overlap runs.
    public var secrets: [ClientSecretRecord]

    /// Creates a client record.
    public init(id: String, metadata: ClientMetadata, createdAt: Date, secrets: [ClientSecretRecord] = []) {
        self.id = id
        self.metadata = metadata
        self.createdAt = createdAt
        self.secrets = secrets
    }

    /// The secrets that still work at `now`.
    public func liveSecrets(at now: Date) -> [ClientSecretRecord] {
        secrets.filter { $0.expiresAt.map { $0 > now } ?? true }
    }
}

/// One client secret: only its SHA-256 is stored (the secret has 256 random bits, so a fast hash is enough).
public struct ClientSecretRecord: Sendable, Equatable {
    /// SHA-256 of the secret.
    public var hash: Data
    /// When it was made.
    public var createdAt: Date
    /// When it stops working: `nil` for the current secret, set on the old ones by a rotation.
    public var expiresAt: Date?

    /// Creates a secret record.
    public init(hash: Data, createdAt: Date, expiresAt: Date? = nil) {
        self.hash = hash
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
