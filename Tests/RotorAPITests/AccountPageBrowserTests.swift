import Foundation
import RotorTestSupport
import Testing

/// The account page in a real browser (headless Chromium through Selenium, `Tests/Browser/account_page.py`),
/// against the real `rotor serve` binary: sign up and sign in, the device list, revoking another device, the
/// password change, signing out; the refresh token never readable from JavaScript.
///
/// `scripts/test` installs Chromium, its driver and Selenium from Debian. Without them the test is skipped, except
/// with `CI` set, where it fails.
@Suite("Account page in a real browser", .serialized)
struct AccountPageBrowserTests {
    static let python = "/usr/bin/python3"
    static var browserInstalled: Bool {
        ["/usr/bin/chromium", "/usr/bin/chromedriver", python].allSatisfy {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }
    static var required: Bool {
        browserInstalled || ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } == true
    }

    /// Where screenshots go: `artifacts/` at the top of the repository (ignored by git).
    static let artifacts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("artifacts")

    @Test(
        "sign up, two devices, revoke one, change the password, sign out; no refresh token for scripts",
        .enabled(if: required, "needs chromium, chromium-driver and python3-selenium (scripts/test installs them)")
    )
    func accountPage() async throws {
        #expect(Self.browserInstalled, "chromium, chromium-driver or python3-selenium is missing")
        try await TemporaryDirectory.with { directory in
            // The page's origin must be the issuer's (the cookie's Origin check), so the port is chosen first.
            let port = try FreePort.find()
            let server = try RotorProcess(
                environment: [
                    "ROTOR_DATABASE_URL": "sqlite://rotor.sqlite", "ROTOR_PORT": "\(port)",
                    "ROTOR_ISSUER": "http://127.0.0.1:\(port)",
                ],
                workingDirectory: directory.url
            )
            defer { server.stop() }
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Browser/account_page.py")
            let run = try RotorProcess.runProgram(
                Self.python,
                arguments: [script.path, "http://127.0.0.1:\(port)", Self.artifacts.path],
                workingDirectory: directory.url,
                timeout: 240
            )
            #expect(run.status == 0, "account_page.py: \(run.stdout)\n\(run.stderr)")
            #expect(run.stdout.contains("every step as expected"))
            #expect(
                FileManager.default.fileExists(
                    atPath: Self.artifacts.appendingPathComponent("account-devices.png").path
                )
            )
        }
    }
}
