import Foundation
import RotorClient
import RotorProtocol
import RotorTestSupport
import RotorVerifier
import Synchronization
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `RotorMachineClient` against a real Rotor on loopback: a service's own tokens by client_credentials, kept until
/// shortly before expiry, asked for once by many callers at once, verified by RotorVerifier as a machine's.
@Suite("RotorClient: machines")
struct MachineClientTests {
    /// A clock the test moves.
    final class Offset: Sendable {
        let seconds = Mutex<TimeInterval>(0)
        func now() -> Date { Date().addingTimeInterval(seconds.withLock { $0 }) }
    }

    @Test("with a secret: one request for twenty callers, the token kept, a new one before it expires")
    func secret() async throws {
        try await RotorFixture.run { http, issuer, database in
            let admin = try await http.adminAuthorization(database)
            let reports = try await http.registerClient(
                ClientRegistrationRequest(
                    clientId: "reports",
                    grantTypes: ["client_credentials"],
                    scope: "reports.read reports.write"
                ),
                admin: admin
            )
            let offset = Offset()
            let client = RotorMachineClient(
                baseURL: URL(string: issuer)!,
                clientId: "reports",
                credential: .secret(try #require(reports.clientSecret)),
                scope: "reports.read",
                clock: { offset.now() }
            )
            let beforeFirst = Date()
            let tokens = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<20 { group.addTask { try await client.accessToken() } }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(tokens.count == 1)
            #expect(await client.tokenRequests == 1)
            let verified = try await RotorFixture.verifier(issuer: issuer).verify(try #require(tokens.first))
            #expect(verified.caller == .machine(clientId: "reports") && verified.scopes == ["reports.read"])
            #expect(verified.sessionId == nil && verified.roles.isEmpty)

            // Kept while it has more than a minute left (the access TTL is 15 minutes), then asked for again. The
            // offsets count from the request (before it for "kept", after the answer for "again"), so that a slow
            // suite's seconds between here and there do not move the line.
            offset.seconds.withLock { $0 = 830 - Date().timeIntervalSince(beforeFirst) }
            #expect(try await client.accessToken() == tokens.first)
            #expect(await client.tokenRequests == 1)
            offset.seconds.withLock { $0 = 845 }
            #expect(try await client.accessToken() != tokens.first)
            #expect(await client.tokenRequests == 2)

            // Rotor's refusals come through as they are.
            let wrong = RotorClient.clientCredentials(
                baseURL: URL(string: issuer)!,
                clientId: "reports",
                credential: .secret("rcs_wrong")
            )
            await #expect(
                throws: RotorClientError.server(
                    status: 401,
                    error: "invalid_client",
                    description: "Client authentication failed."
                )
            ) { _ = try await wrong.accessToken() }
            let greedy = RotorMachineClient(
                baseURL: URL(string: issuer)!,
                clientId: "reports",
                credential: .secret(try #require(reports.clientSecret)),
                scope: "openid"
            )
            do {
                _ = try await greedy.accessToken()
                Issue.record("a person's scope was granted to a machine")
            } catch RotorClientError.server(let status, let error, _) {
                #expect(status == 400 && error == "invalid_scope")
            }
        }
    }

    @Test("with its own key (private_key_jwt): a fresh assertion per request, and a service that lets machines in")
    func privateKey() async throws {
        try await RotorFixture.run { http, issuer, database in
            let admin = try await http.adminAuthorization(database)
            let key = AssertionKey(kid: "svc-1")
            _ = try await http.registerClient(
                ClientRegistrationRequest(
                    clientId: "nightly",
                    grantTypes: ["client_credentials"],
                    tokenEndpointAuthMethod: "private_key_jwt",
                    jwks: AssertionKey.set([key]),
                    scope: "jobs.run"
                ),
                admin: admin
            )
            let client = RotorClient.clientCredentials(
                baseURL: URL(string: issuer)!,
                clientId: "nightly",
                credential: .privateKey(key.key, keyId: "svc-1")
            )
            let first = try await client.accessToken()
            await client.invalidate()
            let second = try await client.accessToken()
            #expect(first != second)
            #expect(await client.tokenRequests == 2)

            let verifier = RotorFixture.verifier(issuer: issuer)
            try await MiddlewareTests.withService(verifier: verifier) { service in
                var request = URLRequest(url: URL(string: service.baseURL + "/jobs")!)
                request.httpMethod = "GET"
                let (_, response) = try await client.send(authorized: request)
                #expect(response.statusCode == 200)
                request.url = URL(string: service.baseURL + "/people")!
                let (_, person) = try await client.send(authorized: request)
                #expect(person.statusCode == 403)
            }
        }
    }
}
