import Foundation
import HTTPTypes
import Hummingbird
import RotorCore
import RotorJWT
import RotorProtocol

// The consent page's post.
extension AuthorizeController {
    /// The consent form's post: the signed-in person allows or denies the client.
    @Sendable func consent(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await answerPostedForm(request, context: context) { try await consentForm($0, request) }
    }

    private func consentForm(_ form: CheckedForm, _ request: Request) async throws -> Response {
        let (fields, parameters, authorization, client) = (
            form.fields, form.parameters, form.authorization, form.client
        )
        let engine = support.engine
        let values = fields.filter { $0.name == "decision" }.map(\.value)
        guard Self.sameOrigin(request, support), csrfHolds(fields, request) else {
            return Pages.error(
                title: "This form had expired",
                message: "Go back to the app and sign in again.",
                status: .forbidden
            )
        }
        let cookie = request.cookies[support.options.browser.ssoCookieName]?.value
        // The password must still be as recent as the request asks (prompt=login was honoured on the way here).
        guard let sso = try await engine.ssoSession(cookie: cookie),
            authorization.maxAge.map({ engine.now().timeIntervalSince(sso.authTime) <= Double($0) }) ?? true
        else {
            return signInPage(
                parameters,
                authorization,
                client: client,
                email: "",
                problem: "Your sign-in has ended. Please sign in again.",
                status: .unauthorized
            )
        }
        switch values.count == 1 ? values[0] : "" {
        case "allow":
            try await engine.grantConsent(userId: sso.userId, client: client, scopes: authorization.scopes)
            return try await codeRedirect(authorization, sso: sso, setCookie: nil)
        case "deny":
            return errorRedirect(authorization, "access_denied", "The person did not allow this app.")
        default:
            return Pages.error(title: "Nothing was chosen", message: "Choose Allow or Deny.", status: .badRequest)
        }
    }
}
