import Foundation
import RotorTestSupport
import Testing

/// The example under Examples/, run the way a developer runs it: `rotor serve`, the resource service, and the
/// command-line client, as three processes over loopback.
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
}
