public import Foundation
public import Hummingbird
import NIOCore
import RotorJWT
public import RotorProtocol

/// Builds JSON answers with an exact status and headers.
public enum JSONResponse {
    /// Encodes `value` as the body of an answer.
    /// - Parameters:
    ///   - value: The body.
    ///   - status: The status (200 by default).
    ///   - headers: Extra headers.
    /// - Returns: The answer, `Content-Type: application/json`.
    public static func make(
        _ value: some Encodable,
        status: HTTPResponse.Status = .ok,
        headers: HTTPFields = [:]
    )
        throws -> Response
    {
        raw(try encoder.encode(value), status: status, headers: headers)
    }

    /// One encoder for every answer (it is Sendable and never reconfigured): building one per answer was work on
    /// every token response.
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }()

    /// The account answer of `GET /v1/me` and sign-up, written directly: it is the most frequent answer after the
    /// token answer, and `JSONEncoder` took 4 % of a `GET /v1/me`. The same JSON as ``make(_:status:headers:)``
    /// gives (sorted keys, `roles` only when present); a test compares the two.
    /// - Parameters:
    ///   - user: The account.
    ///   - status: The status (200 by default).
    /// - Returns: The answer, `Content-Type: application/json`.
    public static func user(_ user: UserResponse, status: HTTPResponse.Status = .ok) -> Response {
        raw(userJSON(user), status: status)
    }

    /// The JSON of ``user(_:status:)``.
    package static func userJSON(_ user: UserResponse) -> Data {
        var out = JSONObjectWriter()
        out.begin()
        out.member("created_at", string: user.createdAt)
        out.member("email", string: user.email)
        out.member("id", string: user.id)
        if let roles = user.roles { out.member("roles", strings: roles) }
        out.end()
        return out.data
    }

    /// The `client_credentials` answer, written directly for the same reason as ``user(_:status:)``: `JSONEncoder`
    /// took 3 % of the grant (docs/benchmarks.md). The same JSON as ``make(_:status:headers:)``; a test compares.
    /// - Parameter token: The answer.
    /// - Returns: The answer with `Cache-Control: no-store`.
    public static func machineToken(_ token: MachineTokenResponse) -> Response {
        raw(machineTokenJSON(token), headers: noStoreHeaders)
    }

    /// The JSON of ``machineToken(_:)``.
    package static func machineTokenJSON(_ token: MachineTokenResponse) -> Data {
        var out = JSONObjectWriter()
        out.begin()
        out.member("access_token", string: token.accessToken)
        out.member("expires_in", integer: token.expiresIn)
        out.member("scope", string: token.scope)
        out.member("token_type", string: token.tokenType)
        out.end()
        return out.data
    }

    /// An answer whose JSON body is already encoded.
    public static func raw(_ data: Data, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
