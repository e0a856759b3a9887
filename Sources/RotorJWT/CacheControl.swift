public import Foundation

/// What a `Cache-Control` header says about how long a fetched key set may be kept.
public enum CacheControl {
    /// `max-age` of a `Cache-Control` value; `no-store` and `no-cache` count as 0; nil when it says neither.
    public static func maxAge(_ header: String) -> TimeInterval? {
        var result: TimeInterval?
        for directive in header.lowercased().split(separator: ",") {
            let parts = directive.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            switch parts.first {
            case "no-store", "no-cache": return 0
            case "max-age":
                result =
                    parts.count == 2 ? TimeInterval(parts[1].trimmingCharacters(in: .init(charactersIn: "\""))) : nil
            default: continue
            }
        }
        return result
    }
}
