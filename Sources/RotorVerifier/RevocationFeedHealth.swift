public import Foundation

/// How current the verifier's knowledge of ended sessions is.
public enum RevocationFeedHealth: Sendable, Equatable {
    /// The last good read of the feed is this many seconds old, within the stale bound.
    case current(age: TimeInterval)
    /// The last good read is older than the stale bound: sessions that ended since are not known here.
    case stale(age: TimeInterval)
}
