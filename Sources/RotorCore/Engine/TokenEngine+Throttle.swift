import Foundation
import Logging

extension TokenEngine {
    /// Checks a password under the brute-force limits, for a login and for the changes that ask for the current
    /// password (one count for all of them).
    ///
    /// The attempt is recorded as a failure *before* the hash runs and forgiven after a match, so that any number
    /// of attempts sent at once are judged as if one by one: the sixth waits for no hash, it is refused at once.
    /// A refusal writes nothing, for a known account or an unknown one alike; the failure that fills the account's
    /// window records one `rate_limited` event (not one per refused request, which would flood the security log).
    /// - Parameters:
    ///   - password: What was typed.
    ///   - email: The account's normalized email (the counted key), known or not.
    ///   - user: The account, nil when unknown (the same hashing work is done against a decoy).
    ///   - client: Who asks (the IP is counted too).
    ///   - now: The time of the attempt.
    ///   - cause: Recorded on the `login_failed` event (nil for a login, else the route).
    /// - Returns: Whether the stored hash should be renewed.
    /// - Throws: ``EngineError/rateLimited(retryAfter:)`` before hashing, ``EngineError/overloaded(retryAfter:)``
    ///   when the hashing queue is full (nothing counted), ``EngineError/invalidCredentials`` after a mismatch.
    func guardedPasswordCheck(
        _ password: String,
        email: String,
        user: UserRecord?,
        client: ClientInfo,
        now: Date,
        cause: String? = nil
    ) async throws -> Bool {
        let policy = configuration.throttle
        let rules = policy.rules(email: email, ip: client.ip)
        let reservation = try await store.reserveAttempt(rules, at: now)
        guard reservation.isReserved else {
            let retryAfter = policy.retryAfter(rules, counts: reservation.counts, now: now)
            logger.notice("password check rate limited", metadata: ["retry_after": "\(retryAfter)"])
            throw EngineError.rateLimited(retryAfter: retryAfter)
        }
        let verification: PasswordHasher.Verification
        do {
            verification = try await hasher.verify(password, against: user?.passwordHash)
        } catch is PasswordHasherBusy {
            try await store.releaseAttempt(reservation.ids, clearing: [])
            logger.warning("password hashing queue full")
            throw EngineError.overloaded(retryAfter: 1)
        }
        let accountKey = LoginThrottlePolicy.accountKey(email)
        guard case .match(let needsRehash) = verification, let user else {
            try await store.settleAttempt(reservation.ids)
            if let user {
                try await recordFailure(of: user, reservation: reservation, client: client, now: now, cause: cause)
            }
            logger.info("password check failed", metadata: ["reason": "invalid_credentials"])
            throw EngineError.invalidCredentials
        }
        try await store.releaseAttempt(reservation.ids, clearing: [accountKey])
        return needsRehash
    }

    /// Records a failed attempt of a known account (a wrong password, a wrong user code): its `login_failed`
    /// event, and the one `rate_limited` event of the failure that fills the account's window.
    func recordFailure(
        of user: UserRecord,
        reservation: AttemptReservation,
        client: ClientInfo,
        now: Date,
        cause: String?
    ) async throws {
        let policy = configuration.throttle
        try await store.record(
            AuditEvent(
                type: AuditEventType.loginFailed,
                at: now,
                userId: user.id,
                sessionId: nil,
                client: client,
                cause: cause
            )
        )
        if reservation.counts[LoginThrottlePolicy.accountKey(user.email)]?.count == policy.accountLimit {
            try await store.record(
                AuditEvent(
                    type: AuditEventType.rateLimited,
                    at: now,
                    userId: user.id,
                    sessionId: nil,
                    client: client,
                    cause: cause
                )
            )
        }
    }

    /// Holds sign-ups from one IP to the IP limit of failed logins: each costs a hash, and an unlimited stream of
    /// them would be a cheap way to keep the hashing queue full.
    func reserveSignUp(client: ClientInfo, now: Date) async throws {
        guard let ip = client.ip else { return }
        let rule = configuration.throttle.signUpRule(ip: ip)
        let reservation = try await store.reserveAttempt([rule], at: now)
        guard reservation.isReserved else {
            throw EngineError.rateLimited(
                retryAfter: configuration.throttle.retryAfter([rule], counts: reservation.counts, now: now)
            )
        }
        // Every sign-up counts, whatever comes of it.
        try await store.settleAttempt(reservation.ids)
    }
}
