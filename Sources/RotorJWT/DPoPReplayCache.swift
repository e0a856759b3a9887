import Crypto
public import Foundation
import Synchronization

/// Proof ids seen recently, to refuse a proof presented twice (RFC 9449 §11.1).
///
/// Each entry is a SHA-256 of the key thumbprint and the `jti`, so it costs the same 32 bytes whatever the client
/// sent, and it is kept until no proof with that `jti` can be fresh any more (twice the proof lifetime after it was
/// seen, `iat` being allowed that far on either side). No entry ever leaves before then: evicting one early would
/// let a captured proof be replayed. A full cache refuses new proofs instead (``Outcome/full``), and the caller
/// answers "try again shortly". About 100 bytes per entry: 100,000 entries are about 10 MiB.
public final class DPoPReplayCache: Sendable {
    /// What ``insert(jti:thumbprint:at:lifetime:)`` found.
    public enum Outcome: Sendable, Equatable {
        /// Not seen before; now remembered.
        case fresh
        /// Seen before, within its lifetime.
        case replayed
        /// Not seen before, but every place is taken by a proof still within its lifetime.
        case full
    }

    private struct Key: Hashable {
        var a: UInt64, b: UInt64, c: UInt64, d: UInt64
    }

    private struct State {
        /// Key to expiry (seconds since 1970).
        var expiries: [Key: Double] = [:]
        /// Keys in the order they came, with their expiry; `head` is the oldest still here. Expiries only grow along
        /// it (each is the arrival time plus the same window), so expired entries are always at the front.
        var order: [(key: Key, expiry: Double)] = []
        var head = 0
    }

    private let state = Mutex(State())
    /// The most proofs remembered at once.
    public let capacity: Int

    /// Creates a cache of at most `capacity` proof ids.
    public init(capacity: Int = 100_000) {
        self.capacity = max(16, capacity)
    }

    /// How many proof ids are remembered now.
    public var count: Int { state.withLock { $0.expiries.count } }

    /// Records a proof id, unless it was seen within its lifetime or there is no room.
    func insert(jti: String, thumbprint: String, at now: Date, lifetime: TimeInterval) -> Outcome {
        var hasher = SHA256()
        hasher.update(data: Data(thumbprint.utf8))
        hasher.update(data: [0])
        hasher.update(data: Data(jti.utf8))
        let key = hasher.finalize().withUnsafeBytes { bytes in
            Key(
                a: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                b: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                c: bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
                d: bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
            )
        }
        let time = now.timeIntervalSince1970
        return state.withLock { state in
            Self.dropExpired(&state, now: time)
            if let expiry = state.expiries[key], expiry > time { return .replayed }
            guard state.expiries.count < capacity else { return .full }
            let expiry = time + 2 * lifetime
            state.expiries[key] = expiry
            state.order.append((key, expiry))
            return .fresh
        }
    }

    private static func dropExpired(_ state: inout State, now: Double) {
        while state.head < state.order.count, state.order[state.head].expiry <= now {
            let entry = state.order[state.head]
            // A key seen again after it expired has a newer entry further on; only its own entry removes it.
            if state.expiries[entry.key] == entry.expiry { state.expiries[entry.key] = nil }
            state.head += 1
        }
        // Compact once the dead front is at least half of the array, so that it costs O(1) per entry overall.
        if state.head > 1024, state.head * 2 >= state.order.count {
            state.order.removeFirst(state.head)
            state.head = 0
        }
    }
}
