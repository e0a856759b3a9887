import Foundation
import RotorProtocol
import RotorTestSupport
import Testing

/// Machines across three `rotor serve` processes on one PostgreSQL: a `private_key_jwt` assertion is single use
/// across the group, however many instances it is sent to at once.
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
}
