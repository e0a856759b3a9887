import Foundation
import HTTPTypes
import Hummingbird
import RotorCore
import RotorJWT
import RotorProtocol

/// The device authorization grant (RFC 8628): `POST /oauth/device_authorization` for the device, and the `/device`
/// pages where a person approves it from another screen.
///
/// The person signs in at `/device` (or is signed in already: the SSO session), types the code the device shows,
/// sees the client, its scopes and the code again, and allows or denies. Every code typed is looked up under the
/// login limits of that person and of the IP (a wrong code counts as a failed login), the decision's post too, so
/// that a user code cannot be found by guessing faster than a password. Every form carries the CSRF double submit
/// and has its `Origin` checked. The device then polls `/oauth/token` (``OAuthController``).
struct DeviceController: Sendable {
    let support: RouteSupport

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post("oauth/device_authorization", use: authorize)
        routes.get("device", use: page)
        routes.post("device", use: enterCode)
        routes.post("device/sign-in", use: signIn)
        routes.post("device/decision", use: decide)
        return routes
    }

    /// RFC 8628 §3.1–3.2: a client starts an authorization and gets its two codes.
    @Sendable func authorize(_ request: Request, context: AppRequestContext) async throws -> Response {
        let pairs = try await FormBody.pairs(request, context: context)
        let form = try FormBody.parameters(pairs, repeatable: ["resource"])
        guard let credentials = try request.clientCredentials(form: form) else {
            throw EngineError.invalidClient(basic: false)
        }
        let engine = support.engine
        let client = try await engine.authenticateClient(credentials, from: support.client(request, context))
        let started = try await engine.startDeviceAuthorization(
            client: client,
            scope: form["scope"],
            resources: pairs.filter { $0.name == "resource" }.map(\.value)
        )
        return try JSONResponse.make(
            DeviceAuthorizationResponse(
                deviceCode: started.deviceCode,
                userCode: started.userCode,
                verificationURI: started.verificationURI,
                verificationURIComplete: started.verificationURIComplete,
                expiresIn: started.expiresIn,
                interval: started.interval
            ),
            headers: JSONResponse.noStoreHeaders
        )
    }

    /// `GET /device[?user_code=…]`: the code entry for a signed-in person, else the sign-in page.
    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await Self.asPage {
            let query = try FormBody.query(request.uri.query ?? "")
            let typed = query.first(where: { $0.name == "user_code" })?.value ?? ""
            guard let sso = try await ssoSession(request) else { return signInPage(userCode: typed) }
            return try await entryPage(sso, userCode: typed, problem: nil, status: .ok)
        }
    }

    /// The sign-in form's post: the hosted sign-in of `/oauth/authorize`, then the code (if the link carried one).
    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await Self.asPage {
            let fields = try await FormBody.pairs(request, context: context)
            let email = Self.one("email", fields) ?? ""
            let typed = Self.one("user_code", fields) ?? ""
            guard support.sameOrigin(request), support.csrfHolds(fields, request) else {
                return signInPage(
                    userCode: typed,
                    email: email,
                    problem: "This sign-in form had expired. Please sign in again.",
                    status: .forbidden
                )
            }
            let signedIn: SSOSignIn
            do {
                signedIn = try await support.engine.signIn(
                    email: email,
                    password: Self.one("password", fields) ?? "",
                    client: support.client(request, context)
                )
            } catch let error as EngineError {
                guard let refusal = AuthorizeController.signInRefusal(error) else { throw error }
                return signInPage(
                    userCode: typed,
                    email: email,
                    problem: refusal.problem,
                    status: refusal.status,
                    headers: refusal.headers
                )
            }
            let maxAge = Int(signedIn.session.absoluteExpiresAt.timeIntervalSince(support.engine.now()))
            var response: Response
            if typed.isEmpty {
                response = try await entryPage(signedIn.session, userCode: "", problem: nil, status: .ok)
            } else {
                response = try await codeEntered(typed, sso: signedIn.session, request, context)
            }
            response.headers.append(
                HTTPField(name: .setCookie, value: support.options.browser.ssoCookie(signedIn.cookie, maxAge: maxAge))
            )
            return response
        }
    }

    /// The code entry's post: the approval page for a code that names a pending device.
    @Sendable func enterCode(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await Self.asPage {
            let fields = try await FormBody.pairs(request, context: context)
            guard support.sameOrigin(request), support.csrfHolds(fields, request) else { return Self.expiredForm }
            guard let sso = try await ssoSession(request) else {
                return signInPage(userCode: Self.one("user_code", fields) ?? "")
            }
            return try await codeEntered(Self.one("user_code", fields) ?? "", sso: sso, request, context)
        }
    }

    /// The approval's post: Allow or Deny, for a code looked up again under the limits.
    @Sendable func decide(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await Self.asPage {
            let fields = try await FormBody.pairs(request, context: context)
            guard support.sameOrigin(request), support.csrfHolds(fields, request) else { return Self.expiredForm }
            let typed = Self.one("user_code", fields) ?? ""
            guard let sso = try await ssoSession(request) else { return signInPage(userCode: typed) }
            let approved: Bool
            switch Self.one("decision", fields) {
            case "allow": approved = true
            case "deny": approved = false
            default:
                return Pages.error(title: "Nothing was chosen", message: "Choose Allow or Deny.", status: .badRequest)
            }
            let engine = support.engine
            do {
                _ = try await engine.pendingDevice(
                    userCode: typed,
                    userId: sso.userId,
                    client: support.client(request, context)
                )
            } catch let error as EngineError {
                return try await refusedCode(error, sso: sso, typed: typed)
            }
            guard try await engine.decideDevice(userCode: typed, approved: approved, sso: sso) else {
                return Pages.deviceDone(
                    title: "This code no longer works",
                    message: "It expired or was used meanwhile. Start again on your device.",
                    status: .gone
                )
            }
            return approved
                ? Pages.deviceDone(title: "Device connected", message: "You can go back to your device now.")
                : Pages.deviceDone(title: "Device not connected", message: "You denied it. Nothing was shared.")
        }
    }

    /// A typed code: the approval page, or the entry page again with the reason.
    private func codeEntered(
        _ typed: String,
        sso: SSOSessionRecord,
        _ request: Request,
        _ context: AppRequestContext
    ) async throws -> Response {
        let pending: PendingDevice
        do {
            pending = try await support.engine.pendingDevice(
                userCode: typed,
                userId: sso.userId,
                client: support.client(request, context)
            )
        } catch let error as EngineError {
            return try await refusedCode(error, sso: sso, typed: typed)
        }
        let csrf = support.newCSRF()
        return Pages.deviceConfirm(
            Pages.Device(
                email: try await email(of: sso),
                csrf: csrf.token,
                userCode: UserCode.display(pending.userCode),
                problem: nil,
                app: pending.client.metadata.name ?? pending.client.id,
                scopes: pending.scopes.map(ScopeDescription.of)
            ),
            headers: [.setCookie: csrf.cookie]
        )
    }

    /// The entry page again, saying why a code was refused.
    private func refusedCode(_ error: EngineError, sso: SSOSessionRecord, typed: String) async throws -> Response {
        switch error {
        case .invalidUserCode:
            return try await entryPage(
                sso,
                userCode: typed,
                problem: "That code is not right, or it has expired. Check the code your device shows.",
                status: .badRequest
            )
        case .rateLimited(let retryAfter):
            return try await entryPage(
                sso,
                userCode: typed,
                problem: "Too many wrong codes. Try again in \(AuthorizeController.words(seconds: retryAfter)).",
                status: .tooManyRequests,
                headers: [.retryAfter: String(retryAfter)]
            )
        default:
            throw error
        }
    }

    private func entryPage(
        _ sso: SSOSessionRecord,
        userCode: String,
        problem: String?,
        status: HTTPResponse.Status,
        headers: HTTPFields = [:]
    ) async throws -> Response {
        let csrf = support.newCSRF()
        var headers = headers
        headers.append(HTTPField(name: .setCookie, value: csrf.cookie))
        return Pages.deviceEntry(
            Pages.Device(email: try await email(of: sso), csrf: csrf.token, userCode: userCode, problem: problem),
            status: status,
            headers: headers
        )
    }

    private func signInPage(
        userCode: String,
        email: String = "",
        problem: String? = nil,
        status: HTTPResponse.Status = .ok,
        headers: HTTPFields = [:]
    ) -> Response {
        let csrf = support.newCSRF()
        var headers = headers
        headers.append(HTTPField(name: .setCookie, value: csrf.cookie))
        return Pages.signIn(
            Pages.SignIn(
                action: "/device/sign-in",
                app: "connect a device",
                csrf: csrf.token,
                parameters: userCode.isEmpty ? [] : [Pages.Parameter(name: "user_code", value: userCode)],
                email: email,
                problem: problem
            ),
            status: status,
            redirectTo: "",
            headers: headers
        )
    }

    private func ssoSession(_ request: Request) async throws -> SSOSessionRecord? {
        try await support.engine.ssoSession(cookie: request.cookies[support.options.browser.ssoCookieName]?.value)
    }

    private func email(of sso: SSOSessionRecord) async throws -> String {
        (try await support.engine.user(id: sso.userId))?.email ?? ""
    }

    /// The one value of a form field sent once; nil when it is missing or repeated.
    static func one(_ name: String, _ fields: [(name: String, value: String)]) -> String? {
        let values = fields.filter { $0.name == name }
        return values.count == 1 ? values[0].value : nil
    }

    static let expiredForm = Pages.error(
        title: "This form had expired",
        message: "Nothing was changed. Open the device page again.",
        status: .forbidden
    )

    /// A browser gets a page, not a JSON error body, for a request it cannot send on.
    static func asPage(_ body: () async throws -> Response) async throws -> Response {
        try await Pages.answering(failureTitle: "This device page does not work", body)
    }
}
