import Foundation
import RotorTestSupport
import Testing

/// docs/protocol.md (guarantees): a token pair sent to a client survives `kill -9` of the server the moment after.
@Suite("Durability of the real rotor binary", .serialized)
struct DurabilityTests {
    @Test("after SIGKILL and a restart on the same file, the last pair and the signing key still work")
    func killNine() async throws {
        try await TemporaryDirectory.with { directory in
            let environment = ["ROTOR_DATABASE_URL": "sqlite://rotor.sqlite", "ROTOR_PORT": "0"]
            let first = try RotorProcess(environment: environment, workingDirectory: directory.url)
            var http = TestHTTP(port: first.port)
            #expect(try await http.signUp("ada@example.com", "correct horse").status == 201)
            let login = try await http.login("ada@example.com", "correct horse")
            var refresh = try login.issued().refresh
            var access = ""
            for _ in 0..<3 {
                let rotated = try await http.refresh(refresh)
                #expect(rotated.status == 200)
                refresh = try rotated.issued().refresh
                access = try rotated.issued().access
            }
            first.kill9()  // the moment after the last answer

            let second = try RotorProcess(environment: environment, workingDirectory: directory.url)
            defer { second.stop() }
            http = TestHTTP(port: second.port)
            // The access token signed before the crash verifies: the key came back from the file.
            let me = try await http.get("/v1/me", bearer: access)
            #expect(me.status == 200 && me.string("email") == "ada@example.com")
            // The last refresh token rotates once more, and the session goes on.
            let after = try await http.refresh(refresh)
            #expect(after.status == 200, "\(after.text)")
            let next = try after.issued().refresh
            #expect(try await http.refresh(next).status == 200)
            #expect(FileManager.default.fileExists(atPath: directory.path("rotor.sqlite")))
        }
    }
}

/// docs/operations.md: settings from flags and environment; a bad one stops start-up with one line naming it.
@Suite("Configuration of the real rotor binary", .serialized)
struct ConfigurationTests {
    @Test(
        "a bad setting stops start-up with exactly one line naming it",
        arguments: [
            ("ROTOR_ACCESS_TTL", "abc"), ("ROTOR_ACCESS_TTL", "0"), ("ROTOR_PORT", "70000"),
            ("ROTOR_REUSE_GRACE", "-1"),
            ("ROTOR_REFRESH_TTL", "ten"), ("ROTOR_SESSION_MAX_AGE", "1.5"), ("ROTOR_ALLOW_SIGNUP", "maybe"),
            ("ROTOR_ISSUER", "ftp://x"), ("ROTOR_DATABASE_URL", "mysql://x"), ("ROTOR_SIGNING_ALG", "none"),
            ("ROTOR_SIGNING_ALG", "HS256"), ("ROTOR_LOG_LEVEL", "loud"), ("ROTOR_COOKIE_SECURE", "sometimes"),
            ("ROTOR_ALLOWED_ORIGINS", "https://ok.example,not an origin"),
            ("ROTOR_ALLOWED_ORIGINS", "https://app.example/path"),
            ("ROTOR_MAX_SESSIONS_PER_USER", "0"), ("ROTOR_TRUSTED_PROXIES", "10.0.0.0/99"),
            ("ROTOR_PRUNE_INTERVAL", "-5"),
            ("ROTOR_INTROSPECTION_SECRET", "short"), ("ROTOR_MASTER_KEY", "c2hvcnQ="),
        ]
    )
    func badSetting(variable: String, value: String) async throws {
        try await TemporaryDirectory.with { directory in
            let result = try RotorProcess.runToEnd(
                arguments: ["serve"],
                environment: ["ROTOR_PORT": "0"].merging([variable: value]) { _, new in new },
                workingDirectory: directory.url
            )
            #expect(result.status == 78)
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(result.stderr)")
            #expect(lines.first?.contains(variable) == true)
            #expect(!FileManager.default.fileExists(atPath: directory.path("rotor.sqlite")))
        }
    }

    @Test(
        "a PostgreSQL URL's password never shows in an error, bad or unreachable",
        arguments: [
            "postgres://rotor:hunter2-secret@127.0.0.1:5432/rotor?sslmode=sometimes",
            "postgres://rotor:hunter2-secret@127.0.0.1:5432/",
            "postgres://rotor:hunter2-secret@127.0.0.1:1/rotor?sslmode=disable",
        ]
    )
    func postgresPasswordStaysSecret(url: String) async throws {
        try await TemporaryDirectory.with { directory in
            let result = try RotorProcess.runToEnd(
                arguments: ["serve"],
                environment: ["ROTOR_PORT": "0", "ROTOR_DATABASE_URL": url],
                workingDirectory: directory.url
            )
            #expect(result.status != 0)
            #expect(
                !result.stderr.isEmpty && !result.stderr.contains("hunter2") && !result.stdout.contains("hunter2"),
                "\(result.stderr)"
            )
            #expect(
                result.stderr.contains("ROTOR_DATABASE_URL") || result.stderr.contains("<redacted>@127.0.0.1:1"),
                "\(result.stderr)"
            )
        }
    }

    @Test("a flag wins over the environment")
    func flagWins() async throws {
        try await TemporaryDirectory.with { directory in
            // The environment's port is bad, the flag's is good: the server starts.
            let server = try RotorProcess(
                arguments: ["serve", "--port", "0", "--access-ttl", "120"],
                environment: ["ROTOR_PORT": "not-a-port", "ROTOR_ACCESS_TTL": "900"],
                workingDirectory: directory.url
            )
            defer { server.stop() }
            let http = TestHTTP(port: server.port)
            try await http.signUp("ada@example.com", "correct horse")
            let login = try await http.login("ada@example.com", "correct horse")
            #expect(login.json["expires_in"] as? Int == 120)
        }
    }

    @Test("rotor --help and rotor serve --help explain themselves")
    func help() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let top = try RotorProcess.runToEnd(arguments: ["--help"], environment: [:], workingDirectory: directory.url)
        #expect(top.status == 0 && top.stdout.contains("serve") && top.stdout.contains("migrate"))
        let serve = try RotorProcess.runToEnd(
            arguments: ["serve", "--help"],
            environment: [:],
            workingDirectory: directory.url
        )
        #expect(serve.status == 0)
        for flag in ["--database-url", "--port", "--issuer", "--access-ttl", "--reuse-grace", "ROTOR_REFRESH_TTL"] {
            #expect(serve.stdout.contains(flag), "\(flag) missing from serve --help")
        }
    }
}
