import Crypto
import Foundation
import RotorProtocol
import RotorTestSupport
import Testing

/// Rotor as the OpenID provider of a relying party that no one here wrote: Authlib's client
/// (`Tests/RelyingParty/authlib_code_flow.py`), configured with only the issuer, against the real `rotor serve`.
///
/// `scripts/test` installs Authlib into its venv and names the interpreter in `ROTOR_TEST_PYTHON`. Without it the
/// test is skipped, except with `CI` set, where it fails.
@Suite("Relying parties: Authlib")
struct RelyingPartyTests {
    static let python = ProcessInfo.processInfo.environment["ROTOR_TEST_PYTHON"] ?? "/usr/bin/python3"
    static var authlibInstalled: Bool {
        (try? RotorProcess.runProgram(
            python,
            arguments: ["-c", "import authlib, requests"],
            workingDirectory: FileManager.default.temporaryDirectory,
            timeout: 30
        ).status) == 0
    }
    static var required: Bool {
        ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } == true || authlibInstalled
    }

    /// A `rotor serve` on a free loopback port whose issuer is its own URL, on a new SQLite file, while `body` runs:
    /// `body` gets the port and `create`, which registers a client through `rotor clients create` and answers its
    /// client information.
    static func withRotor(
        _ body: (Int, TemporaryDirectory, _ create: ([String]) throws -> ClientInformation) async throws -> Void
    ) async throws {
        try await TemporaryDirectory.with { directory in
            let port = try FreePort.find()
            let database = "sqlite://\(directory.path("rotor.sqlite"))"
            // Plain http on loopback: cookies without Secure (a client library sends Secure ones only over https).
            let server = try RotorProcess(
                environment: [
                    "ROTOR_DATABASE_URL": database, "ROTOR_PORT": "\(port)",
                    "ROTOR_ISSUER": "http://127.0.0.1:\(port)", "ROTOR_COOKIE_SECURE": "false",
                ],
                workingDirectory: directory.url
            )
            defer { server.stop() }
            try await body(port, directory) { arguments in
                let created = try RotorProcess.runToEnd(
                    arguments: ["clients", "create"] + arguments + ["--database-url", database],
                    workingDirectory: directory.url
                )
                #expect(created.status == 0, "\(created.stderr)")
                return try JSONDecoder().decode(ClientInformation.self, from: Data(created.stdout.utf8))
            }
        }
    }

    /// The path of a relying-party script.
    static func script(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("RelyingParty/\(name)").path
    }

    @Test(
        "code + PKCE, ID token, userinfo and refresh rotation through Authlib, configured by discovery alone",
        .enabled(if: required, "needs Authlib (scripts/test installs it into .venv)")
    )
    func authlib() async throws {
        #expect(Self.authlibInstalled, "Authlib is missing from \(Self.python)")
        try await Self.withRotor { port, directory, create in
            let client = try create([
                "--client-id", "app", "--client-name", "The App", "--redirect-uri", "https://app.example/callback",
                "--scope", "openid email", "--first-party",
            ])
            let secret = try #require(client.clientSecret)
            let http = TestHTTP(port: port)
            #expect(try await http.signUp("ada@example.com", "correct horse battery").status == 201)

            let run = try RotorProcess.runProgram(
                Self.python,
                arguments: [
                    Self.script("authlib_code_flow.py"), "http://127.0.0.1:\(port)", "app", secret, "ada@example.com",
                    "correct horse battery",
                ],
                workingDirectory: directory.url,
                timeout: 120
            )
            #expect(run.status == 0, "authlib_code_flow.py: \(run.stdout)\n\(run.stderr)")
            #expect(run.stdout.contains("every step as expected"))
        }
    }

    @Test(
        "client_credentials through Authlib: with a secret and with its own private_key_jwt assertions",
        .enabled(if: required, "needs Authlib (scripts/test installs it into .venv)")
    )
    func authlibMachines() async throws {
        #expect(Self.authlibInstalled, "Authlib is missing from \(Self.python)")
        try await Self.withRotor { port, directory, create in
            let machine = ["--grant-type", "client_credentials", "--scope", "jobs.run"]
            let secret = try #require(try create(["--client-id", "jobs"] + machine).clientSecret)
            let key = AssertionKey(kid: "authlib-1")
            let jwksFile = directory.path("jwks.json")
            let pemFile = directory.path("key.pem")
            try JSONEncoder().encode(AssertionKey.set([key])).write(to: URL(fileURLWithPath: jwksFile))
            try key.key.pemRepresentation.write(toFile: pemFile, atomically: true, encoding: .utf8)
            let signer = try create(
                ["--client-id", "signer", "--token-endpoint-auth-method", "private_key_jwt", "--jwks-file", jwksFile]
                    + machine
            )
            #expect(signer.clientSecret == nil)

            let run = try RotorProcess.runProgram(
                Self.python,
                arguments: [
                    Self.script("authlib_machines.py"), "http://127.0.0.1:\(port)", "jobs", secret, "signer", pemFile,
                ],
                workingDirectory: directory.url,
                timeout: 120
            )
            #expect(run.status == 0, "authlib_machines.py: \(run.stdout)\n\(run.stderr)")
            #expect(run.stdout.contains("every step as expected"))
        }
    }

    @Test(
        "the device grant through Authlib's polling, approved and denied by a person in headless Chromium",
        .enabled(
            if: required || AccountPageBrowserTests.required,
            "needs Authlib (scripts/test installs it into .venv) and chromium, chromium-driver and python3-selenium"
        )
    )
    func authlibDevice() async throws {
        #expect(Self.authlibInstalled, "Authlib is missing from \(Self.python)")
        #expect(AccountPageBrowserTests.browserInstalled, "chromium, chromium-driver or python3-selenium is missing")
        try await Self.withRotor { port, directory, create in
            let tv = try create([
                "--client-id", "tv", "--client-name", "Living-room TV", "--token-endpoint-auth-method", "none",
                "--grant-type", "urn:ietf:params:oauth:grant-type:device_code", "--grant-type", "refresh_token",
                "--scope", "openid email",
            ])
            #expect(tv.clientSecret == nil)
            let http = TestHTTP(port: port)
            #expect(try await http.signUp("ada@example.com", "correct horse battery").status == 201)

            let run = try RotorProcess.runProgram(
                Self.python,
                arguments: [
                    Self.script("authlib_device.py"), "http://127.0.0.1:\(port)", "tv", "ada@example.com",
                    "correct horse battery", AccountPageBrowserTests.python, AccountPageBrowserTests.artifacts.path,
                ],
                workingDirectory: directory.url,
                timeout: 240
            )
            #expect(run.status == 0, "authlib_device.py: \(run.stdout)\n\(run.stderr)")
            #expect(run.stdout.contains("every step as expected"))
        }
    }
}
