/// What a store writes for a ``RotationStateMachine`` decision, and what it answers: the policy of a refresh's
/// effects, so that both stores carry out the same writes and decide none of them.
public struct RotationPlan: Sendable, Equatable {
    /// One write, in order, inside the rotation's transaction.
    public enum Step: Sendable, Equatable {
        /// End the token's session with this cause.
        case endSession(SessionEndReason)
        /// Record an audit event of this type on the session, with this cause.
        case record(type: String, cause: SessionEndReason?)
        /// Mark the presented token used (keeping its sealed child), store the child at the next generation, and
        /// move the session on (generation, last use, idle expiry, the client of the latest use).
        case rotate
    }

    /// What the store answers once the steps are written.
    public enum Answer: Sendable, Equatable {
        /// ``RotationOutcome/rotated(_:roles:)``.
        case rotated
        /// ``RotationOutcome/replayed(_:roles:sealedChild:)``: the sealed child of the presented token.
        case replayed
        /// ``RotationOutcome/refused(_:userId:)``.
        case refused(GrantFailure)
        /// ``RotationOutcome/expired(_:userId:)``.
        case expired(SessionEndReason)
    }

    /// The writes.
    public var steps: [Step]
    /// The answer.
    public var answer: Answer

    /// The plan of a decision.
    public init(_ decision: RotationStateMachine.Decision) {
        switch decision {
        case .reject(let failure):
            self.init(steps: [], answer: .refused(failure))
        case .expire(let reason):
            self.init(
                steps: [.endSession(reason), .record(type: AuditEventType.sessionExpired, cause: reason)],
                answer: .expired(reason)
            )
        case .revokeForReuse:
            self.init(
                steps: [.endSession(.reuseDetected), .record(type: AuditEventType.refreshTokenReuse, cause: nil)],
                answer: .refused(.reuseDetected)
            )
        case .bindingMismatch:
            self.init(
                steps: [.record(type: AuditEventType.refreshBindingMismatch, cause: nil)],
                answer: .refused(.bindingMismatch)
            )
        case .replayChild:
            self.init(steps: [], answer: .replayed)
        case .rotate:
            self.init(steps: [.rotate], answer: .rotated)
        }
    }

    init(steps: [Step], answer: Answer) {
        self.steps = steps
        self.answer = answer
    }
}
