public import Foundation
import RotorProtocol

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What a device-flow sign-in shows the person: where to go and what to type. The device code itself stays inside
/// the client: it is the device's secret.
public struct DeviceSignInPrompt: Sendable, Equatable {
    /// The code to type, `XXXX-XXXX`.
    public var userCode: String
    /// Where to type it (`<issuer>/device`).
    public var verificationURI: URL
    /// The same with the code filled in, for a link or a QR code.
    public var verificationURIComplete: URL?
    /// When the code stops working.
    public var expiresAt: Date
}

/// How a device paces its polls (RFC 8628 §3.5), as a pure rule: the seconds to wait before the next poll.
public enum DevicePollPace {
    /// What the previous poll brought.
    public enum Outcome: Sendable, Equatable {
        /// `authorization_pending`: the person has not decided.
        case pending
        /// `slow_down`: too fast.
        case slowDown
        /// The request timed out or the connection failed: the server may be overloaded.
        case unreachable
    }

    /// How much `slow_down` adds, for this and every later poll (RFC 8628 §3.5).
    public static let slowDownStep = 5
    /// The longest wait after repeated timeouts.
    public static let longestBackoff = 60

    /// The wait before the next poll.
    /// - Parameters:
    ///   - outcome: What the last poll brought.
    ///   - interval: The current interval, in seconds.
    /// - Returns: The new interval, which stays for later polls.
    public static func next(after outcome: Outcome, interval: Int) -> Int {
        switch outcome {
        case .pending: interval
        case .slowDown: interval + slowDownStep
        // RFC 8628 §3.5: a timeout calls for exponential backoff.
        case .unreachable: min(longestBackoff, max(interval * 2, 1))
        }
    }
}

extension RotorClient {
    /// Signs in a device that has no browser (RFC 8628): asks Rotor for a code, hands it to `show` (print it, or
    /// draw a QR code of ``DeviceSignInPrompt/verificationURIComplete``), then polls at the interval Rotor asks,
    /// slower after each `slow_down` and after a timeout, until the person approves or denies on another screen.
    /// The session it gets is a session like a login's, refreshed (with `clientId`) at `/oauth/token`; with DPoP
    /// on, it is bound to this client's key.
    /// - Parameters:
    ///   - clientId: The public client the device is registered as (with the device grant).
    ///   - scope: The scopes to ask for (space-separated); nil for the client's.
    ///   - show: Tells the person what to do; polling starts once it returns.
    /// - Throws: ``RotorClientError/server(status:error:description:)`` with `access_denied` (the person denied),
    ///   `expired_token` (nobody decided in time), `invalid_client`, `invalid_scope`, …; or a transport error when
    ///   Rotor could not be reached at the start.
    public func signInWithDevice(
        clientId: String,
        scope: String? = nil,
        show: @Sendable (DeviceSignInPrompt) async throws -> Void
    ) async throws {
        var fields = [("client_id", clientId)]
        if let scope { fields.append(("scope", scope)) }
        let (data, response) = try await send(formRequest(endpoint("oauth/device_authorization"), fields))
        try Self.check(data, response)
        let started = try JSONDecoder().decode(DeviceAuthorizationResponse.self, from: data)
        guard let verification = URL(string: started.verificationURI) else { throw URLError(.badServerResponse) }
        let expiresAt = clock().addingTimeInterval(TimeInterval(started.expiresIn))
        try await show(
            DeviceSignInPrompt(
                userCode: started.userCode,
                verificationURI: verification,
                verificationURIComplete: URL(string: started.verificationURIComplete),
                expiresAt: expiresAt
            )
        )
        let key = useDPoP ? try DPoPKey() : nil
        let tokens = try await poll(
            started.deviceCode,
            clientId: clientId,
            interval: started.interval,
            until: expiresAt,
            key: key
        )
        dpopKey = key
        try await keep(tokens, clientId: clientId)
    }

    /// Polls until the person decides or the code expires.
    private func poll(
        _ deviceCode: String,
        clientId: String,
        interval: Int,
        until expiresAt: Date,
        key: DPoPKey?
    ) async throws -> TokenResponse {
        let url = endpoint("oauth/token")
        var interval = interval
        while clock().addingTimeInterval(TimeInterval(interval)) < expiresAt {
            try await Task.sleep(for: .seconds(interval))
            var request = formRequest(
                url,
                [
                    ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("device_code", deviceCode),
                    ("client_id", clientId),
                ]
            )
            if let key {
                request.setValue(
                    try await key.proof(method: "POST", url: url, now: clock()),
                    forHTTPHeaderField: "DPoP"
                )
            }
            let outcome: DevicePollPace.Outcome
            do {
                let (data, response) = try await send(request)
                try Self.check(data, response)
                return try JSONDecoder().decode(TokenResponse.self, from: data)
            } catch let error as URLError
                where [.timedOut, .cannotConnectToHost, .networkConnectionLost]
                .contains(error.code)
            {
                outcome = .unreachable
            } catch RotorClientError.server(_, "authorization_pending", _) {
                outcome = .pending
            } catch RotorClientError.server(_, "slow_down", _) {
                outcome = .slowDown
            }
            // Any other refusal was thrown above: access_denied, expired_token, invalid_grant end the sign-in.
            interval = DevicePollPace.next(after: outcome, interval: interval)
        }
        throw RotorClientError.server(
            status: 400,
            error: "expired_token",
            description: "The code expired before anyone approved it."
        )
    }
}
