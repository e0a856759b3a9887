import Foundation
import RotorClient
import RotorProtocol
import RotorTestSupport
import RotorVerifier
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `RotorClient.signInWithDevice` against a real Rotor on loopback, with a person approving on `/device` through
/// forms as a browser posts them: the prompt, polite polling, the session it gets (refreshed at `/oauth/token`,
/// bound to a DPoP key when asked), sign-out by revocation, and a denial.
@Suite("RotorClient: device sign-in")
struct DeviceClientTests {
    @Test(
        "the pace of polls: the interval, 5 s more after each slow_down, doubled after a timeout up to a minute",
        arguments: [
            (.pending, 5, 5), (.pending, 10, 10), (.slowDown, 5, 10), (.slowDown, 10, 15), (.unreachable, 5, 10),
            (.unreachable, 40, 60), (.unreachable, 0, 1),
        ] as [(DevicePollPace.Outcome, Int, Int)]
    )
    func pace(_ outcome: DevicePollPace.Outcome, _ interval: Int, _ next: Int) {
        #expect(DevicePollPace.next(after: outcome, interval: interval) == next)
    }

    /// Rotor with the public client `tv` (device and refresh grants) and Ada's account.
    static func withTV(_ body: @Sendable (TestHTTP, String) async throws -> Void) async throws {
        try await RotorFixture.run { http, issuer, database in
            let admin = try await http.adminAuthorization(database)
            _ = try await http.registerClient(
                ClientRegistrationRequest(
                    clientId: "tv",
                    clientName: "Living-room TV",
                    grantTypes: ["urn:ietf:params:oauth:grant-type:device_code", "refresh_token"],
                    tokenEndpointAuthMethod: "none",
                    scope: "openid email"
                ),
                admin: admin
            )
            #expect(try await http.signUp("ada@example.com", "correct horse").status == 201)
            try await body(http, issuer)
        }
    }

    @Test("approved on another screen: a session that refreshes, calls APIs and signs out", arguments: [false, true])
    func approved(dpop: Bool) async throws {
        try await Self.withTV { http, issuer in
            let store = MemoryTokenStore()
            let client = RotorClient(baseURL: URL(string: issuer)!, store: store, useDPoP: dpop)
            let shownAt = ContinuousClock.now
            try await client.signInWithDevice(clientId: "tv", scope: "openid email") { prompt in
                #expect(prompt.verificationURI.absoluteString == issuer + "/device")
                #expect(prompt.verificationURIComplete?.query == "user_code=" + prompt.userCode)
                #expect(prompt.userCode.wholeMatch(of: #/[A-Z]{4}-[A-Z]{4}/#) != nil, "\(prompt.userCode)")
                let decided = try await TestBrowser(http).decideDevice(
                    userCode: prompt.userCode,
                    email: "ada@example.com",
                    password: "correct horse",
                    app: "Living-room TV"
                )
                #expect(decided.text.contains("Device connected"))
            }
            // Polite: the first poll waited for the interval Rotor asked (5 s), so it was not told to slow down.
            #expect(ContinuousClock.now - shownAt >= .seconds(5))
            #expect(try await client.isLoggedIn)
            let first = try #require(try await store.load())
            #expect(first.clientId == "tv" && first.tokenType == (dpop ? "DPoP" : "Bearer"))
            let verifier = RotorFixture.verifier(issuer: issuer)
            if dpop {
                // Bound to the client's key: useless as a bearer token.
                await #expect(throws: VerificationError.self) { try await verifier.verify(first.accessToken) }
            } else {
                let verified = try await verifier.verify(first.accessToken)
                #expect(verified.clientId == "tv" && verified.scopes == ["openid", "email"])
                #expect(verified.caller == .person(userId: verified.subject, sessionId: first.sessionId))
            }

            // The session rotates at /oauth/token with the client's id, and the token works at userinfo.
            try await client.refresh()
            let rotated = try #require(try await store.load())
            #expect(rotated.refreshToken != first.refreshToken && rotated.sessionId == first.sessionId)
            let (body, response) = try await client.send(
                authorized: URLRequest(url: URL(string: issuer + "/oauth/userinfo")!)
            )
            #expect(response.statusCode == 200, "\(String(decoding: body, as: UTF8.self))")
            let userInfo = try JSONDecoder().decode(UserInfoResponse.self, from: body)
            #expect(userInfo.email == "ada@example.com")

            // Signing out revokes the session: its refresh token is dead.
            try await client.logOut()
            let stillSignedIn = try await client.isLoggedIn
            #expect(stillSignedIn == false)
            let dead = try await http.send(
                .POST,
                "/oauth/token",
                headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: Data("grant_type=refresh_token&client_id=tv&refresh_token=\(rotated.refreshToken)".utf8)
            )
            #expect(dead.error == "invalid_grant", "\(dead.text)")
        }
    }

    @Test("denied on another screen: access_denied, and no session")
    func denied() async throws {
        try await Self.withTV { http, issuer in
            let client = RotorClient(baseURL: URL(string: issuer)!)
            await #expect(
                throws: RotorClientError.server(
                    status: 400,
                    error: "access_denied",
                    description: "The person denied this device."
                )
            ) {
                try await client.signInWithDevice(clientId: "tv") { prompt in
                    _ = try await TestBrowser(http).decideDevice(
                        userCode: prompt.userCode,
                        email: "ada@example.com",
                        password: "correct horse",
                        app: "Living-room TV",
                        allow: false
                    )
                }
            }
            let signedIn = try await client.isLoggedIn
            #expect(signedIn == false)
            // A client the device grant is not for is refused before any code is shown.
            await #expect(throws: RotorClientError.self) {
                try await client.signInWithDevice(clientId: "nobody") { _ in Issue.record("a code was shown") }
            }
        }
    }
}
