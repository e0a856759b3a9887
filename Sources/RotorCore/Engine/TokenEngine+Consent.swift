public import Foundation
import Logging

extension TokenEngine {
    /// Whether signing a person in to a client needs their consent first: never for a first-party client; for
    /// any other, when they have not granted every scope asked for, or when the client asks again with
    /// `prompt=consent`.
    public func needsConsent(
        userId: String,
        client: ClientRecord,
        scopes: [String],
        promptConsent: Bool
    )
        async throws -> Bool
    {
        guard !client.metadata.firstParty else { return false }
        if promptConsent { return true }
        guard let granted = try await store.consent(userId: userId, clientId: client.id) else { return true }
        return !Set(scopes).isSubset(of: granted)
    }

    /// Records that a person allowed a client these scopes.
    public func grantConsent(userId: String, client: ClientRecord, scopes: [String]) async throws {
        try await store.grantConsent(userId: userId, clientId: client.id, scopes: scopes, at: clock.now())
        logger.info("consent granted", metadata: ["client_id": "\(client.id)", "user_id": "\(userId)"])
    }
}
