import RotorPostgres
import Testing

@Suite("PostgreSQL URLs")
struct PostgresURLTests {
    @Test("the parts, percent-decoded, with libpq's sslmode names and defaults")
    func parts() throws {
        let url = try PostgresURL(
            "postgres://ro%40tor:p%3Ass@db.example.com:6543/auth%2Dprod?sslmode=verify-full&sslrootcert=/etc/ca.pem"
        )
        #expect(url.username == "ro@tor" && url.password == "p:ss" && url.host == "db.example.com" && url.port == 6543)
        #expect(url.database == "auth-prod" && url.tls == .verifyFull && url.rootCertificatePath == "/etc/ca.pem")
        let plain = try PostgresURL("postgresql://rotor@127.0.0.1/rotor")
        #expect(plain.port == 5432 && plain.password == nil && plain.tls == .prefer)
    }

    @Test("the description never shows the password")
    func redacted() throws {
        let url = try PostgresURL("postgres://rotor:hunter2@127.0.0.1:5432/rotor?sslmode=disable")
        #expect("\(url)" == "postgres://rotor:<redacted>@127.0.0.1:5432/rotor?sslmode=disable")
    }

    @Test(
        "refusals name the problem and never quote the password",
        arguments: [
            "mysql://rotor:hunter2@h/db", "postgres://rotor:hunter2@/db", "postgres://:hunter2@h/db",
            "postgres://rotor:hunter2@h",
            "postgres://rotor:hunter2@h/db/extra", "postgres://rotor:hunter2@h/db?sslmode=maybe",
            "postgres://rotor:hunter2@h/db?pool=3",
        ]
    )
    func refusals(text: String) {
        #expect(throws: PostgresURLError.self) { _ = try PostgresURL(text) }
        do {
            _ = try PostgresURL(text)
        } catch {
            #expect(!error.description.contains("hunter2") && !error.description.isEmpty)
        }
    }

    @Test("a connection is reported unverified below verify-ca to a host that is not this machine")
    func unverified() throws {
        let cases: [(String, Bool)] = [
            ("postgres://r@db.example.com/rotor", true),  // libpq's default, prefer
            ("postgres://r@db.example.com/rotor?sslmode=require", true),
            ("postgres://r@10.0.0.5/rotor?sslmode=disable", true),
            ("postgres://r@db.example.com/rotor?sslmode=verify-ca", false),
            ("postgres://r@db.example.com/rotor?sslmode=verify-full", false),
            ("postgres://r@127.0.0.1/rotor", false),
            ("postgres://r@localhost/rotor?sslmode=disable", false),
            ("postgres://r@[::1]/rotor", false),
        ]
        for (text, unverified) in cases {
            #expect(try PostgresURL(text).connectionIsUnverified == unverified, "\(text)")
        }
    }
}
