import Foundation
import HTTPTypes
import Hummingbird
import RotorCore
import RotorJWT
import RotorProtocol

// What the provider's pages share: reading and checking a form post, CSRF and origin checks, redirects.
extension AuthorizeController {
    /// A browser gets a page, not a JSON error body, for a request it cannot send on (bad encoding, too large).
    static func asPage(_ body: () async throws -> Response) async throws -> Response {
        try await Pages.answering(failureTitle: "This sign-in link does not work", body)
    }

    func errorRedirect(
        _ authorization: AuthorizationRequest,
        _ error: String,
        _ description: String
    )
        -> Response
    {
        Self.redirect(
            AuthorizationRedirect.error(
                AuthorizationErrorResponse(
                    redirectURI: authorization.redirectURI,
                    error: error,
                    description: description,
                    state: authorization.state
                ),
                issuer: support.engine.configuration.issuer
            )
        )
    }

    /// See ``RouteSupport/sameOrigin(_:)``.
    static func sameOrigin(_ request: Request, _ support: RouteSupport) -> Bool {
        support.sameOrigin(request)
    }

    /// A posted form of the provider's pages, with its authorization request checked again.
    struct CheckedForm {
        var fields: [(name: String, value: String)]
        var parameters: [(name: String, value: String)]
        var authorization: AuthorizationRequest
        var client: ClientRecord
    }

    enum PostedForm {
        case checked(CheckedForm)
        case answer(Response)
    }

    /// Reads a form post and checks the authorization request it carries, as the first request was checked.
    func postedForm(_ request: Request, context: AppRequestContext) async throws -> PostedForm {
        let fields = try await FormBody.pairs(request, context: context)
        let parameters = fields.filter { Self.carried.contains($0.name) }
        switch try await check(parameters) {
        case .answer(let response):
            return .answer(response)
        case .checked(let authorization, let client):
            return .checked(
                CheckedForm(fields: fields, parameters: parameters, authorization: authorization, client: client)
            )
        }
    }

    /// Answers a post of one of the provider's pages: `body` gets the form once the request it carries checks.
    func answerPostedForm(
        _ request: Request,
        context: AppRequestContext,
        _ body: (CheckedForm) async throws -> Response
    ) async throws -> Response {
        try await Self.asPage {
            switch try await postedForm(request, context: context) {
            case .answer(let response): return response
            case .checked(let form): return try await body(form)
            }
        }
    }

    /// See ``RouteSupport/csrfHolds(_:_:)``.
    func csrfHolds(_ fields: [(name: String, value: String)], _ request: Request) -> Bool {
        support.csrfHolds(fields, request)
    }

    enum Checked {
        case checked(AuthorizationRequest, ClientRecord)
        case answer(Response)
    }

    /// The request's checks: an error page where the client or redirect URI is not to be trusted, the RFC error
    /// at the registered redirect URI otherwise.
    func check(_ parameters: [(name: String, value: String)]) async throws -> Checked {
        let engine = support.engine
        var client: ClientRecord?
        if let id = AuthorizationRequest.clientId(in: parameters), id.utf8.count <= 256 {
            client = try? await engine.client(id: id)
        }
        do throws(AuthorizationError) {
            let authorization = try AuthorizationRequest.check(
                parameters,
                client: client,
                defaultAudience: engine.configuration.audience
            )
            guard let client else { return .answer(Self.invalidLink("This app is not registered here.")) }
            return .checked(authorization, client)
        } catch {
            switch error {
            case .page(let reason):
                return .answer(Self.invalidLink(reason))
            case .redirect(let response):
                return .answer(
                    Self.redirect(AuthorizationRedirect.error(response, issuer: engine.configuration.issuer))
                )
            }
        }
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    static func invalidLink(_ reason: String) -> Response {
        Pages.error(title: "This sign-in link does not work", message: reason, status: .badRequest)
    }
}
