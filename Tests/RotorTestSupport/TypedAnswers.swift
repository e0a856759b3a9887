public import Foundation
import RotorCore
public import RotorProtocol

/// An answer that was not the one a test's flow needed: its status and body, so a failure says what came back.
public struct UnexpectedAnswer: Error, CustomStringConvertible {
    /// What the test wanted.
    public var wanted: String
    /// The status that came.
    public var status: Int
    /// The body that came, as text.
    public var body: String

    /// What a failing test prints.
    public var description: String { "wanted \(wanted), got \(status): \(body.prefix(500))" }
}

/// The tokens of a login or refresh answer, both present.
public struct Login: Sendable, Equatable {
    /// The access token.
    public var access: String
    /// The refresh token.
    public var refresh: String
    /// The session (token family) id.
    public var session: String
    /// `Bearer` or `DPoP`.
    public var type: String
}

extension HTTPAnswer {
    /// The body decoded as one of Rotor's wire types; throws ``UnexpectedAnswer`` on a non-2xx status or a body
    /// that is not one.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        guard (200..<300).contains(status) else {
            throw UnexpectedAnswer(wanted: "a \(T.self)", status: status, body: text)
        }
        do {
            return try JSONDecoder().decode(T.self, from: body)
        } catch {
            throw UnexpectedAnswer(wanted: "a \(T.self) (\(error))", status: status, body: text)
        }
    }

    /// The token answer of a login or refresh, with its refresh token (not cookie mode).
    public func issued() throws -> Login {
        let answer = try decode(TokenResponse.self)
        guard let refresh = answer.refreshToken else {
            throw UnexpectedAnswer(wanted: "a refresh token in the body", status: status, body: text)
        }
        return Login(access: answer.accessToken, refresh: refresh, session: answer.sessionId, type: answer.tokenType)
    }

    /// The sessions of a `GET /v1/sessions` or admin session list answer.
    public func sessions() throws -> [SessionInfo] { try decode(SessionList.self).sessions }

    /// The events of a `GET /v1/me/events` or admin events answer.
    public func events() throws -> [EventInfo] { try decode(EventList.self).events }

    /// The error body of a 4xx or 5xx answer.
    public func errorBody() throws -> ErrorBody {
        guard status >= 400, let body = try? JSONDecoder().decode(ErrorBody.self, from: body) else {
            throw UnexpectedAnswer(wanted: "an error body", status: status, body: text)
        }
        return body
    }
}

extension TestHTTP {
    /// POSTs one of Rotor's request types as JSON.
    public func post(
        _ path: String,
        body: some Encodable,
        headers: [(String, String)] = []
    ) async throws
        -> HTTPAnswer
    {
        try await send(
            .POST,
            path,
            headers: [("Content-Type", "application/json")] + headers,
            body: try JSONEncoder().encode(body)
        )
    }

    /// Logs in and returns the session's tokens; throws ``UnexpectedAnswer`` unless the login succeeded.
    /// - Parameters:
    ///   - email: The account (the suites' usual one by default).
    ///   - password: Its password.
    ///   - extra: More fields of the login body (`device_id`, `token_delivery`, …).
    ///   - userAgent: A `User-Agent` header to send.
    public func signIn(
        _ email: String = "ada@example.com",
        _ password: String = "correct horse",
        extra: [String: Any] = [:],
        userAgent: String? = nil
    ) async throws -> Login {
        var body: [String: Any] = ["email": email, "password": password]
        body.merge(extra) { _, new in new }
        let headers = userAgent.map { [("User-Agent", $0)] } ?? []
        return try await post("/v1/auth/login", json: body, headers: headers).issued()
    }

    /// Makes `root@example.com` an admin (the role set in the store) and signs it in: the `Authorization` header
    /// of the admin API.
    public func adminAuthorization(_ database: TestDatabase) async throws -> [(String, String)] {
        let created = try await signUp("root@example.com", "admin password")
        guard created.status == 201 else {
            throw UnexpectedAnswer(wanted: "201 for the admin", status: created.status, body: created.text)
        }
        let id = try created.decode(UserResponse.self).id
        try await database.withStore { store in try await store.setRoles(userId: id, roles: ["admin"]) }
        return [("Authorization", "Bearer \(try await signIn("root@example.com", "admin password").access)")]
    }

    /// Registers a client through the admin API: its client information (with the secret, this once).
    public func registerClient(
        _ request: ClientRegistrationRequest,
        admin: [(String, String)]
    ) async throws -> ClientInformation {
        let answer = try await post("/v1/admin/clients", body: request, headers: admin)
        guard answer.status == 201 else {
            throw UnexpectedAnswer(wanted: "201 for the client", status: answer.status, body: answer.text)
        }
        return try answer.decode(ClientInformation.self)
    }

    /// Signs an account up and logs it in: the tokens of its first session.
    public func newAccount(
        _ email: String = "ada@example.com",
        _ password: String = "correct horse"
    ) async throws
        -> Login
    {
        let created = try await signUp(email, password)
        guard created.status == 201 else {
            throw UnexpectedAnswer(wanted: "201 from sign-up", status: created.status, body: created.text)
        }
        return try await signIn(email, password)
    }
}
