import Foundation
import RotorCore
import Testing

/// The `client_credentials` decision (RFC 6749 §4.4, RFC 8707) as a table: who may use it, which scopes and which
/// audiences it grants, and the RFC error of each refusal.
@Suite("Machine grant: client_credentials")
struct MachineGrantTests {
    static let server = "https://api.example.com"

    static func client(
        method: ClientAuthMethod = .clientSecretBasic,
        grants: [GrantType] = [.clientCredentials],
        scopes: [String] = ["reports:read", "reports:write", "openid"],
        audience: String? = nil
    ) -> ClientRecord {
        ClientRecord(
            id: "reporter",
            metadata: ClientMetadata(
                grantTypes: grants,
                tokenEndpointAuthMethod: method,
                scopes: scopes,
                audience: audience
            ),
            createdAt: Date(timeIntervalSince1970: 0)
        )
    }

    enum Outcome: Equatable {
        case granted(scopes: [String], audience: [String])
        case unauthorizedClient
        case invalidScope
        case invalidTarget
    }

    @Test(
        "who gets what",
        arguments: [
            // No scope asked: every scope of the client that is not a person's.
            (client(), nil, [], Outcome.granted(scopes: ["reports:read", "reports:write"], audience: [server])),
            (client(), "", [], .granted(scopes: ["reports:read", "reports:write"], audience: [server])),
            (client(), "reports:read", [], .granted(scopes: ["reports:read"], audience: [server])),
            (client(), "reports:read reports:read", [], .granted(scopes: ["reports:read"], audience: [server])),
            (
                client(method: .clientSecretPost), "reports:write", [],
                .granted(scopes: ["reports:write"], audience: [server])
            ),
            (
                client(method: .privateKeyJWT), nil, [],
                .granted(scopes: ["reports:read", "reports:write"], audience: [server])
            ),
            // Audiences: the client's own, or the server's; a resource may name only that one.
            (
                client(audience: "https://reports.example"), nil, [],
                .granted(scopes: ["reports:read", "reports:write"], audience: ["https://reports.example"])
            ),
            (
                client(audience: "https://reports.example"), nil, ["https://reports.example"],
                .granted(scopes: ["reports:read", "reports:write"], audience: ["https://reports.example"])
            ),
            (
                client(), nil, [server, server],
                .granted(scopes: ["reports:read", "reports:write"], audience: [server])
            ),
            (client(audience: "https://reports.example"), nil, [server], .invalidTarget),
            (client(), nil, ["https://other.example"], .invalidTarget),
            (client(), nil, ["https://api.example.com#x"], .invalidTarget),
            (client(), nil, ["api.example.com"], .invalidTarget),
            // Scopes: within the client's, never a person's.
            (client(), "openid", [], .invalidScope),
            (client(), "reports:read email", [], .invalidScope),
            (client(), "admin", [], .invalidScope),
            // Clients: confidential ones registered for the grant.
            (client(method: .none), nil, [], .unauthorizedClient),
            (client(grants: [.authorizationCode, .refreshToken]), nil, [], .unauthorizedClient),
        ] as [(ClientRecord, String?, [String], Outcome)]
    )
    func decide(client: ClientRecord, scope: String?, resources: [String], expected: Outcome) {
        let outcome: Outcome
        do throws(GrantRefusal) {
            let grant = try MachineGrant.check(
                client: client,
                scope: scope,
                resources: resources,
                defaultAudience: Self.server
            )
            outcome = .granted(scopes: grant.scopes, audience: grant.audience)
        } catch {
            switch error {
            case .unauthorizedClient: outcome = .unauthorizedClient
            case .invalidScope: outcome = .invalidScope
            case .invalidTarget: outcome = .invalidTarget
            }
        }
        #expect(outcome == expected, "scope \(scope ?? "none"), resources \(resources)")
    }
}
