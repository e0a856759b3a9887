import Foundation
public import Hummingbird
import NIOCore

/// Reads a JSON request body into a type, answering every way it can go wrong with a clear 4xx.
public enum JSONBody {
    /// Decodes the body.
    /// - Parameters:
    ///   - type: The expected type.
    ///   - request: The request (its body is consumed).
    ///   - context: The context, whose `maxUploadSize` bounds the body.
    /// - Returns: The decoded value.
    /// - Throws: ``APIError``: 413 over the size limit, 415 when not JSON, 400 naming the bad field.
    public static func decode<T: Decodable>(
        _ type: T.Type,
        from request: Request,
        context: some RequestContext
    )
        async throws -> T
    {
        let buffer = try await collect(request, context: context)
        guard isJSON(request.headers.value(.contentType)) else { throw APIError.unsupportedMediaType }
        return try decode(type, from: buffer)
    }

    /// Decodes an optional body: an empty body gives nil (a browser `fetch` may send none).
    public static func decodeIfPresent<T: Decodable>(
        _ type: T.Type,
        from request: Request,
        context: some RequestContext
    ) async throws -> T? {
        let buffer = try await collect(request, context: context)
        if buffer.readableBytes == 0 { return nil }
        guard isJSON(request.headers.value(.contentType)) else { throw APIError.unsupportedMediaType }
        return try decode(type, from: buffer)
    }

    static func collect(_ request: Request, context: some RequestContext) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: context.maxUploadSize)
        } catch is NIOTooManyBytesError {
            throw APIError.payloadTooLarge
        }
    }

    /// Whether a `Content-Type` names JSON: `application/json` or any `+json` type, with optional parameters.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType =
            contentType.split(separator: ";", maxSplits: 1).first?
            .trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        return mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
    }

    static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        guard buffer.readableBytes > 0 else { throw APIError.invalidRequest("The request body must be a JSON object.") }
        do {
            return try JSONDecoder().decode(type, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw APIError.invalidRequest(describe(error))
        } catch {
            throw APIError.invalidRequest("The request body is not valid JSON.")
        }
    }

    /// Words for a decoding failure, naming the field; never quoting the value (it may be a secret).
    static func describe(_ error: DecodingError) -> String {
        func field(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "The field '\(field(context.codingPath + [key]))' is required."
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            if context.codingPath.isEmpty { return "The request body must be a JSON object." }
            return "The field '\(field(context.codingPath))' has the wrong type."
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "The request body is not valid JSON." }
            return "The field '\(field(context.codingPath))' is not valid."
        @unknown default:
            return "The request body is not valid."
        }
    }
}
