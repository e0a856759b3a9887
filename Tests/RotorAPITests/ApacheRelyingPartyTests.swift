import Foundation
import RotorProtocol
import RotorTestSupport
import Testing

/// Rotor as the OpenID provider of two apps behind a relying party that no one here wrote: Apache httpd with
/// mod_auth_openidc, both from Debian, configured by `Tests/RelyingParty/apache/httpd.conf` with nothing of Rotor but
/// its issuer. `Tests/RelyingParty/apache_sso.py` plays the person's browser: sign-in, single sign-on to the second
/// app, a refresh, RP-initiated logout, and back-channel logout of both apps.
///
/// `scripts/test` installs `apache2` and `libapache2-mod-auth-openidc`. Without them the test is skipped, except with
/// `CI` set, where it fails.
@Suite("Relying parties: Apache httpd with mod_auth_openidc")
struct ApacheRelyingPartyTests {
    static var required: Bool {
        ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } == true || ApacheHTTPD.installed
    }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("RelyingParty")

    @Test(
        "two apps by discovery alone: sign-in, SSO, refresh, RP-initiated and back-channel logout of both",
        .enabled(if: required, "needs apache2 and libapache2-mod-auth-openidc (scripts/test installs them)")
    )
    func twoApps() async throws {
        #expect(ApacheHTTPD.installed, "apache2 or libapache2-mod-auth-openidc is missing")
        #expect(RelyingPartyTests.authlibInstalled, "requests is missing from \(RelyingPartyTests.python)")
        try await TemporaryDirectory.with { directory in
            // Apache's workers run as www-data when started by root: they must read the pages.
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.url.path)
            let root = directory.url.appendingPathComponent("apache")
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent("run"),
                withIntermediateDirectories: true
            )
            try FileManager.default.copyItem(
                at: Self.folder.appendingPathComponent("apache/htdocs"),
                to: root.appendingPathComponent("htdocs")
            )
            for path in ["", "htdocs", "htdocs/app", "htdocs/app/index.html", "htdocs/signed-out.html"] {
                try FileManager.default.setAttributes(
                    [.posixPermissions: path.hasSuffix(".html") ? 0o644 : 0o755],
                    ofItemAtPath: root.appendingPathComponent(path).path
                )
            }

            let ports = try FreePort.find(count: 3)
            let (port, wikiPort, blogPort) = (ports[0], ports[1], ports[2])
            let issuer = "http://127.0.0.1:\(port)"
            let database = "sqlite://\(directory.path("rotor.sqlite"))"
            // Plain http on loopback: cookies without Secure (a client library sends Secure ones only over https).
            let server = try RotorProcess(
                environment: [
                    "ROTOR_DATABASE_URL": database, "ROTOR_PORT": "\(port)", "ROTOR_ISSUER": issuer,
                    "ROTOR_COOKIE_SECURE": "false",
                ],
                workingDirectory: directory.url
            )
            defer { server.stop() }
            var secrets: [String: String] = [:]
            for (app, appPort) in [("wiki", wikiPort), ("blog", blogPort)] {
                let base = "http://127.0.0.1:\(appPort)"
                let created = try RotorProcess.runToEnd(
                    arguments: [
                        "clients", "create", "--client-id", app, "--client-name", app.capitalized,
                        "--redirect-uri", "\(base)/redirect_uri", "--post-logout-redirect-uri",
                        "\(base)/signed-out.html", "--backchannel-logout-uri",
                        "\(base)/redirect_uri?logout=backchannel",
                        "--scope", "openid email", "--first-party", "--database-url", database,
                    ],
                    workingDirectory: directory.url
                )
                #expect(created.status == 0, "\(created.stderr)")
                let client = try JSONDecoder().decode(ClientInformation.self, from: Data(created.stdout.utf8))
                secrets[app] = try #require(client.clientSecret)
            }
            #expect(try await TestHTTP(port: port).signUp("ada@example.com", "correct horse battery").status == 201)

            let apache = try ApacheHTTPD(
                configuration: Self.folder.appendingPathComponent("apache/httpd.conf"),
                environment: [
                    "RP_ROOT": root.path, "ROTOR_ISSUER": issuer, "RP_PASSPHRASE": UUID().uuidString,
                    "WIKI_PORT": "\(wikiPort)", "WIKI_SECRET": secrets["wiki"] ?? "",
                    "BLOG_PORT": "\(blogPort)", "BLOG_SECRET": secrets["blog"] ?? "",
                ],
                ports: [wikiPort, blogPort],
                workingDirectory: directory.url
            )
            defer { apache.stop() }

            let run = try RotorProcess.runProgram(
                RelyingPartyTests.python,
                arguments: [
                    Self.folder.appendingPathComponent("apache_sso.py").path, issuer, "http://127.0.0.1:\(wikiPort)",
                    "http://127.0.0.1:\(blogPort)", "ada@example.com", "correct horse battery",
                ],
                workingDirectory: directory.url,
                timeout: 180
            )
            let errors = (try? String(contentsOf: root.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
            #expect(run.status == 0, "apache_sso.py: \(run.stdout)\n\(run.stderr)\nApache's error.log:\n\(errors)")
            #expect(run.stdout.contains("every step as expected"))

            // The logouts reached Apache by back channel: the blog after the wiki's logout, then both apps.
            let access = try String(contentsOf: root.appendingPathComponent("access.log"), encoding: .utf8)
            let deliveries = access.split(separator: "\n").filter {
                $0.contains("\"POST /redirect_uri?logout=backchannel HTTP/1.1\" 200")
            }
            #expect(deliveries.count >= 3, "\(access)")
        }
    }
}
