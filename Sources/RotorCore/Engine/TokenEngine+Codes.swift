public import Foundation
import Logging
import RotorJWT

/// A redeemed code that passed every check: what the code grant turns into a session and tokens.
public struct RedeemedCode: Sendable, Equatable {
    /// The code as stored.
    public var record: AuthorizationCodeRecord
}

extension TokenEngine {
    /// How long a code works: long enough for a redirect and a token request, short enough that a leaked one is
    /// of little use (RFC 6749 §4.1.2 advises at most 10 minutes; OpenID providers use about a minute).
    public static let codeLifetime: TimeInterval = 60

    /// Issues an authorization code for a checked request and a signed-in person.
    /// - Returns: The code (`rac_` and 256 random bits), which only the client's redirect sees; the store keeps
    ///   its SHA-256.
    public func issueAuthorizationCode(
        for request: AuthorizationRequest,
        userId: String,
        authTime: Date,
        ssoSessionId: String? = nil
    ) async throws -> String {
        let code = "rac_" + Base64URL.encode(SecureRandom.bytes(32))
        let now = clock.now()
        try await store.insertCode(
            AuthorizationCodeRecord(
                hash: SecretHash.of(code),
                clientId: request.clientId,
                userId: userId,
                redirectURI: request.redirectURI,
                scopes: request.scopes,
                nonce: request.nonce,
                codeChallenge: request.codeChallenge,
                authTime: authTime,
                createdAt: now,
                expiresAt: now + Self.codeLifetime,
                ssoSessionId: ssoSessionId,
                resources: request.resources
            )
        )
        return code
    }

    /// Redeems a code: single use, bound to the client, the redirect URI and the PKCE challenge. Any failed attempt
    /// uses the code up too, so it cannot be tried again with another verifier; a code presented a second time ends
    /// the session issued from it (RFC 6749 §4.1.2, RFC 9700 §4.5).
    /// - Throws: ``EngineError/invalidGrant(_:)`` with ``GrantFailure/invalidCode`` for every refusal (one answer).
    public func redeemAuthorizationCode(
        _ code: String,
        clientId: String,
        redirectURI: String,
        codeVerifier: String
    ) async throws -> RedeemedCode {
        guard code.hasPrefix("rac_"), code.utf8.count == 47 else { throw EngineError.invalidGrant(.invalidCode) }
        switch try await store.useCode(hash: SecretHash.of(code), at: clock.now()) {
        case .unknown:
            throw EngineError.invalidGrant(.invalidCode)
        case .replayed(let record, let sessionId):
            if let sessionId { try await endReplayedGrant(sessionId, userId: record.userId, cause: "code_replayed") }
            logger.warning("authorization code replayed", metadata: ["client_id": "\(record.clientId)"])
            throw EngineError.invalidGrant(.invalidCode)
        case .first(let record):
            guard record.expiresAt > clock.now(), SecretComparison.equal(record.clientId, clientId),
                record.redirectURI == redirectURI, PKCE.verify(codeVerifier, challenge: record.codeChallenge)
            else { throw EngineError.invalidGrant(.invalidCode) }
            return RedeemedCode(record: record)
        }
    }

    /// Records the session a redeemed code started; if the code was replayed meanwhile, the session ends at once.
    public func attachSession(_ sessionId: String, to redeemed: RedeemedCode) async throws {
        guard try await store.attachSession(codeHash: redeemed.record.hash, sessionId: sessionId) else {
            try await endReplayedGrant(sessionId, userId: redeemed.record.userId, cause: "code_replayed")
            throw EngineError.invalidGrant(.invalidCode)
        }
    }
}
