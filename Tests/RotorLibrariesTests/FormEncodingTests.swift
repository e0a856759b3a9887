import Foundation
import Testing

@testable import RotorClient

/// The client libraries' form encoding (RFC 6749 appendix B): only ASCII unreserved characters stay as they are.
@Suite("RotorClient: form encoding")
struct FormEncodingTests {
    @Test(
        "everything but ASCII letters, digits and -._~ is percent-encoded as UTF-8",
        arguments: [
            ("rcs_AZaz09-._~", "rcs_AZaz09-._~"), ("a b+c", "a%20b%2Bc"), ("x=y&z", "x%3Dy%26z"), ("é", "%C3%A9"),
            ("١٢", "%D9%A1%D9%A2"), ("✓", "%E2%9C%93"), ("", ""),
        ]
    )
    func encoding(_ value: String, _ encoded: String) {
        #expect(FormEncoding.encode(value) == encoded)
    }

    @Test("a body keeps its fields in order")
    func body() {
        let body = FormEncoding.body([("grant_type", "refresh_token"), ("client_id", "cli é")])
        #expect(String(decoding: body, as: UTF8.self) == "grant_type=refresh_token&client_id=cli%20%C3%A9")
    }
}
