import Foundation
import HTTPTypes
import Hummingbird
import RotorCore
import RotorJWT
import RotorProtocol

// The hosted sign-in page and its post.
extension AuthorizeController {
    /// The sign-in form's post.
    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await answerPostedForm(request, context: context) { try await signInForm($0, request, context) }
    }

    private func signInForm(
        _ form: CheckedForm,
        _ request: Request,
        _ context: AppRequestContext
    ) async throws -> Response {
        let (fields, parameters, authorization, client) = (
            form.fields, form.parameters, form.authorization, form.client
        )
        func field(_ name: String) -> String? {
            let values = fields.filter { $0.name == name }
            return values.count == 1 ? values[0].value : nil
        }
        let email = field("email") ?? ""
        func again(_ problem: String, _ status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
            signInPage(
                parameters,
                authorization,
                client: client,
                email: email,
                problem: problem,
                status: status,
                headers: headers
            )
        }
        guard Self.sameOrigin(request, support) else {
            return again("This form was sent from another site. Sign in on this page.", .forbidden)
        }
        guard csrfHolds(fields, request) else {
            return again("This sign-in form had expired. Please sign in again.", .forbidden)
        }
        do {
            let signedIn = try await support.engine.signIn(
                email: email,
                password: field("password") ?? "",
                client: support.client(request, context)
            )
            let maxAge = Int(signedIn.session.absoluteExpiresAt.timeIntervalSince(support.engine.now()))
            return try await self.signedIn(
                parameters,
                authorization,
                client: client,
                sso: signedIn.session,
                setCookie: support.options.browser.ssoCookie(signedIn.cookie, maxAge: maxAge)
            )
        } catch let error as EngineError {
            guard let refusal = Self.signInRefusal(error) else { throw error }
            return again(refusal.problem, refusal.status, headers: refusal.headers)
        }
    }

    /// What a sign-in page says when the password check refuses, in words; nil for an error it does not explain.
    static func signInRefusal(
        _ error: EngineError
    ) -> (problem: String, status: HTTPResponse.Status, headers: HTTPFields)? {
        switch error {
        case .invalidCredentials:
            return ("The email or the password is not right.", .unauthorized, [:])
        case .invalidField(let name, _):
            return (
                name == "email" ? "Enter your email address." : "Enter your password (8 to 1024 characters).",
                .badRequest, [:]
            )
        case .accountDisabled:
            return ("This account has been disabled.", .forbidden, [:])
        case .rateLimited(let retryAfter):
            return (
                "Too many attempts. Try again in \(words(seconds: retryAfter)).",
                .tooManyRequests, [.retryAfter: String(retryAfter)]
            )
        case .overloaded(let retryAfter):
            return (
                "The server is busy. Try again in a moment.", .serviceUnavailable, [.retryAfter: String(retryAfter)]
            )
        default:
            return nil
        }
    }

    func signInPage(
        _ parameters: [(name: String, value: String)],
        _ authorization: AuthorizationRequest,
        client: ClientRecord,
        email: String,
        problem: String?,
        status: HTTPResponse.Status,
        headers: HTTPFields = [:]
    ) -> Response {
        let csrf = Base64URL.encode(SecureRandom.bytes(32))
        var headers = headers
        headers.append(HTTPField(name: .setCookie, value: support.options.browser.csrfCookie(csrf)))
        return Pages.signIn(
            Pages.SignIn(
                action: "/oauth/authorize/sign-in",
                app: client.metadata.name ?? client.id,
                csrf: csrf,
                parameters: parameters.filter { Self.carried.contains($0.name) }.map {
                    Pages.Parameter(name: $0.name, value: $0.value)
                },
                email: email,
                problem: problem
            ),
            status: status,
            redirectTo: authorization.redirectURI,
            headers: headers
        )
    }

    /// "40 seconds", "3 minutes": a retry delay in words.
    static func words(seconds: Int) -> String {
        seconds < 120 ? "\(seconds) seconds" : "\((seconds + 59) / 60) minutes"
    }
}
