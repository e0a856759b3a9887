import PostgresNIO
import RotorCore

/// The common rotation as one named prepared statement: each pooled connection parses and plans it once, instead
/// of once per refresh as an unnamed query would.
///
/// The session's columns are named rather than `s.*`, so that a later migration adding a column cannot make the
/// cached plan change its result type under a running instance.
struct RotationStatement: PostgresPreparedStatement {
    static let name = "rotor_rotate_v3"

    static let sql = """
        WITH token AS (
            SELECT session_id, generation FROM refresh_tokens
            WHERE hash = $1 AND used_at IS NULL
        ), session AS (
            UPDATE sessions s SET generation = s.generation + 1, last_used_at = $2,
                idle_expires_at = LEAST($2 + $3, s.absolute_expires_at),
                last_ip = $4, last_user_agent = $5
            FROM token
            WHERE s.id = token.session_id AND s.generation = token.generation
              -- LiveSessionSQL's condition, with the statement's own parameter for the time.
              AND s.ended_at IS NULL AND s.idle_expires_at > $2 AND s.absolute_expires_at > $2
              AND (s.device_id IS NULL OR s.device_id = $6)
              AND (s.dpop_jkt IS NULL OR s.dpop_jkt = $7)
              AND s.client_id = $10
            RETURNING s.id, s.user_id, s.client_id, s.scope, s.created_at, s.last_used_at, s.idle_expires_at,
                s.absolute_expires_at, s.generation, s.ended_at, s.end_reason, s.device_id, s.device_name,
                s.created_ip, s.created_user_agent, s.last_ip, s.last_user_agent, s.dpop_jkt, s.audience,
                s.sso_session_id
        ), used AS (
            UPDATE refresh_tokens SET used_at = $2, sealed_child = $8
            FROM session WHERE refresh_tokens.hash = $1
        ), child AS (
            -- Data-modifying CTEs run whether or not the final SELECT reads them.
            INSERT INTO refresh_tokens (hash, session_id, generation, issued_at, tagged)
            SELECT $9, id, generation, $2, true FROM session
        )
        SELECT session.*, u.roles FROM session JOIN users u ON u.id = session.user_id
        """

    static let bindingDataTypes: [PostgresDataType] = [
        .bytea, .int8, .int8, .text, .text, .text, .text, .bytea, .bytea, .text,
    ]

    typealias Row = PostgresRandomAccessRow

    let request: RotationRequest

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 10)
        try bindings.append(request.presentedHash)
        try bindings.append(request.now.unixMilliseconds)
        try bindings.append(Int64((request.refreshTTL * 1000).rounded(.down)))
        try bindings.append(request.client.ip)
        try bindings.append(request.client.userAgent)
        try bindings.append(request.deviceId)
        try bindings.append(request.dpopThumbprint)
        try bindings.append(request.sealedChild)
        try bindings.append(request.childHash)
        try bindings.append(request.clientId)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRandomAccessRow {
        PostgresRandomAccessRow(row)
    }
}
