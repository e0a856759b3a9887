/// The body of every error answer: `{"error": "<code>", "error_description": "<text for humans>"}`.
public struct ErrorBody: Codable, Sendable, Equatable {
    /// The machine-readable code.
    public var error: ErrorCode
    /// A sentence for people; never carries a secret or the internal cause of a fault.
    public var errorDescription: String

    /// Creates an error body.
    /// - Parameters:
    ///   - error: The machine-readable code.
    ///   - errorDescription: The text for humans.
    public init(error: ErrorCode, errorDescription: String) {
        self.error = error
        self.errorDescription = errorDescription
    }

    enum CodingKeys: String, CodingKey {
        case error
        case errorDescription = "error_description"
    }
}
