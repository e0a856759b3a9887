import Foundation
import RotorJWT
import RotorTestSupport
import Testing

/// docs/protocol.md: a full copy of the database yields no usable refresh token, and no password.
@Suite("Secrets at rest")
struct StorageTests {
    /// Every encoding a secret could hide in: the text, hex of it (both cases), base64 and base64url.
    static func encodings(of bytes: Data) -> [Data] {
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let base64 = bytes.base64EncodedString()
        return [
            bytes, Data(hex.utf8), Data(hex.uppercased().utf8), Data(base64.utf8),
            Data(base64.replacingOccurrences(of: "=", with: "").utf8), Data(Base64URL.encode(bytes).utf8),
        ]
    }

    @Test("after sign-up, login, refresh and a grace replay, no refresh token or password is in the files")
    func noSecretsInFiles() async throws {
        try await InProcessServer.run { http, path in
            let password = "correct horse battery staple"
            try await http.signUp("ada@example.com", password)
            let login = try await http.login("ada@example.com", password)
            var tokens = [try login.issued().refresh]
            let first = try await http.refresh(tokens[0])
            tokens.append(try first.issued().refresh)
            let replay = try await http.refresh(tokens[0])  // grace replay: the child is stored to be returned again
            #expect(replay.string("refresh_token") == tokens[1])
            let second = try await http.refresh(tokens[1])
            tokens.append(try second.issued().refresh)

            var secrets: [(String, Data)] = [("password", Data(password.utf8))]
            for token in tokens {
                secrets.append(("refresh token", Data(token.utf8)))
                // The random part alone, decoded, in case it were stored as bytes.
                secrets.append(("refresh token bytes", try #require(Base64URL.decode(String(token.dropFirst(4))))))
            }
            let files = [path, path + "-wal", path + "-shm"].filter { FileManager.default.fileExists(atPath: $0) }
            #expect(files.count >= 2)
            let contents = try files.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
            #expect(contents.reduce(0) { $0 + $1.count } > 0)
            // The check itself works: the email, which is not a secret, is found.
            #expect(contents.contains { $0.range(of: Data("ada@example.com".utf8)) != nil })
            for (name, secret) in secrets {
                for encoded in Self.encodings(of: secret) {
                    for data in contents {
                        #expect(data.range(of: encoded) == nil, "a \(name) is readable in the database files")
                    }
                }
            }
        }
    }
}
