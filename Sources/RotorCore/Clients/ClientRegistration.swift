import Foundation

/// The rules a client registration must meet, as one pure function: what an operator may register, and the
/// defaults filled in. Every refusal names the field (RFC 7591 metadata names) and says why in words.
public enum ClientRegistration {
    /// The id of the built-in client (the JSON API and the account page); no registration may take it.
    public static let builtInClientId = "rotor"
    /// The ID token algorithms a client may ask for.
    public static let idTokenAlgorithms = ["RS256", "ES256", "EdDSA"]

    /// Checks a registration and returns it normalized (duplicates dropped, order kept).
    /// - Parameters:
    ///   - id: The client id asked for, or `nil` for a generated one.
    ///   - metadata: What is registered.
    /// - Returns: The client id and the metadata to store.
    /// - Throws: ``EngineError/invalidField(name:reason:)`` naming the first field that is not acceptable.
    public static func validate(
        id: String?,
        _ metadata: ClientMetadata
    ) throws -> (id: String, metadata: ClientMetadata) {
        var metadata = metadata
        let id = id ?? ("app_" + SecureRandom.identifier(byteCount: 16))
        try check(clientId: id)
        if let name = metadata.name {
            guard !name.isEmpty, name.count <= 100,
                !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            else { throw invalid("client_name", "must be 1 to 100 characters, none of them control characters") }
        }
        metadata.grantTypes = unique(metadata.grantTypes)
        metadata.redirectURIs = unique(metadata.redirectURIs)
        metadata.postLogoutRedirectURIs = unique(metadata.postLogoutRedirectURIs)
        metadata.scopes = unique(metadata.scopes)
        let grants = Set(metadata.grantTypes)
        guard !grants.isEmpty else { throw invalid("grant_types", "must name at least one grant") }
        for uri in metadata.redirectURIs {
            if let problem = RedirectURI.problem(uri) { throw invalid("redirect_uris", "\(uri) \(problem)") }
        }
        for uri in metadata.postLogoutRedirectURIs {
            if let problem = RedirectURI.problem(uri) {
                throw invalid("post_logout_redirect_uris", "\(uri) \(problem)")
            }
        }
        if let uri = metadata.backchannelLogoutURI, let problem = RedirectURI.problem(uri) {
            throw invalid("backchannel_logout_uri", "\(uri) \(problem)")
        }
        if grants.contains(.authorizationCode), metadata.redirectURIs.isEmpty {
            throw invalid("redirect_uris", "the authorization_code grant needs at least one redirect URI")
        }
        if grants.contains(.refreshToken), !grants.contains(.authorizationCode), !grants.contains(.deviceCode) {
            throw invalid("grant_types", "refresh_token needs authorization_code or the device grant to start from")
        }
        if grants.contains(.clientCredentials), !metadata.tokenEndpointAuthMethod.isConfidential {
            throw invalid(
                "grant_types",
                "client_credentials is for confidential clients, not token_endpoint_auth_method none"
            )
        }
        try checkKeys(metadata)
        guard metadata.scopes.count <= 50 else { throw invalid("scope", "names more than 50 scopes") }
        for scope in metadata.scopes where !isScopeToken(scope) {
            throw invalid("scope", "'\(scope)' is not a scope (1 to 64 printable characters, no quote or backslash)")
        }
        if let audience = metadata.audience {
            guard !audience.isEmpty, audience.count <= 200,
                audience.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
            else { throw invalid("audience", "must be 1 to 200 printable ASCII characters with no spaces") }
        }
        guard idTokenAlgorithms.contains(metadata.idTokenSignedResponseAlg) else {
            throw invalid("id_token_signed_response_alg", "must be one of \(idTokenAlgorithms.joined(separator: ", "))")
        }
        return (id, metadata)
    }

    /// A client id: 1 to 64 characters of `A-Z a-z 0-9 . _ ~ -`, not the built-in client's.
    static func check(clientId id: String) throws {
        let allowed = id.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
                || byte == UInt8(ascii: "-")
        }
        guard (1...64).contains(id.utf8.count), allowed else {
            throw invalid("client_id", "must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_', '~' and '-'")
        }
        guard id != builtInClientId else { throw invalid("client_id", "'\(id)' is Rotor's own client") }
    }

    /// `private_key_jwt` needs exactly one of `jwks_uri` and `jwks`; the other methods take neither.
    static func checkKeys(_ metadata: ClientMetadata) throws {
        guard metadata.tokenEndpointAuthMethod == .privateKeyJWT else {
            if metadata.jwksURI != nil || metadata.jwks != nil {
                throw invalid("jwks", "keys are for token_endpoint_auth_method private_key_jwt only")
            }
            return
        }
        switch (metadata.jwksURI, metadata.jwks) {
        case (let uri?, nil):
            if let problem = RedirectURI.problem(uri) { throw invalid("jwks_uri", "\(uri) \(problem)") }
        case (nil, let jwks?):
            let parsed = try? JSONSerialization.jsonObject(with: Data(jwks.utf8)) as? [String: Any]
            guard let keys = parsed?["keys"] as? [[String: Any]], !keys.isEmpty, jwks.utf8.count <= 64 * 1024 else {
                throw invalid("jwks", "must be a JWK set: {\"keys\": [ … ]} with at least one key, at most 64 KiB")
            }
            // A private or symmetric key in the registry would be a secret stored in the clear.
            guard !keys.contains(where: { $0["d"] != nil || $0["k"] != nil }) else {
                throw invalid("jwks", "must hold public keys only (no \"d\" or \"k\" member)")
            }
        case (nil, nil):
            throw invalid("jwks_uri", "private_key_jwt needs the client's keys: jwks_uri or jwks")
        case (.some, .some):
            throw invalid("jwks", "give jwks_uri or jwks, not both")
        }
    }

    /// RFC 6749 §3.3 `scope-token`: %x21 / %x23-5B / %x5D-7E, here at most 64 of them.
    static func isScopeToken(_ scope: String) -> Bool {
        (1...64).contains(scope.utf8.count)
            && scope.utf8.allSatisfy { $0 == 0x21 || (0x23...0x5B).contains($0) || (0x5D...0x7E).contains($0) }
    }

    static func unique<T: Hashable>(_ values: [T]) -> [T] {
        var seen = Set<T>()
        return values.filter { seen.insert($0).inserted }
    }

    static func invalid(_ field: String, _ reason: String) -> EngineError {
        .invalidField(name: field, reason: reason)
    }
}
