public import Foundation
import Synchronization

/// The client records that authenticated recently, kept for ``ttl`` so that a client's token requests do not each
/// read its record (docs/operations.md, "Client records are cached for a second").
///
/// A cached record only ever *accepts*: a secret it does not match is checked again against the store, so a secret
/// rotated by another instance or process works at once. What a cached record can still accept, for at most
/// ``ttl``, is what was true a moment ago: a secret whose overlap ended meanwhile on another instance, or a client
/// deleted there. This instance's own rotations and deletions forget the record at once.
public final class ClientRecordCache: Sendable {
    /// How long a record is used after it was read.
    public let ttl: TimeInterval
    /// At most this many records; beyond it the cache starts over (client ids come from requests).
    static let capacity = 1_024
    private let entries = Mutex<[String: (record: ClientRecord, readAt: Date)]>([:])

    /// Creates an empty cache.
    /// - Parameter ttl: How long a record is used after it was read; 0 turns the cache off.
    public init(ttl: TimeInterval = 1) {
        self.ttl = ttl
    }

    /// The record of `id` if it was read less than ``ttl`` ago.
    func record(id: String, now: Date) -> ClientRecord? {
        entries.withLock { entries in
            guard let entry = entries[id], now.timeIntervalSince(entry.readAt) < ttl, entry.readAt <= now else {
                return nil
            }
            return entry.record
        }
    }

    /// Keeps a record just read from the store.
    func remember(_ record: ClientRecord, now: Date) {
        guard ttl > 0 else { return }
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[record.id] = (record, now)
        }
    }

    /// Forgets a record that changed.
    func forget(id: String) {
        _ = entries.withLock { $0.removeValue(forKey: id) }
    }
}
