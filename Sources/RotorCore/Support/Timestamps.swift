public import Foundation

extension Date {
    /// Milliseconds since 1970, the unit the stores keep times in.
    public var unixMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }

    /// Creates a date from milliseconds since 1970.
    /// - Parameter unixMilliseconds: Milliseconds since 1970.
    public init(unixMilliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(unixMilliseconds) / 1000)
    }

    /// The date truncated to whole seconds, so that JWT NumericDates are integers.
    public var wholeSeconds: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }

    /// RFC 3339 in UTC with whole seconds, e.g. `2026-11-23T14:20:00Z` (docs/protocol.md).
    public var rfc3339: String {
        wholeSeconds.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(secondsFromGMT: 0) ?? .gmt))
    }
}
