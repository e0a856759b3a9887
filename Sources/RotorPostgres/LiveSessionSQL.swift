/// The one SQL definition of a live session in this store: not ended, and neither lifetime over at `at` (Unix
/// milliseconds, an integer the store computed, never input, so it is written into the text). `SessionRecord.isLive(at:)`
/// is the same rule in Swift; the prepared rotation statement spells it with its own parameter.
enum LiveSessionSQL {
    /// The condition, for the sessions table under `alias` (empty: no alias).
    static func condition(_ alias: String = "", at: Int64) -> String {
        let a = alias.isEmpty ? "" : alias + "."
        return "\(a)ended_at IS NULL AND LEAST(\(a)idle_expires_at, \(a)absolute_expires_at) > \(at)"
    }
}
