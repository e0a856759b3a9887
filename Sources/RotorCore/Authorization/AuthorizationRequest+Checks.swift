import Foundation

extension AuthorizationRequest {
    /// The longest parameter value accepted; longer ones are refused rather than stored or reflected.
    public static let maxValueLength = 2_048

    /// The `client_id` of a request, when it names exactly one.
    public static func clientId(in parameters: [(name: String, value: String)]) -> String? {
        let values = parameters.filter { $0.name == "client_id" }
        return values.count == 1 ? values[0].value : nil
    }

    /// Checks an authorization request against its client's registration, in the order that decides where a
    /// refusal may go: first the client and the redirect URI (a refusal is a page at Rotor), then everything else
    /// (a refusal goes back to that now trusted redirect URI).
    /// - Parameters:
    ///   - parameters: The query (or form) parameters, in order, repeated ones included.
    ///   - client: The client `client_id` names, if it is registered.
    ///   - defaultAudience: The server's audience, which a `resource` may name besides the client's own.
    /// - Returns: The request, ready for sign-in.
    /// - Throws: ``AuthorizationError``.
    public static func check(
        _ parameters: [(name: String, value: String)],
        client: ClientRecord?,
        defaultAudience: String
    ) throws(AuthorizationError) -> AuthorizationRequest {
        var values: [String: [String]] = [:]
        for parameter in parameters { values[parameter.name, default: []].append(parameter.value) }
        func one(_ name: String) -> String? { values[name]?.count == 1 ? values[name]?[0] : nil }

        guard values["client_id"]?.count == 1, let clientId = one("client_id"), !clientId.isEmpty else {
            throw .page(reason: "The request names no client (client_id is missing or repeated).")
        }
        guard let client, client.id == clientId else { throw .page(reason: "This app is not registered here.") }
        guard values["redirect_uri"]?.count == 1, let redirectURI = one("redirect_uri") else {
            throw .page(reason: "The request has no redirect_uri (or more than one).")
        }
        guard redirectURI.utf8.count <= maxValueLength,
            RedirectURI.matches(redirectURI, registered: client.metadata.redirectURIs)
        else { throw .page(reason: "The redirect_uri is not registered for this app.") }

        // From here on the redirect URI is trusted: refusals go back to the client.
        let state = one("state").flatMap { $0.utf8.count <= maxValueLength ? $0 : nil }
        func refuse(_ error: String, _ description: String) -> AuthorizationError {
            .redirect(
                AuthorizationErrorResponse(
                    redirectURI: redirectURI,
                    error: error,
                    description: description,
                    state: state
                )
            )
        }
        // RFC 6749 §3.1: no parameter twice, except `resource`, which names one audience each (RFC 8707 §2).
        if let repeated = values.first(where: { $0.value.count > 1 && $0.key != "resource" })?.key {
            throw refuse("invalid_request", "The parameter '\(repeated)' is repeated.")
        }
        if let long = values.first(where: { $0.value.contains { $0.utf8.count > maxValueLength } })?.key {
            throw refuse("invalid_request", "The parameter '\(long)' is longer than \(maxValueLength) bytes.")
        }
        if values["request"] != nil { throw refuse("request_not_supported", "Request objects are not supported.") }
        if values["request_uri"] != nil {
            throw refuse("request_uri_not_supported", "request_uri is not supported.")
        }
        if values["registration"] != nil {
            throw refuse("registration_not_supported", "Clients are registered by an operator.")
        }
        guard let responseType = one("response_type") else {
            throw refuse("invalid_request", "The parameter 'response_type' is required.")
        }
        guard responseType == "code" else {
            throw refuse("unsupported_response_type", "Only response_type=code is supported.")
        }
        if let mode = one("response_mode"), mode != "query" {
            throw refuse("invalid_request", "Only response_mode=query is supported.")
        }
        guard client.metadata.grantTypes.contains(.authorizationCode) else {
            throw refuse("unauthorized_client", "This app may not use the authorization code grant.")
        }
        guard let challenge = one("code_challenge") else {
            throw refuse("invalid_request", "PKCE is required: send code_challenge with code_challenge_method=S256.")
        }
        guard one("code_challenge_method") == "S256" else {
            throw refuse("invalid_request", "code_challenge_method must be S256 (plain is not accepted).")
        }
        guard PKCE.isWellFormed(challenge) else {
            throw refuse("invalid_request", "code_challenge must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~.")
        }
        let scopes = ClientRegistration.unique((one("scope") ?? "").split(separator: " ").map(String.init))
        guard !scopes.isEmpty else { throw refuse("invalid_scope", "The parameter 'scope' is required.") }
        if let unknown = scopes.first(where: { !client.metadata.scopes.contains($0) }) {
            throw refuse("invalid_scope", "The scope '\(unknown)' is not allowed for this app.")
        }
        var prompt = Set<Prompt>()
        for value in (one("prompt") ?? "").split(separator: " ") {
            guard let known = Prompt(rawValue: String(value)) else {
                throw refuse("invalid_request", "The prompt value '\(value)' is not supported.")
            }
            prompt.insert(known)
        }
        if prompt.contains(.none), prompt.count > 1 {
            throw refuse("invalid_request", "prompt=none cannot be combined with other values.")
        }
        var maxAge: Int?
        if let raw = one("max_age") {
            guard (1...10).contains(raw.utf8.count), raw.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                let value = Int(raw)
            else { throw refuse("invalid_request", "max_age must be a number of seconds.") }
            maxAge = value
        }
        let allowedAudiences = [client.metadata.audience ?? defaultAudience]
        let resources = values["resource"] ?? []
        for resource in resources {
            if let problem = ResourceIndicator.problem(resource, allowed: allowedAudiences) {
                throw refuse("invalid_target", problem)
            }
        }
        return AuthorizationRequest(
            clientId: clientId,
            redirectURI: redirectURI,
            scopes: scopes,
            state: one("state"),
            nonce: one("nonce"),
            codeChallenge: challenge,
            prompt: prompt,
            maxAge: maxAge,
            loginHint: one("login_hint"),
            resources: resources
        )
    }
}
