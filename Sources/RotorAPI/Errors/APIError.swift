import Foundation
public import HTTPTypes
public import Hummingbird
public import RotorProtocol

/// An error answer of the API: a status, the docs/protocol.md error body, and the headers the error requires.
///
/// Every error a route or middleware throws becomes one of these in ``APIError/init(_:)`` — the one mapping.
public struct APIError: HTTPResponseError, Sendable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// The body.
    public var body: ErrorBody
    /// Extra headers (`WWW-Authenticate`, `Retry-After`).
    public var headers: HTTPFields

    /// Creates an error answer.
    public init(_ status: HTTPResponse.Status, _ code: ErrorCode, _ description: String, headers: HTTPFields = [:]) {
        self.status = status
        self.body = ErrorBody(error: code, errorDescription: description)
        self.headers = headers
    }

    /// Renders the error as JSON.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        let data = (try? encoder.encode(body)) ?? Data(#"{"error":"server_error","error_description":""}"#.utf8)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension APIError {
    /// 400 `invalid_request` naming what is wrong.
    public static func invalidRequest(_ description: String) -> APIError {
        APIError(.badRequest, .invalidRequest, description)
    }

    /// 401 `invalid_token`; `WWW-Authenticate` is plain `Bearer` when no credentials came (RFC 6750 §3.1).
    public static func invalidToken(credentialsSent: Bool) -> APIError {
        APIError(
            .unauthorized,
            .invalidToken,
            credentialsSent ? "The access token is invalid or expired." : "An access token is required.",
            headers: [.wwwAuthenticate: credentialsSent ? #"Bearer error="invalid_token""# : "Bearer"]
        )
    }

    /// 404 `not_found`.
    public static let notFound = APIError(.notFound, .notFound, "No such resource.")

    /// 413 `payload_too_large`.
    public static let payloadTooLarge = APIError(
        .contentTooLarge,
        .payloadTooLarge,
        "The request body is larger than 64 KiB."
    )

    /// 415 `unsupported_media_type`.
    public static let unsupportedMediaType = APIError(
        .unsupportedMediaType,
        .unsupportedMediaType,
        "The request body must be JSON (Content-Type: application/json)."
    )

    /// 500 `server_error`, never with the cause.
    public static let fault = APIError(
        .internalServerError,
        .serverError,
        "The server could not complete the request."
    )
}
