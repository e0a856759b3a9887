public import Foundation
import Logging
import RotorJWT

/// What `POST /oauth/device_authorization` answers (RFC 8628 §3.2).
public struct DeviceAuthorization: Sendable, Equatable {
    /// The device's secret to poll with: `rdc_` and 256 random bits; the store keeps its SHA-256.
    public var deviceCode: String
    /// The code the person types, as shown (`XXXX-XXXX`).
    public var userCode: String
    /// Where the person goes: `<issuer>/device`.
    public var verificationURI: String
    /// The same with the code filled in, for a QR code or a link.
    public var verificationURIComplete: String
    /// Seconds until both codes expire.
    public var expiresIn: Int
    /// Seconds the device waits between polls.
    public var interval: Int
}

/// A pending device authorization found by its user code: what the person is asked to approve.
public struct PendingDevice: Sendable, Equatable {
    /// The user code, normalized (no hyphen).
    public var userCode: String
    /// The client that asks.
    public var client: ClientRecord
    /// The scopes it asks for.
    public var scopes: [String]
}

extension TokenEngine {
    /// How long device and user codes live (RFC 8628 §3.2 `expires_in`, SPEC §8).
    public static let deviceCodeLifetime: TimeInterval = 600
    /// The polling interval a device starts with (RFC 8628 §3.2 `interval`).
    public static let devicePollInterval = 5
    /// The prefix of device codes, so that a leaked one is recognisable.
    public static let deviceCodePrefix = "rdc_"

    /// Starts a device authorization for a client (RFC 8628 §3.1): a device code for the device, a user code for
    /// the person. Neither is stored, only their SHA-256.
    /// - Parameters:
    ///   - client: The client, authenticated by its registered method.
    ///   - scope: The `scope` parameter, if sent.
    ///   - resources: The RFC 8707 `resource` parameters.
    /// - Throws: ``EngineError/grantRefused(_:)`` as ``DeviceGrant/check(client:scope:resources:defaultAudience:)``
    ///   decides.
    public func startDeviceAuthorization(
        client: ClientRecord,
        scope: String?,
        resources: [String]
    ) async throws -> DeviceAuthorization {
        let grant: DeviceGrant
        do {
            grant = try DeviceGrant.check(
                client: client,
                scope: scope,
                resources: resources,
                defaultAudience: configuration.audience
            )
        } catch {
            throw EngineError.grantRefused(error)
        }
        let now = clock.now()
        let deviceCode = Self.deviceCodePrefix + Base64URL.encode(SecureRandom.bytes(32))
        // A user code is short: one that a live authorization holds already is drawn again.
        for _ in 0..<5 {
            let userCode = UserCode.generate()
            let record = DeviceAuthorizationRecord(
                deviceCodeHash: SecretHash.of(deviceCode),
                userCodeHash: SecretHash.of(userCode),
                clientId: client.id,
                scopes: grant.scopes,
                resources: grant.resources,
                createdAt: now,
                expiresAt: now + Self.deviceCodeLifetime,
                interval: Self.devicePollInterval
            )
            guard try await store.insertDeviceAuthorization(record) else { continue }
            let uri = configuration.issuer + "/device"
            logger.info("device authorization started", metadata: ["client_id": "\(client.id)"])
            return DeviceAuthorization(
                deviceCode: deviceCode,
                userCode: UserCode.display(userCode),
                verificationURI: uri,
                verificationURIComplete: uri + "?user_code=" + UserCode.display(userCode),
                expiresIn: Int(Self.deviceCodeLifetime),
                interval: Self.devicePollInterval
            )
        }
        throw DeviceCodeSpaceExhausted()
    }

    /// The pending authorization a typed user code names, for a signed-in person. A code that names none counts
    /// as a failed login of that person and of the IP, under the same limits (so guessing is as slow as guessing
    /// passwords); the limit is checked before the lookup.
    /// - Parameters:
    ///   - typed: What the person typed.
    ///   - userId: The signed-in person.
    ///   - client: Who asks.
    /// - Throws: ``EngineError/invalidUserCode`` for a malformed or unknown code (a malformed one costs no lookup
    ///   and is not counted: it cannot be a guess), ``EngineError/rateLimited(retryAfter:)``.
    public func pendingDevice(
        userCode typed: String,
        userId: String,
        client: ClientInfo
    ) async throws
        -> PendingDevice
    {
        guard let userCode = UserCode.normalize(typed) else { throw EngineError.invalidUserCode }
        guard let user = try await store.user(id: userId) else { throw EngineError.invalidUserCode }
        let now = clock.now()
        let rules = configuration.throttle.rules(email: user.email, ip: client.ip)
        let reservation = try await store.reserveAttempt(rules, at: now)
        guard reservation.isReserved else {
            let retryAfter = configuration.throttle.retryAfter(rules, counts: reservation.counts, now: now)
            logger.notice("user code rate limited", metadata: ["retry_after": "\(retryAfter)"])
            throw EngineError.rateLimited(retryAfter: retryAfter)
        }
        if let record = try await store.pendingDeviceAuthorization(userCodeHash: SecretHash.of(userCode), now: now),
            let owner = try await store.client(id: record.clientId)
        {
            // A right code forgives its own attempt, not the person's earlier failures.
            try await store.releaseAttempt(reservation.ids, clearing: [])
            return PendingDevice(userCode: userCode, client: owner, scopes: record.scopes)
        }
        try await store.settleAttempt(reservation.ids)
        try await recordFailure(of: user, reservation: reservation, client: client, now: now, cause: "user_code")
        logger.info("user code refused", metadata: ["user_id": "\(user.id)"])
        throw EngineError.invalidUserCode
    }

    /// Records the person's approval or denial of a pending device authorization.
    /// - Returns: `false` when it is no longer pending (expired, or decided meanwhile).
    public func decideDevice(userCode: String, approved: Bool, sso: SSOSessionRecord) async throws -> Bool {
        guard let userCode = UserCode.normalize(userCode) else { return false }
        let decided = try await store.decideDeviceAuthorization(
            userCodeHash: SecretHash.of(userCode),
            DeviceDecision(
                approved: approved,
                userId: sso.userId,
                authTime: sso.authTime,
                ssoSessionId: sso.id,
                at: clock.now()
            )
        )
        if decided {
            logger.info(
                approved ? "device approved" : "device denied",
                metadata: ["user_id": "\(sso.userId)", "sso_session_id": "\(sso.id)"]
            )
        }
        return decided
    }

    /// The device grant at the token endpoint (RFC 8628 §3.4): one poll. Once the person approved, it starts a
    /// session like a login does — rotation, grace, reuse detection, binding, the session list, every cause of
    /// revocation — tied to the client, and answers its tokens (an ID token with `openid`) once. The session is
    /// the device's own: signing out of the browser that approved it does not end it.
    /// - Parameters:
    ///   - deviceCode: The `device_code`.
    ///   - client: The client, authenticated by its registered method.
    ///   - dpopThumbprint: The key of a verified DPoP proof, which binds the new session.
    ///   - info: Who asks.
    /// - Throws: ``EngineError/devicePoll(_:)`` while there is nothing to issue;
    ///   ``EngineError/invalidGrant(_:)`` with ``GrantFailure/invalidDeviceCode`` for an unknown, foreign or
    ///   redeemed code (a redeemed one presented again ends the session it started: someone else holds it).
    public func pollDevice(
        deviceCode: String,
        client: ClientRecord,
        dpopThumbprint: String? = nil,
        from info: ClientInfo = ClientInfo()
    ) async throws -> IssuedTokens {
        guard client.metadata.grantTypes.contains(.deviceCode) else { throw EngineError.unauthorizedClient }
        guard deviceCode.hasPrefix(Self.deviceCodePrefix), deviceCode.utf8.count == 47 else {
            throw EngineError.invalidGrant(.invalidDeviceCode)
        }
        let now = clock.now()
        let hash = SecretHash.of(deviceCode)
        guard
            let (record, poll) = try await store.pollDeviceAuthorization(
                deviceCodeHash: hash,
                clientId: client.id,
                now: now
            )
        else { throw EngineError.invalidGrant(.invalidDeviceCode) }
        switch poll {
        case .pending: throw EngineError.devicePoll(.pending)
        case .slowDown(let interval): throw EngineError.devicePoll(.slowDown(interval: interval))
        case .denied: throw EngineError.devicePoll(.denied)
        case .expired: throw EngineError.devicePoll(.expired)
        case .spent:
            if let sessionId = record.sessionId, let userId = record.userId {
                try await endReplayedGrant(sessionId, userId: userId, cause: "device_code_replayed")
            }
            logger.warning("device code redeemed again", metadata: ["client_id": "\(client.id)"])
            throw EngineError.invalidGrant(.invalidDeviceCode)
        case .issue:
            return try await issueDeviceTokens(record, client: client, dpopThumbprint: dpopThumbprint, info, now)
        }
    }

    private func issueDeviceTokens(
        _ record: DeviceAuthorizationRecord,
        client: ClientRecord,
        dpopThumbprint: String?,
        _ info: ClientInfo,
        _ now: Date
    ) async throws -> IssuedTokens {
        guard let userId = record.userId else { throw EngineError.invalidGrant(.invalidDeviceCode) }
        return try await openGrantSession(
            ApprovedGrant(
                userId: userId,
                scopes: record.scopes,
                resources: record.resources,
                authTime: record.authTime ?? now,
                nonce: nil,
                ssoSessionId: record.ssoSessionId,
                tiedToSSO: false,
                cause: "device_code",
                failure: .invalidDeviceCode
            ),
            client: client,
            dpopThumbprint: dpopThumbprint,
            info: info,
            now: now
        ) { sessionId in
            guard try await store.attachDeviceSession(deviceCodeHash: record.deviceCodeHash, sessionId: sessionId)
            else {
                try await endReplayedGrant(sessionId, userId: userId, cause: "device_code_replayed")
                throw EngineError.invalidGrant(.invalidDeviceCode)
            }
        }
    }
}

/// Five user codes in a row were taken by live authorizations: with 20⁸ codes, a sign that the store is flooded.
struct DeviceCodeSpaceExhausted: Error {}
