public import Foundation

/// The rule of docs/protocol.md, "The rotation rule", as a pure function of what the store found.
///
/// A store loads the presented token and its session inside one write transaction, asks ``decide(_:)``, and
/// applies the decision in that same transaction; so the decision and its effect are atomic, and this file holds
/// the whole policy with no I/O. `RotationStateMachineTests` walks every row.
public enum RotationStateMachine {
    /// What the store knows about the presented token.
    public struct PresentedToken: Sendable, Equatable {
        /// The token's position in its session's chain (the first token is 0).
        public var generation: Int
        /// When it was rotated, or nil while unused.
        public var usedAt: Date?
        /// The store has no row for it: it is known only by its tag (``RefreshTokenTagger``), its row having been
        /// pruned after its use. `usedAt` is then unknown, but long past.
        public var recognisedByTagOnly: Bool

        /// Creates the token's state.
        public init(generation: Int, usedAt: Date?) {
            self.generation = generation
            self.usedAt = usedAt
            self.recognisedByTagOnly = false
        }

        /// A token with no row, recognised by its tag as generation `generation` of its session.
        public static func recognisedByTag(generation: Int) -> PresentedToken {
            var token = PresentedToken(generation: generation, usedAt: nil)
            token.recognisedByTagOnly = true
            return token
        }
    }

    /// What the store knows about the token's session.
    public struct SessionState: Sendable, Equatable {
        /// The generation of the newest token of the session (the only one that may be unused).
        public var currentGeneration: Int
        /// Why the session ended, or nil while it is live.
        public var endReason: SessionEndReason?
        /// When the refresh token stops working if unused (restarted by each rotation).
        public var idleExpiresAt: Date
        /// When the session ends whatever happens (never extended).
        public var absoluteExpiresAt: Date
        /// The device the session was bound to at login, if any.
        public var deviceId: String?
        /// The DPoP key the session was bound to at login, if any (its thumbprint).
        public var dpopThumbprint: String?
        /// The client the session was issued to (`rotor` for the JSON API's own logins).
        public var clientId: String

        /// Creates the session's state.
        public init(
            currentGeneration: Int,
            endReason: SessionEndReason?,
            idleExpiresAt: Date,
            absoluteExpiresAt: Date,
            deviceId: String?,
            dpopThumbprint: String? = nil,
            clientId: String = ClientRegistration.builtInClientId
        ) {
            self.clientId = clientId
            self.currentGeneration = currentGeneration
            self.endReason = endReason
            self.idleExpiresAt = idleExpiresAt
            self.absoluteExpiresAt = absoluteExpiresAt
            self.deviceId = deviceId
            self.dpopThumbprint = dpopThumbprint
        }
    }

    /// Everything the decision depends on.
    public struct Input: Sendable, Equatable {
        /// The presented token, or nil when no token has that hash.
        public var token: PresentedToken?
        /// The token's session (nil when the token is unknown).
        public var session: SessionState?
        /// The current time.
        public var now: Date
        /// `ROTOR_REUSE_GRACE`: how long a used token may still be replayed to get its unused child back.
        public var grace: TimeInterval
        /// The device id that came with the refresh, if any.
        public var presentedDeviceId: String?
        /// The thumbprint of the key of the DPoP proof that came with the refresh, if any (already verified).
        public var presentedThumbprint: String?
        /// The client that refreshes, as authenticated (`rotor` for the JSON API).
        public var presentedClientId: String

        /// Creates the input.
        public init(
            token: PresentedToken?,
            session: SessionState?,
            now: Date,
            grace: TimeInterval,
            presentedDeviceId: String?,
            presentedThumbprint: String? = nil,
            presentedClientId: String = ClientRegistration.builtInClientId
        ) {
            self.presentedClientId = presentedClientId
            self.token = token
            self.session = session
            self.now = now
            self.grace = grace
            self.presentedDeviceId = presentedDeviceId
            self.presentedThumbprint = presentedThumbprint
        }
    }

    /// What the store must do, atomically with the reads that led to it.
    public enum Decision: Sendable, Equatable {
        /// `401 invalid_grant`; nothing changes. The reason is for the error description and the audit trail.
        case reject(GrantFailure)
        /// The session has run out: record that it ended for `reason`, then `401 invalid_grant`.
        case expire(SessionEndReason)
        /// Mark the token used, store its child, restart the idle lifetime; answer the child.
        case rotate
        /// Answer the child stored when the token was rotated, unchanged; no write.
        case replayChild
        /// Reuse: end the whole session (`reuse_detected`), record `refresh_token_reuse`, `401 invalid_grant`.
        case revokeForReuse
        /// The session is bound to another device, DPoP key or client: record `refresh_binding_mismatch`,
        /// `401 invalid_grant`; neither the token nor the session changes.
        case bindingMismatch
    }

    /// Decides what a refresh does.
    /// - Parameter input: The presented token, its session, the time and the settings.
    /// - Returns: The decision.
    public static func decide(_ input: Input) -> Decision {
        guard let token = input.token, let session = input.session else { return .reject(.unknownToken) }
        if let reason = session.endReason { return .reject(.sessionEnded(reason)) }
        if input.now >= session.absoluteExpiresAt { return .expire(.absoluteTimeout) }
        if input.now >= session.idleExpiresAt { return .expire(.idleTimeout) }

        if token.recognisedByTagOnly {
            // Its row was pruned after its use, long past the grace: presenting it is reuse. A generation not
            // behind the session's cannot be one (the current token always has its row): unknown.
            guard token.generation < session.currentGeneration else { return .reject(.unknownToken) }
            return .revokeForReuse
        }
        let unused = token.usedAt == nil && token.generation == session.currentGeneration
        let replayable: Bool = {
            guard let usedAt = token.usedAt, token.generation + 1 == session.currentGeneration else { return false }
            // A use "after" now is a concurrent refresh that read the clock later (or ran on an instance whose
            // clock is a little ahead): the same race as a use just before, as long as it is within the grace.
            let age = input.now.timeIntervalSince(usedAt)
            return abs(age) < input.grace
        }()
        // A token replayed outside the rule is evidence of theft whoever presents it: revoke before looking at
        // the binding, so that a wrong device id cannot shield a stolen token.
        if !unused && !replayable { return .revokeForReuse }
        // A token issued to one client is refused to any other (and to the JSON API); the session stays, since
        // the holder of a client's credentials did not present it.
        if session.clientId != input.presentedClientId { return .bindingMismatch }
        if let bound = session.deviceId, bound != input.presentedDeviceId { return .bindingMismatch }
        // A DPoP session refreshes only with a proof by its own key (RFC 9449 §5); a proof by another key, or none,
        // is refused without ending the session, since only the key's holder could have made the right one.
        if let bound = session.dpopThumbprint, bound != input.presentedThumbprint { return .bindingMismatch }
        return unused ? .rotate : .replayChild
    }
}
