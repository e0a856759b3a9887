import Foundation
import RotorCore
import Testing

/// The device grant's two pure rules: what a user code may be, and what each poll answers (RFC 8628).
@Suite("Device grant: user codes and polling")
struct DevicePollingTests {
    @Test("user codes: 8 letters of the alphabet, shown XXXX-XXXX, typed any way")
    func userCodes() {
        for _ in 0..<200 {
            let code = UserCode.generate()
            #expect(code.count == 8 && code.allSatisfy(UserCode.alphabet.contains))
            #expect(UserCode.normalize(UserCode.display(code)) == code)
            #expect(UserCode.normalize(UserCode.display(code).lowercased()) == code)
        }
        #expect(UserCode.display("BCDFGHJK") == "BCDF-GHJK")
        #expect(UserCode.normalize(" bcdf ghjk ") == "BCDFGHJK")
        for typed in [
            "BCDF-GHJ", "BCDF-GHJKL", "BCDA-GHJK", "BCD0-GHJK", "", "BCDF_GHJK", String(repeating: "B", count: 100),
        ] {
            #expect(UserCode.normalize(typed) == nil, "\(typed)")
        }
        // 200 codes drawn from 20⁸: a collision would say the generator is not random.
        #expect(Set((0..<200).map { _ in UserCode.generate() }).count == 200)
    }

    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test(
        "each poll's answer",
        arguments: [
            // state, seconds to expiry, seconds since the last poll, interval, answer
            (.pending, 300, nil, 5, .pending),
            (.pending, 300, 5, 5, .pending),
            (.pending, 300, 4.5, 5, .pending),  // jitter
            (.pending, 300, 2, 5, .slowDown(interval: 10)),
            (.approved, 300, 1, 5, .slowDown(interval: 10)),  // pacing first: too fast learns nothing else
            (.pending, 300, 1, 58, .slowDown(interval: 60)),
            (.approved, 300, 6, 5, .issue),
            (.approved, 300, nil, 5, .issue),
            (.denied, 300, 6, 5, .denied),
            (.pending, 0, 6, 5, .expired),
            (.approved, -1, 6, 5, .expired),
            (.denied, -1, 1, 5, .expired),
            (.redeemed, 300, 6, 5, .spent),
            (.redeemed, -100, 1, 5, .spent),
        ] as [(DeviceAuthorizationState, TimeInterval, TimeInterval?, Int, DevicePoll)]
    )
    func polls(
        _ state: DeviceAuthorizationState,
        _ toExpiry: TimeInterval,
        _ sinceLast: TimeInterval?,
        _ interval: Int,
        _ answer: DevicePoll
    ) {
        #expect(
            DevicePoll.decide(
                state: state,
                expiresAt: Self.now.addingTimeInterval(toExpiry),
                lastPolledAt: sinceLast.map { Self.now.addingTimeInterval(-$0) },
                interval: interval,
                now: Self.now
            ) == answer
        )
    }

    @Test(
        "what each answer writes back",
        arguments: [
            // answer, state before, interval before, written
            (.pending, .pending, 5, DevicePollWrite(interval: 5, state: .pending, replayed: false)),
            (.slowDown(interval: 10), .approved, 5, DevicePollWrite(interval: 10, state: .approved, replayed: false)),
            (.issue, .approved, 10, DevicePollWrite(interval: 10, state: .redeemed, replayed: false)),
            (.denied, .denied, 5, DevicePollWrite(interval: 5, state: .denied, replayed: false)),
            (.expired, .pending, 5, DevicePollWrite(interval: 5, state: .pending, replayed: false)),
            (.spent, .redeemed, 5, DevicePollWrite(interval: 5, state: .redeemed, replayed: true)),
        ] as [(DevicePoll, DeviceAuthorizationState, Int, DevicePollWrite)]
    )
    func writes(_ answer: DevicePoll, _ state: DeviceAuthorizationState, _ interval: Int, _ written: DevicePollWrite) {
        #expect(answer.write(state: state, interval: interval) == written)
    }
}
