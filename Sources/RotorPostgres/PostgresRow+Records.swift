import Foundation
import PostgresNIO
import RotorCore

/// Conversions between rows and records; times are Unix milliseconds (`bigint`), as in the SQLite store.
extension PostgresRandomAccessRow {
    func value<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try self[column].decode(T.self)
    }

    func date(_ column: String) throws -> Date {
        Date(unixMilliseconds: try value(column, as: Int64.self))
    }

    func optionalDate(_ column: String) throws -> Date? {
        try value(column, as: Int64?.self).map(Date.init(unixMilliseconds:))
    }

    func userRecord() throws -> UserRecord {
        UserRecord(
            id: try value("id"),
            email: try value("email"),
            passwordHash: try value("password_hash"),
            createdAt: try date("created_at"),
            disabledAt: try optionalDate("disabled_at"),
            roles: try value("roles", as: String.self).split(separator: " ").map(String.init),
            securityStamp: try value("security_stamp", as: Int64.self)
        )
    }

    func sessionRecord() throws -> SessionRecord {
        SessionRecord(
            id: try value("id"),
            userId: try value("user_id"),
            clientId: try value("client_id"),
            scope: try value("scope"),
            createdAt: try date("created_at"),
            lastUsedAt: try date("last_used_at"),
            idleExpiresAt: try date("idle_expires_at"),
            absoluteExpiresAt: try date("absolute_expires_at"),
            generation: Int(try value("generation", as: Int32.self)),
            endedAt: try optionalDate("ended_at"),
            endReason: try value("end_reason", as: String?.self).flatMap(SessionEndReason.init(rawValue:)),
            deviceId: try value("device_id"),
            deviceName: try value("device_name"),
            createdBy: ClientInfo(ip: try value("created_ip"), userAgent: try value("created_user_agent")),
            lastUsedBy: ClientInfo(ip: try value("last_ip"), userAgent: try value("last_user_agent")),
            dpopThumbprint: try value("dpop_jkt"),
            audience: try value("audience", as: String?.self).map { $0.split(separator: " ").map(String.init) },
            ssoSessionId: try value("sso_session_id")
        )
    }

    func auditEvent() throws -> AuditEvent {
        AuditEvent(
            type: try value("type"),
            at: try date("at"),
            userId: try value("user_id"),
            sessionId: try value("session_id"),
            client: ClientInfo(ip: try value("ip"), userAgent: try value("user_agent")),
            cause: try value("cause")
        )
    }

    func signingKeyRecord() throws -> SigningKeyRecord {
        SigningKeyRecord(
            kid: try value("kid"),
            algorithm: try value("algorithm"),
            privateKey: try value("private_key"),
            createdAt: try date("created_at"),
            retiredAt: try optionalDate("retired_at")
        )
    }
}

extension PostgresRowSequence {
    /// Every row, ready for access by column name.
    func rows() async throws -> [PostgresRandomAccessRow] {
        try await collect().map(PostgresRandomAccessRow.init)
    }

    /// The first row, if any.
    func first() async throws -> PostgresRandomAccessRow? {
        try await rows().first
    }
}
