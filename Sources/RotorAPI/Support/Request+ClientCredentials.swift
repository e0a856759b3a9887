import Foundation
import Hummingbird
import RotorCore
import RotorJWT

extension Request {
    /// The client credentials of a token request (RFC 6749 §2.3.1): HTTP Basic with the form-encoded id and
    /// secret, or `client_id` and `client_secret` in the form, or a `client_assertion` (RFC 7523), or a public
    /// client's `client_id` alone; nil when the request names no client (the JSON API's own refresh at
    /// `/oauth/token`).
    /// - Throws: ``APIError`` 400 `invalid_request` for two methods at once, an assertion of another type, or a
    ///   client id that the form contradicts; ``EngineError/invalidClient(basic:)`` for an unreadable Basic header
    ///   or an assertion that names no client.
    func clientCredentials(form: [String: String]) throws -> ClientCredentials? {
        if form["client_assertion"] != nil || form["client_assertion_type"] != nil {
            return try assertionCredentials(form: form)
        }
        if let value = headers.value(.authorization),
            let encoded = AuthorizationCredential.credential(value, scheme: "basic")
        {
            guard form["client_secret"] == nil else {
                throw APIError.invalidRequest("Use one client authentication method, not Basic and client_secret.")
            }
            guard let data = Data(base64Encoded: encoded), let text = String(validating: data, as: UTF8.self),
                let colon = text.firstIndex(of: ":"),
                let id = Self.formDecoded(text[..<colon]),
                let secret = Self.formDecoded(text[text.index(after: colon)...])
            else { throw EngineError.invalidClient(basic: true) }
            if let named = form["client_id"], named != id {
                throw APIError.invalidRequest("The client_id differs from the one in the Authorization header.")
            }
            return ClientCredentials(clientId: id, method: .clientSecretBasic, secret: secret)
        }
        guard let id = form["client_id"] else {
            guard form["client_secret"] == nil else { throw APIError.invalidRequest("client_secret needs client_id.") }
            return nil
        }
        if let secret = form["client_secret"] {
            return ClientCredentials(clientId: id, method: .clientSecretPost, secret: secret)
        }
        return ClientCredentials(clientId: id, method: .none)
    }

    /// `private_key_jwt` (RFC 7523 §2.2): the assertion, and the client it names (`client_id` may be left out).
    private func assertionCredentials(form: [String: String]) throws -> ClientCredentials {
        guard !headers.has(.authorization), form["client_secret"] == nil else {
            throw APIError.invalidRequest("Use one client authentication method, not an assertion and a secret.")
        }
        guard form["client_assertion_type"] == ClientAssertion.type, let assertion = form["client_assertion"] else {
            throw APIError.invalidRequest(
                "client_assertion needs client_assertion_type=\(ClientAssertion.type), and the other way round."
            )
        }
        guard let claimed = ClientAssertion.claimedClient(assertion) else {
            throw EngineError.invalidClient(basic: false)
        }
        if let named = form["client_id"], named != claimed {
            throw APIError.invalidRequest("The client_id differs from the client the assertion is from.")
        }
        return ClientCredentials(clientId: claimed, method: .privateKeyJWT, assertion: assertion)
    }

    /// RFC 6749 appendix B: the Basic id and secret are form-encoded before base64.
    private static func formDecoded(_ text: Substring) -> String? {
        FormDecoding.component(text.utf8)
    }
}
