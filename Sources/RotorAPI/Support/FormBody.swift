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
        guard let contentType = request.headers.value(.contentType), isForm(contentType) else {
            throw APIError.invalidRequest("The request body must be application/x-www-form-urlencoded.")
        }
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else {
            throw APIError.invalidRequest("The request body is not valid UTF-8.")
        }
        return try query(text)
    }

    /// Whether a `Content-Type` names `application/x-www-form-urlencoded` (any case, blanks around it, parameters
    /// after `;`), read on bytes: trimming with Foundation or by `Character` took 8 % of a token request.
    static func isForm(_ contentType: String) -> Bool {
        // What every client sends, compared as a whole first.
        if contentType == "application/x-www-form-urlencoded" { return true }
        let expected = "application/x-www-form-urlencoded".utf8
        let bytes = contentType.utf8
        let mediaType = bytes.prefix { $0 != UInt8(ascii: ";") }
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        let trimmed = mediaType.drop(while: isBlank).reversed().drop(while: isBlank).reversed()
        // ASCII lower-casing: a media type is ASCII, and anything else cannot match.
        return trimmed.count == expected.count
            && zip(trimmed, expected).allSatisfy { (byte, letter) in
                (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte) == letter
            }
    }

    /// Decodes `application/x-www-form-urlencoded` text (a body or a URL's query) into its parameters, in order.
    /// - Throws: ``APIError`` 400 `invalid_request` for bad percent-encoding.
    public static func query(_ text: some StringProtocol) throws -> [(name: String, value: String)] {
        guard let pairs = FormDecoding.pairs(text) else {
            throw APIError.invalidRequest("The request is not valid form encoding.")
        }
        return pairs
    }
}
