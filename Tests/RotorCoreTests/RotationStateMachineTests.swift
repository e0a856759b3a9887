import Foundation
import RotorCore
import Testing

/// Every row of docs/protocol.md's rotation table, and the rows Rotor adds (expiry, binding), as one table.
@Suite("Rotation state machine")
struct RotationStateMachineTests {
    typealias Machine = RotationStateMachine

    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let grace: TimeInterval = 10

    static func session(
        generation: Int = 3,
        ended: SessionEndReason? = nil,
        idle: TimeInterval = 3_600,
        absolute: TimeInterval = 86_400,
        device: String? = nil,
        client: String = "rotor"
    ) -> Machine.SessionState {
        .init(
            currentGeneration: generation,
            endReason: ended,
            idleExpiresAt: now.addingTimeInterval(idle),
            absoluteExpiresAt: now.addingTimeInterval(absolute),
            deviceId: device,
            clientId: client
        )
    }

    /// The current, unused token of a session at generation 3.
    static let unused = Machine.PresentedToken(generation: 3, usedAt: nil)
    /// The parent of the current token, used `ago` seconds before now.
    static func parent(usedAgo ago: TimeInterval) -> Machine.PresentedToken {
        .init(generation: 2, usedAt: now.addingTimeInterval(-ago))
    }
    /// A grandparent: its child (the parent) is already used.
    static let grandparent = Machine.PresentedToken(generation: 1, usedAt: now.addingTimeInterval(-1))

    struct Row: Sendable, CustomTestStringConvertible {
        var name: String
        var token: Machine.PresentedToken?
        var session: Machine.SessionState?
        var grace: TimeInterval = RotationStateMachineTests.grace
        var device: String? = nil
        var client = "rotor"
        var expected: Machine.Decision
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        // docs/protocol.md rotation table, row 1: unknown, expired, or its session revoked/expired → invalid_grant.
        Row(name: "unknown token", token: nil, session: nil, expected: .reject(.unknownToken)),
        Row(
            name: "session revoked by logout",
            token: unused,
            session: session(ended: .logout),
            expected: .reject(.sessionEnded(.logout))
        ),
        Row(
            name: "session revoked for reuse",
            token: parent(usedAgo: 1),
            session: session(ended: .reuseDetected),
            expected: .reject(.sessionEnded(.reuseDetected))
        ),
        Row(
            name: "idle expiry reached exactly",
            token: unused,
            session: session(idle: 0),
            expected: .expire(.idleTimeout)
        ),
        Row(name: "idle expiry passed", token: unused, session: session(idle: -5), expected: .expire(.idleTimeout)),
        Row(
            name: "absolute expiry reached, idle not",
            token: unused,
            session: session(idle: 100, absolute: 0),
            expected: .expire(.absoluteTimeout)
        ),
        Row(
            name: "absolute wins over idle",
            token: unused,
            session: session(idle: -1, absolute: -1),
            expected: .expire(.absoluteTimeout)
        ),
        // docs/protocol.md rotation table, row 2: unused → rotate.
        Row(
            name: "unused token one second before idle expiry",
            token: unused,
            session: session(idle: 1),
            expected: .rotate
        ),
        Row(name: "unused token", token: unused, session: session(), expected: .rotate),
        // docs/protocol.md rotation table, row 3: used less than the grace ago, child unused → the same child.
        Row(name: "replay just after use", token: parent(usedAgo: 0), session: session(), expected: .replayChild),
        Row(
            name: "replay 9.999 s after use",
            token: parent(usedAgo: 9.999),
            session: session(),
            expected: .replayChild
        ),
        // docs/protocol.md rotation table, row 4: used longer ago, or child already used → reuse.
        Row(
            name: "replay exactly at the grace limit",
            token: parent(usedAgo: 10),
            session: session(),
            expected: .revokeForReuse
        ),
        Row(name: "replay after the grace", token: parent(usedAgo: 60), session: session(), expected: .revokeForReuse),
        Row(
            name: "replay of a token whose child is used",
            token: grandparent,
            session: session(),
            expected: .revokeForReuse
        ),
        Row(
            name: "grace 0: any second use is reuse",
            token: parent(usedAgo: 0),
            session: session(),
            grace: 0,
            expected: .revokeForReuse
        ),
        // A concurrent refresh that read the clock a moment later (or an instance whose clock runs a little ahead)
        // may have used the token "after" now: within the grace that is the same race, not theft.
        Row(
            name: "used 1 s after now by a concurrent refresh is a replay",
            token: parent(usedAgo: -1),
            session: session(),
            expected: .replayChild
        ),
        Row(
            name: "used a grace or more after now (a broken clock) is reuse",
            token: parent(usedAgo: -10),
            session: session(),
            expected: .revokeForReuse
        ),
        Row(
            name: "grace 0: a use after now is reuse too",
            token: parent(usedAgo: -1),
            session: session(),
            grace: 0,
            expected: .revokeForReuse
        ),
        // A session belongs to the client it was issued to (OpenID provider: a client's refresh token).
        Row(
            name: "client session, its client",
            token: unused,
            session: session(client: "app"),
            client: "app",
            expected: .rotate
        ),
        Row(
            name: "client session, another client",
            token: unused,
            session: session(client: "app"),
            client: "other",
            expected: .bindingMismatch
        ),
        Row(
            name: "client session, at the JSON API",
            token: unused,
            session: session(client: "app"),
            expected: .bindingMismatch
        ),
        Row(
            name: "JSON API session, at a client",
            token: unused,
            session: session(),
            client: "app",
            expected: .bindingMismatch
        ),
        Row(
            name: "client session, grace replay by another client",
            token: parent(usedAgo: 1),
            session: session(client: "app"),
            client: "other",
            expected: .bindingMismatch
        ),
        Row(
            name: "client session, reuse by another client still revokes",
            token: grandparent,
            session: session(client: "app"),
            client: "other",
            expected: .revokeForReuse
        ),
        // Binding (docs/protocol.md "Binding a session to its client").
        Row(
            name: "bound session, same device",
            token: unused,
            session: session(device: "phone"),
            device: "phone",
            expected: .rotate
        ),
        Row(
            name: "bound session, other device",
            token: unused,
            session: session(device: "phone"),
            device: "laptop",
            expected: .bindingMismatch
        ),
        Row(
            name: "bound session, no device sent",
            token: unused,
            session: session(device: "phone"),
            expected: .bindingMismatch
        ),
        Row(
            name: "bound session, grace replay from the same device",
            token: parent(usedAgo: 1),
            session: session(device: "phone"),
            device: "phone",
            expected: .replayChild
        ),
        Row(
            name: "bound session, grace replay from another device",
            token: parent(usedAgo: 1),
            session: session(device: "phone"),
            device: "laptop",
            expected: .bindingMismatch
        ),
        Row(
            name: "bound session, reuse from another device still revokes",
            token: grandparent,
            session: session(device: "phone"),
            device: "laptop",
            expected: .revokeForReuse
        ),
        Row(
            name: "unbound session ignores a device id",
            token: unused,
            session: session(),
            device: "any",
            expected: .rotate
        ),
        // A positioned token whose row was pruned after its use, known only by its tag.
        Row(
            name: "pruned token of an older generation is reuse",
            token: .recognisedByTag(generation: 1),
            session: session(),
            expected: .revokeForReuse
        ),
        Row(
            name: "pruned token of the previous generation is reuse too (its grace is long over)",
            token: .recognisedByTag(generation: 2),
            session: session(),
            expected: .revokeForReuse
        ),
        Row(
            name: "tag-only token of the current generation is unknown (the current one has its row)",
            token: .recognisedByTag(generation: 3),
            session: session(),
            expected: .reject(.unknownToken)
        ),
        Row(
            name: "tag-only token ahead of the session is unknown",
            token: .recognisedByTag(generation: 7),
            session: session(),
            expected: .reject(.unknownToken)
        ),
        Row(
            name: "tag-only token of an ended session: the session's end",
            token: .recognisedByTag(generation: 1),
            session: session(ended: .logout),
            expected: .reject(.sessionEnded(.logout))
        ),
        Row(
            name: "tag-only token of an idle-expired session: expiry",
            token: .recognisedByTag(generation: 1),
            session: session(idle: -1),
            expected: .expire(.idleTimeout)
        ),
        Row(
            name: "tag-only reuse from another device still revokes",
            token: .recognisedByTag(generation: 1),
            session: session(device: "phone"),
            device: "laptop",
            expected: .revokeForReuse
        ),
    ]

    @Test("decides", arguments: rows)
    func decides(_ row: Row) {
        let input = Machine.Input(
            token: row.token,
            session: row.token == nil ? nil : row.session,
            now: Self.now,
            grace: row.grace,
            presentedDeviceId: row.device,
            presentedClientId: row.client
        )
        #expect(Machine.decide(input) == row.expected)
    }

    /// What each decision writes and answers: the stores carry this out and decide nothing.
    static let plans: [(RotationStateMachine.Decision, [RotationPlan.Step], RotationPlan.Answer)] = [
        (.reject(.unknownToken), [], .refused(.unknownToken)),
        (.reject(.sessionEnded(.logout)), [], .refused(.sessionEnded(.logout))),
        (
            .expire(.idleTimeout),
            [.endSession(.idleTimeout), .record(type: "session_expired", cause: .idleTimeout)],
            .expired(.idleTimeout)
        ),
        (
            .revokeForReuse,
            [.endSession(.reuseDetected), .record(type: "refresh_token_reuse", cause: nil)],
            .refused(.reuseDetected)
        ),
        (.bindingMismatch, [.record(type: "refresh_binding_mismatch", cause: nil)], .refused(.bindingMismatch)),
        (.replayChild, [], .replayed),
        (.rotate, [.rotate], .rotated),
    ]

    @Test("every decision has its plan of writes and its answer")
    func plansOfDecisions() {
        for (decision, steps, answer) in Self.plans {
            let plan = RotationPlan(decision)
            #expect(plan.steps == steps, "\(decision)")
            #expect(plan.answer == answer, "\(decision)")
        }
    }
}
