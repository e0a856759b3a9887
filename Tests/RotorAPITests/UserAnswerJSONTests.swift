import Foundation
import RotorAPI
import RotorProtocol
import Testing

/// The account answer is written directly; it must say what `JSONEncoder` says.
@Suite("Account answer JSON")
struct UserAnswerJSONTests {
    @Test("the direct account answer equals JSONEncoder's, for awkward strings, with and without roles")
    func sameAsEncoder() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        let awkward = [
            "", "ada@example.com", "quote \" and \\ backslash", "tab\there", "line\nbreak\r",
            "\u{01}\u{1F}\u{7F}", "ünïcødé ✓ 🔑", "</script>",
        ]
        for text in awkward {
            for roles in [nil, [], [text, "admin"]] as [[String]?] {
                let user = UserResponse(id: "u-\(text)", email: text, createdAt: "2026-12-01T12:00:00Z", roles: roles)
                let direct = JSONResponse.userJSON(user)
                // The same bytes where no escape is involved, the same document always.
                #expect(try JSONDecoder().decode(UserResponse.self, from: direct) == user, "\(text)")
                let reference = try encoder.encode(user)
                #expect(
                    try JSONSerialization.jsonObject(with: direct) as? NSDictionary
                        == JSONSerialization.jsonObject(with: reference) as? NSDictionary
                )
                if !text.unicodeScalars.contains(where: { $0.value < 0x20 }) {
                    #expect(direct == reference, "\(String(decoding: direct, as: UTF8.self))")
                }
            }
        }
    }

    @Test("the direct client_credentials answer is the same bytes as JSONEncoder's")
    func machineTokenSameAsEncoder() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        for scope in ["", "reports.read", "reports.read reports.write", "a/b"] {
            for expiresIn in [0, 900, 86_400] {
                let answer = MachineTokenResponse(accessToken: "eyJ.x_y-z.sig", expiresIn: expiresIn, scope: scope)
                #expect(JSONResponse.machineTokenJSON(answer) == (try encoder.encode(answer)), "\(scope) \(expiresIn)")
            }
        }
    }
}
