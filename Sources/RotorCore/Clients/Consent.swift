public import Foundation

/// Consents people gave to third-party clients: which scopes, per user and client. First-party clients never ask.
public protocol ConsentStore: Sendable {
    /// The scopes a user granted a client, or nil when they never did.
    func consent(userId: String, clientId: String) async throws -> [String]?
    /// Records a grant, adding `scopes` to what the user granted the client before.
    func grantConsent(userId: String, clientId: String, scopes: [String], at: Date) async throws
    /// Every grant of a user: client id → scopes.
    func consents(userId: String) async throws -> [String: [String]]
    /// Forgets a grant; the next sign-in to that client asks again.
    func withdrawConsent(userId: String, clientId: String) async throws
}

/// What a consent screen says a scope lets an app do.
public enum ScopeDescription {
    /// Words for people, for the scopes Rotor knows; others are named as they are.
    public static func of(_ scope: String) -> String {
        switch scope {
        case "openid": "Know who you are: your account id at this organisation"
        case "email": "See your email address"
        default: "Use “\(scope)”"
        }
    }
}
