import Foundation
import RotorProtocol
import RotorTestSupport
import Testing

/// Single sign-on in a real browser (headless Chromium through Selenium, `Tests/Browser/sign_in_flow.py`) against
/// the real `rotor serve` binary: the hosted sign-in page on a phone's width and from the keyboard, a wrong
/// password in words, SSO to a second app with its consent page, the account page's apps, RP-initiated logout;
/// no token readable by a page's script.
///
/// Skipped without Chromium, its driver and Selenium, except with `CI` set, where it fails.
@Suite("Single sign-on in a real browser", .serialized)
struct OpenIDBrowserTests {
    @Test(
        "sign in once for two apps, consent, the account page's apps, logout",
        .enabled(
            if: AccountPageBrowserTests.required,
            "needs chromium, chromium-driver and python3-selenium (scripts/test installs them)"
        )
    )
    func singleSignOn() async throws {
        #expect(AccountPageBrowserTests.browserInstalled, "chromium, chromium-driver or python3-selenium is missing")
        try await TemporaryDirectory.with { directory in
            let port = try FreePort.find()
            let database = "sqlite://\(directory.path("rotor.sqlite"))"
            let server = try RotorProcess(
                environment: [
                    "ROTOR_DATABASE_URL": database, "ROTOR_PORT": "\(port)", "ROTOR_ISSUER": "http://127.0.0.1:\(port)",
                ],
                workingDirectory: directory.url
            )
            defer { server.stop() }
            func register(_ id: String, firstParty: Bool) throws -> String {
                let created = try RotorProcess.runToEnd(
                    arguments: [
                        "clients", "create", "--client-id", id, "--client-name", id.capitalized, "--redirect-uri",
                        "https://\(id).example/cb", "--database-url", database,
                    ] + (firstParty ? ["--first-party"] : []),
                    workingDirectory: directory.url
                )
                #expect(created.status == 0, "\(created.stderr)")
                let client = try JSONDecoder().decode(ClientInformation.self, from: Data(created.stdout.utf8))
                return try #require(client.clientSecret)
            }
            let wiki = try register("wiki", firstParty: true)
            let forum = try register("forum", firstParty: false)
            let http = TestHTTP(port: port)
            #expect(try await http.signUp("ada.lovelace@example.com", "correct horse battery").status == 201)

            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Browser/sign_in_flow.py")
            let run = try RotorProcess.runProgram(
                AccountPageBrowserTests.python,
                arguments: [
                    script.path, "http://127.0.0.1:\(port)", AccountPageBrowserTests.artifacts.path, wiki, forum,
                ],
                workingDirectory: directory.url,
                timeout: 240
            )
            #expect(run.status == 0, "sign_in_flow.py: \(run.stdout)\n\(run.stderr)")
            #expect(run.stdout.contains("every step as expected"))
        }
    }
}
