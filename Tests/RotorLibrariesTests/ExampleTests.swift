import Foundation
import RotorTestSupport
import Testing

/// The examples under Examples/, run the way a developer runs them: `rotor serve`, the resource service, and the
/// command-line client, as three processes over loopback; and the device-flow tool, approved on `/device`.
@Suite("The example", .serialized)
struct ExampleTests {
    static func binary(_ name: String) -> URL {
        RotorProcess.executable.deletingLastPathComponent().appendingPathComponent(name)
    }

    @Test(
        "the client logs in, calls the protected service (bearer and DPoP), refreshes and logs out",
        arguments: [false, true]
    )
    func example(dpop: Bool) async throws {
        try await TemporaryDirectory.with { directory in
            let rotorPort = try FreePort.find()
            let rotorURL = "http://127.0.0.1:\(rotorPort)"
            let rotor = try RotorProcess(
                environment: [
                    "ROTOR_DATABASE_URL": "sqlite://rotor.sqlite", "ROTOR_PORT": "\(rotorPort)",
                    "ROTOR_ISSUER": rotorURL,
                ],
                workingDirectory: directory.url
            )
            defer { rotor.stop() }
            let servicePort = try FreePort.find()
            let service = Process()
            service.executableURL = Self.binary("ExampleResourceService")
            service.environment = ["ROTOR_URL": rotorURL, "PORT": "\(servicePort)", "PATH": "/usr/bin:/bin"]
            let log = directory.url.appendingPathComponent("service.out")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            service.standardOutput = try FileHandle(forWritingTo: log)
            service.standardError = FileHandle.nullDevice
            try service.run()
            defer {
                service.terminate()
                service.waitUntilExit()
            }
            // Wait (at most 30 s) for its listening line.
            let deadline = Date().addingTimeInterval(30)
            var started = ""
            while !started.contains("listening"), Date() < deadline, service.isRunning {
                try await Task.sleep(for: .milliseconds(100))
                started = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            }
            #expect(started.contains("resource service listening"), "\(started)")

            let run = try RotorProcess.runProgram(
                Self.binary("ExampleClient").path,
                arguments: [
                    "--rotor", rotorURL, "--service", "http://127.0.0.1:\(servicePort)",
                    "--email", "ada@example.com", "--password", "correct horse battery",
                ] + (dpop ? ["--dpop"] : []),
                workingDirectory: directory.url,
                timeout: 60
            )
            #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
            let lines = run.stdout.split(separator: "\n").map(String.init)
            #expect(lines.filter { $0.hasPrefix("GET /hello → 200: hello ") }.count == 2, "\(run.stdout)")
            #expect(lines.contains("refreshed") && lines.contains("GET /admin → 403") && lines.contains("logged out"))
            #expect(lines.contains(dpop ? "logged in with a DPoP-bound session" : "logged in"))
        }
    }

    @Test("the device-flow tool prints a code, is approved on /device, calls userinfo, and keeps its session")
    func deviceLogin() async throws {
        try await TemporaryDirectory.with { directory in
            let port = try FreePort.find()
            let rotorURL = "http://127.0.0.1:\(port)"
            let database = "sqlite://\(directory.path("rotor.sqlite"))"
            let rotor = try RotorProcess(
                environment: ["ROTOR_DATABASE_URL": database, "ROTOR_PORT": "\(port)", "ROTOR_ISSUER": rotorURL],
                workingDirectory: directory.url
            )
            defer { rotor.stop() }
            let created = try RotorProcess.runToEnd(
                arguments: [
                    "clients", "create", "--client-id", "cli", "--client-name", "Example CLI",
                    "--token-endpoint-auth-method", "none", "--grant-type",
                    "urn:ietf:params:oauth:grant-type:device_code", "--grant-type", "refresh_token", "--scope",
                    "openid email", "--database-url", database,
                ],
                workingDirectory: directory.url
            )
            #expect(created.status == 0, "\(created.stderr)")
            let http = TestHTTP(port: port)
            #expect(try await http.signUp("ada@example.com", "correct horse battery").status == 201)
            let sessionFile = directory.path("session.json")
            let arguments = ["--rotor", rotorURL, "--client-id", "cli", "--session-file", sessionFile]

            // The first run waits for a person: it is started, its code read from its output, and approved.
            let tool = Process()
            tool.executableURL = Self.binary("ExampleDeviceLogin")
            tool.arguments = arguments
            let log = directory.url.appendingPathComponent("tool.out")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            tool.standardOutput = try FileHandle(forWritingTo: log)
            tool.standardError = tool.standardOutput
            try tool.run()
            defer { if tool.isRunning { tool.terminate() } }
            let deadline = Date().addingTimeInterval(30)
            var output = ""
            while output.firstMatch(of: #/enter the code ([A-Z]{4}-[A-Z]{4})/#) == nil, Date() < deadline {
                try await Task.sleep(for: .milliseconds(100))
                output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            }
            let code = try #require(
                output.firstMatch(of: #/enter the code ([A-Z]{4}-[A-Z]{4})/#)?.output.1,
                "\(output)"
            )
            #expect(output.contains("open \(rotorURL)/device "), "\(output)")
            let decided = try await TestBrowser(http).decideDevice(
                userCode: String(code),
                email: "ada@example.com",
                password: "correct horse battery",
                app: "Example CLI"
            )
            #expect(decided.text.contains("Device connected"))
            while tool.isRunning, Date() < deadline.addingTimeInterval(30) {
                try await Task.sleep(for: .milliseconds(100))
            }
            output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            #expect(!tool.isRunning && tool.terminationStatus == 0, "\(output)")
            #expect(output.contains("signed in\n") && output.contains("you are ada@example.com"), "\(output)")

            // The next run finds its session in the file (mode 0600), and signs out.
            let mode = try FileManager.default.attributesOfItem(atPath: sessionFile)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            let again = try RotorProcess.runProgram(
                Self.binary("ExampleDeviceLogin").path,
                arguments: arguments + ["--sign-out"],
                workingDirectory: directory.url,
                timeout: 60
            )
            #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")
            #expect(
                again.stdout.split(separator: "\n") == [
                    "already signed in", "you are ada@example.com", "signed out",
                ],
                "\(again.stdout)"
            )
        }
    }
}
