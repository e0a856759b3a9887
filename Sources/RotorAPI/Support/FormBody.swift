import Foundation
public import Hummingbird

/// Reads an `application/x-www-form-urlencoded` body (the OAuth endpoints, RFC 6749 §3.2, RFC 7009, RFC 7662).
public enum FormBody {
    /// Decodes the body into its parameters.
    /// - Returns: Each parameter once (RFC 6749 §3.2: a parameter must not be repeated).
    /// - Throws: ``APIError``: 413 over 64 KiB, 400 `invalid_request` for another media type, bad encoding or a
    ///   repeated parameter.
    public static func decode(_ request: Request, context: some RequestContext) async throws -> [String: String] {
        try parameters(try await pairs(request, context: context))
    }

    /// Each parameter once, but for those in `repeatable`, which are left out (read them from `pairs`).
    /// - Throws: ``APIError`` 400 `invalid_request` for any other repeated parameter.
    public static func parameters(
        _ pairs: [(name: String, value: String)],
        repeatable: Set<String> = []
    ) throws -> [String: String] {
        var parameters: [String: String] = [:]
        for (name, value) in pairs where !repeatable.contains(name) {
            guard parameters[name] == nil else {
                throw APIError.invalidRequest("The parameter '\(name)' is repeated.")
            }
            parameters[name] = value
        }
        return parameters
    }

    /// Decodes the body into its parameters in order, repeated ones included (the authorization request, where
    /// RFC 8707 `resource` may repeat and every other repetition is judged by the request's checks).
    /// - Throws: ``APIError``: 413 over 64 KiB, 400 `invalid_request` for another media type or bad encoding.
    public static func pairs(
        _ request: Request,
        context: some RequestContext
    ) async throws -> [(
        name: String, value: String
    )] {
        let buffer = try await JSONBody.collect(request, context: context)
        let mediaType = request.headers[.contentType]?.split(separator: ";").first?
            .trimmingCharacters(in: .whitespaces).lowercased()
        guard mediaType == "application/x-www-form-urlencoded" else {
            throw APIError.invalidRequest("The request body must be application/x-www-form-urlencoded.")
        }
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else {
            throw APIError.invalidRequest("The request body is not valid UTF-8.")
        }
        return try query(text)
    }

    /// Decodes `application/x-www-form-urlencoded` text (a body or a URL's query) into its parameters, in order.
    /// - Throws: ``APIError`` 400 `invalid_request` for bad percent-encoding.
    public static func query(_ text: some StringProtocol) throws -> [(name: String, value: String)] {
        try text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decodeComponent(parts[0]), let value = decodeComponent(parts.count > 1 ? parts[1] : "")
            else {
                throw APIError.invalidRequest("The request is not valid form encoding.")
            }
            return (name, value)
        }
    }

    private static func decodeComponent(_ text: some StringProtocol) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
