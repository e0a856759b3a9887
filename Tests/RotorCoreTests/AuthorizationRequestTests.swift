import Foundation
import RotorCore
import Testing

/// `/oauth/authorize`'s checks as a table: each bad request refused where it must be (a page at Rotor when the client
/// or redirect URI is not trusted, an error at the registered redirect URI otherwise), and PKCE by RFC 7636's vector.
@Suite("Authorization requests")
struct AuthorizationRequestTests {
    static let client = ClientRecord(
        id: "wiki",
        metadata: ClientMetadata(
            redirectURIs: ["https://wiki.example/cb", "http://127.0.0.1/native"],
            scopes: ["openid", "email", "profile"],
            audience: "https://api.example"
        ),
        createdAt: Date(timeIntervalSince1970: 1_800_000_000)
    )
    static let challenge = PKCE.challenge(for: String(repeating: "v", count: 43))

    static let valid: [(name: String, value: String)] = [
        ("response_type", "code"), ("client_id", "wiki"), ("redirect_uri", "https://wiki.example/cb"),
        ("scope", "openid email"), ("state", "s-1"), ("nonce", "n-1"), ("code_challenge", challenge),
        ("code_challenge_method", "S256"),
    ]

    /// `valid` with some parameters replaced (`nil` removes one) and others added.
    static func request(
        _ changes: [String: String?] = [:],
        adding: [(String, String)] = []
    ) -> [(name: String, value: String)] {
        var parameters = valid.compactMap { parameter -> (name: String, value: String)? in
            guard let change = changes[parameter.name] else { return parameter }
            return change.map { (parameter.name, $0) }
        }
        for (name, value) in changes where !valid.contains(where: { $0.name == name }) {
            if let value { parameters.append((name, value)) }
        }
        parameters += adding.map { (name: $0.0, value: $0.1) }
        return parameters
    }

    enum Outcome: Equatable, CustomStringConvertible {
        case page
        case redirect(String)
        var description: String {
            switch self {
            case .page: "page"
            case .redirect(let error): error
            }
        }
    }

    static func outcome(_ parameters: [(name: String, value: String)], client: ClientRecord? = client) -> Outcome? {
        do throws(AuthorizationError) {
            _ = try AuthorizationRequest.check(parameters, client: client, defaultAudience: "https://rotor.example")
            return nil
        } catch {
            switch error {
            case .page:
                return .page
            case .redirect(let response):
                #expect(response.redirectURI == "https://wiki.example/cb", "an error goes only to the registered URI")
                #expect(response.state == "s-1")
                return .redirect(response.error)
            }
        }
    }

    @Test(
        "refusals go where they may",
        arguments: [
            (request(["client_id": nil]), Outcome.page),
            (request(["client_id": "other"]), .page),
            (request(adding: [("client_id", "wiki")]), .page),
            (request(["redirect_uri": nil]), .page),
            (request(["redirect_uri": "https://evil.example/cb"]), .page),
            (request(["redirect_uri": "https://wiki.example/cb/"]), .page),
            (request(["redirect_uri": "https://wiki.example/cb?x=1"]), .page),
            (request(["redirect_uri": "https://wiki.example/cb#x"]), .page),
            (request(["redirect_uri": "https://wiki.example.evil.test/cb"]), .page),
            (request(["redirect_uri": "http://127.0.0.1:4444/other"]), .page),
            (request(adding: [("redirect_uri", "https://evil.example/cb")]), .page),
            (request(["response_type": nil]), .redirect("invalid_request")),
            (request(["response_type": "token"]), .redirect("unsupported_response_type")),
            (request(["response_type": "code id_token"]), .redirect("unsupported_response_type")),
            (request(["response_mode": "fragment"]), .redirect("invalid_request")),
            (request(["response_mode": "form_post"]), .redirect("invalid_request")),
            (request(["code_challenge": nil]), .redirect("invalid_request")),
            (request(["code_challenge_method": nil]), .redirect("invalid_request")),
            (request(["code_challenge_method": "plain"]), .redirect("invalid_request")),
            (request(["code_challenge": "short"]), .redirect("invalid_request")),
            (request(["code_challenge": String(repeating: "a", count: 129)]), .redirect("invalid_request")),
            (request(["code_challenge": String(repeating: "a", count: 42) + "="]), .redirect("invalid_request")),
            (request(["scope": nil]), .redirect("invalid_scope")),
            (request(["scope": "openid admin"]), .redirect("invalid_scope")),
            (request(["prompt": "none login"]), .redirect("invalid_request")),
            (request(["prompt": "create"]), .redirect("invalid_request")),
            (request(["max_age": "-1"]), .redirect("invalid_request")),
            (request(["max_age": "ten"]), .redirect("invalid_request")),
            (request(["max_age": "99999999999"]), .redirect("invalid_request")),
            (request(["request": "eyJ..."]), .redirect("request_not_supported")),
            (request(["request_uri": "https://x.example/r"]), .redirect("request_uri_not_supported")),
            (request(["registration": "{}"]), .redirect("registration_not_supported")),
            (request(["resource": "https://other.example"]), .redirect("invalid_target")),
            (request(["resource": "https://api.example#x"]), .redirect("invalid_target")),
            (request(["resource": "api.example"]), .redirect("invalid_target")),
            (request(adding: [("scope", "openid")]), .redirect("invalid_request")),
            (request(["nonce": String(repeating: "n", count: 2_049)]), .redirect("invalid_request")),
        ] as [([(name: String, value: String)], Outcome)]
    )
    func refusals(parameters: [(name: String, value: String)], expected: Outcome) {
        #expect(Self.outcome(parameters) == expected, "\(parameters.map { "\($0.name)=\($0.value.prefix(40))" })")
    }

    @Test("an unknown client is a page whatever else the request holds")
    func unknownClient() {
        #expect(Self.outcome(Self.request(), client: nil) == .page)
        #expect(Self.outcome(Self.request(["response_type": "token"]), client: nil) == .page)
    }

    @Test("a client without the code grant is unauthorized_client")
    func grantMissing() {
        var machine = Self.client
        machine.metadata.grantTypes = [.clientCredentials]
        #expect(Self.outcome(Self.request(), client: machine) == .redirect("unauthorized_client"))
    }

    @Test("a valid request keeps what the code is bound to; a loopback URI matches on any port")
    func accepted() throws {
        let checked = try AuthorizationRequest.check(
            Self.request(
                ["prompt": "login consent", "max_age": "300", "login_hint": "ada@example.com"],
                adding: [("resource", "https://api.example"), ("resource", "https://api.example")]
            ),
            client: Self.client,
            defaultAudience: "https://rotor.example"
        )
        #expect(checked.scopes == ["openid", "email"] && checked.state == "s-1" && checked.nonce == "n-1")
        #expect(checked.codeChallenge == Self.challenge && checked.prompt == [.login, .consent])
        #expect(checked.maxAge == 300 && checked.loginHint == "ada@example.com")
        let native = try AuthorizationRequest.check(
            Self.request(["redirect_uri": "http://127.0.0.1:51000/native", "state": nil]),
            client: Self.client,
            defaultAudience: "https://rotor.example"
        )
        #expect(native.redirectURI == "http://127.0.0.1:51000/native" && native.state == nil)
    }

    @Test("PKCE S256: RFC 7636 appendix B, and verifiers that must fail")
    func pkce() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        #expect(PKCE.challenge(for: verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        #expect(PKCE.verify(verifier, challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"))
        #expect(!PKCE.verify(verifier + "x", challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"))
        #expect(
            !PKCE.verify(
                "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
                challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
            )
        )
        #expect(!PKCE.verify("short", challenge: PKCE.challenge(for: "short")))
    }

    @Test("answers add code or error, state and iss to the registered URI, encoded")
    func redirects() {
        #expect(
            AuthorizationRedirect.success(
                redirectURI: "https://wiki.example/cb",
                code: "c1",
                state: "a b&c",
                issuer: "https://rotor.example"
            ) == "https://wiki.example/cb?code=c1&state=a%20b%26c&iss=https%3A%2F%2Frotor.example"
        )
        #expect(
            AuthorizationRedirect.error(
                AuthorizationErrorResponse(
                    redirectURI: "https://wiki.example/cb?tenant=1",
                    error: "login_required",
                    description: "Sign in first.",
                    state: nil
                ),
                issuer: "https://rotor.example"
            )
                == "https://wiki.example/cb?tenant=1&error=login_required&error_description=Sign%20in%20first.&iss=https%3A%2F%2Frotor.example"
        )
    }
}
