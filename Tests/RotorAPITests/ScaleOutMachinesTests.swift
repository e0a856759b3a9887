import Foundation
import RotorProtocol
import RotorTestSupport
import Testing

/// Machines and devices across three `rotor serve` processes on one PostgreSQL: a `private_key_jwt` assertion is
/// single use across the group, however many instances it is sent to at once; a device code approved on one
/// instance is redeemed on another, once.
@Suite(
    "Three instances on one PostgreSQL: machines",
    .serialized,
    .enabled(if: StoreKind.all.contains(.postgres), "needs PostgreSQL (ROTOR_TEST_POSTGRES_URL); required in CI")
)
struct ScaleOutMachinesTests {
    @Test("one assertion sent to two instances at once is accepted by exactly one, ten times over")
    func assertionOnceAcrossInstances() async throws {
        try await ScaleOutTests.withInstances(grace: 10, requestTimeout: 30) { _, servers, database, directory in
            let key = AssertionKey(kid: "fleet-1")
            let jwksFile = directory.path("jwks.json")
            try JSONEncoder().encode(AssertionKey.set([key])).write(to: URL(fileURLWithPath: jwksFile))
            let created = try RotorProcess.runToEnd(
                arguments: [
                    "clients", "create", "--client-id", "fleet", "--grant-type", "client_credentials",
                    "--token-endpoint-auth-method", "private_key_jwt", "--jwks-file", jwksFile, "--scope", "jobs.run",
                ],
                environment: ScaleOutTests.environment(database, grace: 10),
                workingDirectory: directory.url
            )
            #expect(created.status == 0, "\(created.stderr)")
            for round in 0..<10 {
                let assertion = try await key.assertion(client: "fleet", issuer: ScaleOutTests.issuer)
                let pair = [servers[round % 3], servers[(round + 1) % 3]]
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for server in pair {
                        group.addTask {
                            try await OAuthEndpointsTests.form(server, "/oauth/token", AssertionKey.form(assertion))
                                .status
                        }
                    }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                #expect(statuses.sorted() == [200, 401], "round \(round): \(statuses)")
            }
        }
    }

    @Test("a device approved through one instance gets its tokens from another; two polls at once leave no session")
    func deviceAcrossInstances() async throws {
        try await ScaleOutTests.withInstances(grace: 10, requestTimeout: 30) { _, servers, database, directory in
            let created = try RotorProcess.runToEnd(
                arguments: [
                    "clients", "create", "--client-id", "tv", "--client-name", "Living-room TV",
                    "--token-endpoint-auth-method", "none", "--grant-type",
                    "urn:ietf:params:oauth:grant-type:device_code", "--grant-type", "refresh_token", "--scope",
                    "openid email",
                ],
                environment: ScaleOutTests.environment(database, grace: 10),
                workingDirectory: directory.url
            )
            #expect(created.status == 0, "\(created.stderr)")
            #expect(try await servers[0].signUp("ada@example.com", "correct horse").status == 201)
            let browser = DeviceGrantEndpointTests.Browser(servers[0])
            for round in 0..<3 {
                // Started on one instance, approved on the next, polled on the other two at once.
                let started = try await DeviceGrantEndpointTests.start(servers[round % 3])
                let deviceCode = try #require(started.string("device_code"))
                let userCode = try #require(started.string("user_code"))
                let pending = try await DeviceGrantEndpointTests.poll(servers[(round + 2) % 3], deviceCode)
                #expect(pending.error == "authorization_pending", "round \(round): \(pending.text)")
                let approver =
                    round == 0 ? browser : TestBrowser(servers[(round + 1) % 3], cookies: await browser.cookies)
                let decided = try await DeviceGrantEndpointTests.decide(approver, userCode: userCode)
                #expect(decided.status == 200 && decided.text.contains("Device connected"), "\(decided.text)")
                // The poll interval is 5 s: polls sooner are told to slow down before anything else.
                try await Task.sleep(for: .seconds(5))
                let answers = try await withThrowingTaskGroup(of: HTTPAnswer.self) { group in
                    for server in [servers[(round + 2) % 3], servers[round % 3]] {
                        group.addTask { try await DeviceGrantEndpointTests.poll(server, deviceCode) }
                    }
                    return try await group.reduce(into: [HTTPAnswer]()) { $0.append($1) }
                }
                // A second holder of the code: at most one poll is answered with tokens, every other is
                // invalid_grant, and no session survives (whichever poll came second ends the first one's).
                #expect(answers.filter { $0.status == 200 }.count <= 1, "round \(round): \(answers.map(\.text))")
                for refused in answers where refused.status != 200 {
                    #expect(refused.status == 400 && refused.error == "invalid_grant", "\(refused.text)")
                }
                for issued in answers where issued.status == 200 {
                    #expect(issued.string("id_token") != nil)
                    let refresh = try #require(issued.string("refresh_token"))
                    let refreshed = try await OAuthEndpointsTests.form(
                        servers[(round + 1) % 3],
                        "/oauth/token",
                        "grant_type=refresh_token&client_id=tv&refresh_token=\(refresh)"
                    )
                    #expect(refreshed.error == "invalid_grant", "round \(round): \(refreshed.text)")
                }
                // And once more, alone: still spent.
                try await Task.sleep(for: .seconds(5))
                #expect(try await DeviceGrantEndpointTests.poll(servers[1], deviceCode).error == "invalid_grant")
            }
            // One device, polled on one instance at a time after its approval elsewhere: a session that rotates.
            let started = try await DeviceGrantEndpointTests.start(servers[1])
            let deviceCode = try #require(started.string("device_code"))
            let userCode = try #require(started.string("user_code"))
            #expect(try await DeviceGrantEndpointTests.decide(browser, userCode: userCode).status == 200)
            let issued = try await DeviceGrantEndpointTests.poll(servers[2], deviceCode)
            #expect(issued.status == 200, "\(issued.text)")
            let refreshed = try await OAuthEndpointsTests.form(
                servers[1],
                "/oauth/token",
                "grant_type=refresh_token&client_id=tv&refresh_token=\(try #require(issued.string("refresh_token")))"
            )
            #expect(refreshed.status == 200, "\(refreshed.text)")
        }
    }
}
