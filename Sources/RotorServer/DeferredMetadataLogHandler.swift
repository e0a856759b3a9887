public import Logging

/// swift-log's `StreamLogHandler` on standard output, with the logger's own metadata kept as a plain dictionary and
/// rendered only when a line is written.
///
/// `StreamLogHandler` renders its metadata anew each time a key is set; Hummingbird sets `hb.request.id` on every
/// request's logger, so every request paid for sorting and joining metadata that, at the usual levels, no line ever
/// shows (1.9 % of a `client_credentials` grant, docs/benchmarks.md). The lines written are the same.
public struct DeferredMetadataLogHandler: LogHandler {
    private var output: StreamLogHandler
    /// The logger's metadata, merged into each line's own when one is written.
    public var metadata: Logger.Metadata = [:]

    /// A handler writing to standard output under `label`.
    public init(label: String) {
        output = StreamLogHandler.standardOutput(label: label)
    }

    /// The level below which nothing is written.
    public var logLevel: Logger.Level {
        get { output.logLevel }
        set { output.logLevel = newValue }
    }

    /// One metadata item of the logger.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes the line, with the logger's metadata under the line's own.
    public func log(event: LogEvent) {
        var event = event
        if !metadata.isEmpty {
            event.metadata = metadata.merging(event.metadata ?? [:]) { _, line in line }
        }
        output.log(event: event)
    }
}
