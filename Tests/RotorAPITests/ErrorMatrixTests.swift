import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import RotorCore
import RotorServer
import RotorTestSupport
import Testing

/// The error answers of every route, through the router itself (HummingbirdTesting's `.router`: no socket), on the
/// application `rotor serve` builds. The loopback suites keep what needs real HTTP: cookies, races, browsers.
@Suite("Error matrix (router)")
struct ErrorMatrixTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var method: HTTPRequest.Method
        var path: String
        var headers: HTTPFields = [:]
        var body: String? = nil
        var status: Int
        var error: String
        var challenge: String? = nil
        var testDescription: String { "\(method) \(path) → \(status) \(error)" }
    }

    static let json: HTTPFields = [.contentType: "application/json"]
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
    static let junkToken = "rtr_" + String(repeating: "A", count: 43)

    static let rows: [Row] = [
        // Protected routes without a token: 401 with RFC 6750's bare challenge; with a bad one, invalid_token.
        Row(method: .get, path: "/v1/me", status: 401, error: "invalid_token", challenge: "Bearer"),
        Row(method: .get, path: "/v1/me/events", status: 401, error: "invalid_token", challenge: "Bearer"),
        Row(method: .post, path: "/v1/me/password", headers: json, body: "{}", status: 401, error: "invalid_token"),
        Row(method: .post, path: "/v1/me/email", headers: json, body: "{}", status: 401, error: "invalid_token"),
        Row(method: .get, path: "/v1/sessions", status: 401, error: "invalid_token", challenge: "Bearer"),
        Row(method: .delete, path: "/v1/sessions/abc", status: 401, error: "invalid_token"),
        Row(method: .post, path: "/v1/admin/users/abc/disable", status: 401, error: "invalid_token"),
        Row(method: .post, path: "/v1/admin/users/abc/enable", status: 401, error: "invalid_token"),
        Row(method: .delete, path: "/v1/admin/users/abc/sessions", status: 401, error: "invalid_token"),
        Row(method: .post, path: "/v1/admin/clients", status: 401, error: "invalid_token"),
        Row(method: .get, path: "/v1/admin/clients", status: 401, error: "invalid_token"),
        Row(method: .get, path: "/v1/admin/clients/abc", status: 401, error: "invalid_token"),
        Row(method: .delete, path: "/v1/admin/clients/abc", status: 401, error: "invalid_token"),
        Row(method: .post, path: "/v1/admin/clients/abc/secret", status: 401, error: "invalid_token"),
        Row(
            method: .get,
            path: "/v1/me",
            headers: [.authorization: "Bearer not.a.token"],
            status: 401,
            error: "invalid_token",
            challenge: #"Bearer error="invalid_token""#
        ),
        Row(method: .get, path: "/v1/me", headers: [.authorization: "Basic YTpi"], status: 401, error: "invalid_token"),
        Row(
            method: .get,
            path: "/v1/me",
            headers: [.authorization: "DPoP not.a.token"],
            status: 401,
            error: "invalid_token"
        ),
        // Bodies.
        Row(method: .post, path: "/v1/auth/login", headers: json, body: "{", status: 400, error: "invalid_request"),
        Row(
            method: .post,
            path: "/v1/auth/login",
            headers: json,
            body: #"{"email":"ada@example.com"}"#,
            status: 400,
            error: "invalid_request"
        ),
        Row(
            method: .post,
            path: "/v1/auth/login",
            headers: json,
            body: #"{"email":"nope","password":"correct horse"}"#,
            status: 400,
            error: "invalid_request"
        ),
        Row(
            method: .post,
            path: "/v1/auth/login",
            headers: [.contentType: "text/plain"],
            body: "hello",
            status: 415,
            error: "unsupported_media_type"
        ),
        Row(
            method: .post,
            path: "/v1/auth/login",
            headers: json,
            body: #"{"email":"ada@example.com","password":""# + String(repeating: "x", count: 70_000) + #""}"#,
            status: 413,
            error: "payload_too_large"
        ),
        Row(
            method: .post,
            path: "/v1/auth/login",
            headers: json,
            body: #"{"email":"nobody@example.com","password":"correct horse"}"#,
            status: 401,
            error: "invalid_credentials"
        ),
        Row(
            method: .post,
            path: "/v1/users",
            headers: json,
            body: #"{"email":"ada@example.com","password":"short"}"#,
            status: 400,
            error: "invalid_request"
        ),
        Row(
            method: .post,
            path: "/v1/auth/token/refresh",
            headers: json,
            body: "{}",
            status: 400,
            error: "invalid_request"
        ),
        Row(
            method: .post,
            path: "/v1/auth/token/refresh",
            headers: json,
            body: #"{"refresh_token":"\#(junkToken)"}"#,
            status: 401,
            error: "invalid_grant"
        ),
        Row(method: .post, path: "/v1/auth/logout", headers: json, body: "{}", status: 400, error: "invalid_request"),
        Row(
            method: .post,
            path: "/v1/auth/logout",
            headers: json,
            body: #"{"scope":"everything"}"#,
            status: 400,
            error: "invalid_request"
        ),
        // The OAuth endpoints speak RFC 6749 §5.2.
        Row(method: .post, path: "/oauth/token", headers: form, body: "", status: 400, error: "invalid_request"),
        Row(
            method: .post,
            path: "/oauth/token",
            headers: form,
            body: "grant_type=password",
            status: 400,
            error: "unsupported_grant_type"
        ),
        Row(
            method: .post,
            path: "/oauth/token",
            headers: form,
            body: "grant_type=refresh_token&refresh_token=\(junkToken)",
            status: 400,
            error: "invalid_grant"
        ),
        Row(
            method: .post,
            path: "/oauth/token",
            headers: form,
            body: "grant_type=client_credentials",
            status: 401,
            error: "invalid_client"
        ),
        Row(
            method: .post,
            path: "/oauth/token",
            headers: form,
            body: "grant_type=client_credentials&client_id=nobody&client_secret=rcs_x",
            status: 401,
            error: "invalid_client"
        ),
        Row(
            method: .post,
            path: "/oauth/token",
            headers: form,
            body: "grant_type=client_credentials&client_assertion_type=\(ClientAssertion.type)&client_assertion=a.b.c",
            status: 401,
            error: "invalid_client"
        ),
        Row(
            method: .post,
            path: "/oauth/token",
            headers: form,
            body: "grant_type=client_credentials&client_assertion=a.b.c",
            status: 400,
            error: "invalid_request"
        ),
        // RFC 8628: the device authorization endpoint and the device grant, with no such client.
        Row(
            method: .post,
            path: "/oauth/device_authorization",
            headers: form,
            body: "",
            status: 401,
            error: "invalid_client"
        ),
        Row(
            method: .post,
            path: "/oauth/device_authorization",
            headers: form,
            body: "client_id=nobody&scope=openid",
            status: 401,
            error: "invalid_client"
        ),
        Row(
            method: .post,
            path: "/oauth/token",
            headers: form,
            body: "grant_type=urn:ietf:params:oauth:grant-type:device_code&device_code=rdc_x",
            status: 401,
            error: "invalid_client"
        ),
        Row(
            method: .post,
            path: "/oauth/token",
            headers: form,
            body: "grant_type=urn:ietf:params:oauth:grant-type:device_code&client_id=nobody&device_code=rdc_x",
            status: 401,
            error: "invalid_client"
        ),
        Row(method: .post, path: "/oauth/revoke", headers: form, body: "", status: 400, error: "invalid_request"),
        Row(
            method: .post,
            path: "/oauth/introspect",
            headers: form,
            body: "token=x",
            status: 401,
            error: "invalid_client"
        ),
        Row(method: .get, path: "/v1/revocations?since=-1", status: 400, error: "invalid_request"),
        // Unknown routes.
        Row(method: .get, path: "/v1/nothing", status: 404, error: "not_found"),
        Row(method: .get, path: "/v1/users/extra", status: 404, error: "not_found"),
    ]

    @Test("every row answers its status and error code, with the error body and no-store")
    func matrix() async throws {
        try await TemporaryDirectory.with { directory in
            let configuration = InProcessServer.configuration(databasePath: directory.path("rotor.sqlite"))
            try await withOpenStore(configuration.database, logger: InProcessServer.quietLogger) { store in
                let app = try await makeServer(
                    configuration: configuration,
                    store: store,
                    logger: InProcessServer.quietLogger
                )
                try await app.test(.router) { client in
                    var checked = 0
                    for row in Self.rows {
                        let body = row.body.map { ByteBuffer(string: $0) }
                        try await client.execute(uri: row.path, method: row.method, headers: row.headers, body: body) {
                            response in
                            #expect(Int(response.status.code) == row.status, "\(row.testDescription)")
                            let error = try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
                            let fields = error as? [String: Any]
                            #expect(fields?["error"] as? String == row.error, "\(row.testDescription)")
                            #expect(fields?["error_description"] as? String != nil, "\(row.testDescription)")
                            #expect(response.headers[.cacheControl] == "no-store", "\(row.testDescription)")
                            if let challenge = row.challenge {
                                #expect(response.headers[.wwwAuthenticate] == challenge, "\(row.testDescription)")
                            }
                        }
                        checked += 1
                    }
                    #expect(checked == Self.rows.count && checked > 30)
                }
            }
        }
    }
}
