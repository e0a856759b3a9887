public import Foundation
import Logging

/// An app a person is signed in to, or has allowed: what the account page lists.
public struct AppAccess: Sendable, Equatable {
    /// The client.
    public var clientId: String
    /// Its name for people.
    public var name: String?
    /// A first-party app of the organisation (it never asked for consent).
    public var firstParty: Bool
    /// The person's live sessions at it.
    public var sessions: Int
    /// When one of them was last used.
    public var lastUsedAt: Date?
    /// What the person allowed it (third-party apps).
    public var scopes: [String]
}

extension TokenEngine {
    /// The apps a person is signed in to (live client sessions) or has allowed (consents), by name.
    public func apps(of userId: String) async throws -> [AppAccess] {
        let sessions = try await store.liveSessions(userId: userId, now: clock.now())
            .filter { $0.clientId != ClientRegistration.builtInClientId }
        let consents = try await store.consents(userId: userId)
        var apps: [AppAccess] = []
        for id in Set(sessions.map(\.clientId)).union(consents.keys) {
            guard let client = try await store.client(id: id) else { continue }
            let own = sessions.filter { $0.clientId == id }
            apps.append(
                AppAccess(
                    clientId: id,
                    name: client.metadata.name,
                    firstParty: client.metadata.firstParty,
                    sessions: own.count,
                    lastUsedAt: own.map(\.lastUsedAt).max(),
                    scopes: consents[id] ?? []
                )
            )
        }
        return apps.sorted { ($0.name ?? $0.clientId, $0.clientId) < ($1.name ?? $1.clientId, $1.clientId) }
    }

    /// Signs a person out of one app and withdraws what they allowed it: the consent first (so that no new
    /// sign-in slips in without asking), then each of their sessions at it (cause `consent_withdrawn`, and the
    /// app hears of it by back-channel logout).
    /// - Returns: How many sessions ended.
    /// - Throws: ``EngineError/notFound`` when the person has neither sessions at the app nor a consent.
    @discardableResult
    public func withdrawApp(
        _ clientId: String,
        userId: String,
        client: ClientInfo = ClientInfo()
    ) async throws
        -> Int
    {
        guard clientId != ClientRegistration.builtInClientId,
            try await apps(of: userId).contains(where: { $0.clientId == clientId })
        else { throw EngineError.notFound }
        try await store.withdrawConsent(userId: userId, clientId: clientId)
        var ended = 0
        for session in try await store.liveSessions(userId: userId, now: clock.now()) where session.clientId == clientId
        {
            let result = try await endSessions(
                SessionEnding(
                    anchor: .session(id: session.id, userId: userId),
                    scope: .local,
                    reason: .consentWithdrawn,
                    at: clock.now(),
                    client: client
                )
            )
            ended += result.ended.count
        }
        logger.info(
            "app withdrawn",
            metadata: ["client_id": "\(clientId)", "user_id": "\(userId)", "sessions": "\(ended)"]
        )
        return ended
    }
}
