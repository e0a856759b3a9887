/// The one SQL definition of a live session in this store: not ended, and neither lifetime over at the time bound
/// to its single `?` (Unix milliseconds). `SessionRecord.isLive(at:)` is the same rule in Swift.
enum LiveSessionSQL {
    /// The condition, for the sessions table under `alias` (empty: no alias).
    static func condition(_ alias: String = "") -> String {
        let a = alias.isEmpty ? "" : alias + "."
        return "\(a)ended_at IS NULL AND min(\(a)idle_expires_at, \(a)absolute_expires_at) > ?"
    }
}
