public import Foundation
public import Hummingbird
import NIOCore

/// Builds JSON answers with an exact status and headers.
public enum JSONResponse {
    /// Encodes `value` as the body of an answer.
    /// - Parameters:
    ///   - value: The body.
    ///   - status: The status (200 by default).
    ///   - headers: Extra headers.
    /// - Returns: The answer, `Content-Type: application/json`.
    public static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:])
        throws -> Response
    {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return raw(try encoder.encode(value), status: status, headers: headers)
    }

    /// An answer whose JSON body is already encoded.
    public static func raw(_ data: Data, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
