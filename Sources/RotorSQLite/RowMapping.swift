import Foundation
import GRDB
import RotorCore

/// Conversions between rows and records; times are stored as Unix milliseconds.
extension Row {
    func date(_ column: String) -> Date {
        Date(unixMilliseconds: self[column] as Int64)
    }

    func optionalDate(_ column: String) -> Date? {
        (self[column] as Int64?).map(Date.init(unixMilliseconds:))
    }

    var userRecord: UserRecord {
        UserRecord(
            id: self["id"],
            email: self["email"],
            passwordHash: self["password_hash"],
            createdAt: date("created_at"),
            disabledAt: optionalDate("disabled_at"),
            roles: (self["roles"] as String).split(separator: " ").map(String.init),
            securityStamp: self["security_stamp"]
        )
    }

    var sessionRecord: SessionRecord {
        SessionRecord(
            id: self["id"],
            userId: self["user_id"],
            clientId: self["client_id"],
            scope: self["scope"],
            createdAt: date("created_at"),
            lastUsedAt: date("last_used_at"),
            idleExpiresAt: date("idle_expires_at"),
            absoluteExpiresAt: date("absolute_expires_at"),
            generation: self["generation"],
            endedAt: optionalDate("ended_at"),
            endReason: (self["end_reason"] as String?).flatMap(SessionEndReason.init(rawValue:)),
            deviceId: self["device_id"],
            deviceName: self["device_name"],
            createdBy: ClientInfo(ip: self["created_ip"], userAgent: self["created_user_agent"]),
            lastUsedBy: ClientInfo(ip: self["last_ip"], userAgent: self["last_user_agent"]),
            dpopThumbprint: self["dpop_jkt"],
            audience: (self["audience"] as String?).map { $0.split(separator: " ").map(String.init) },
            ssoSessionId: self["sso_session_id"]
        )
    }
}
