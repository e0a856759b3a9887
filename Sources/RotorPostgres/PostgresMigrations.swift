import Logging
import PostgresNIO

/// The schema, as ordered migrations recorded in `rotor_migrations`; never edit a shipped one, add a new one.
///
/// All of them run in one transaction under a transaction-level advisory lock, so that instances starting
/// together apply each migration exactly once: the first takes the lock and migrates, the others wait, then
/// find nothing left to do.
enum PostgresMigrations {
    /// The advisory lock key: "rotor" in ASCII, an arbitrary constant shared by every instance.
    static let lockKey: Int64 = 0x726F_746F_72

    static let migrations: [(version: Int, name: String, sql: [String])] = [
        (
            1, "core",
            [
                """
                CREATE TABLE users (
                    id text PRIMARY KEY,
                    email text NOT NULL UNIQUE,
                    password_hash text NOT NULL,
                    created_at bigint NOT NULL,
                    disabled_at bigint,
                    roles text NOT NULL DEFAULT ''
                )
                """,
                """
                CREATE TABLE sessions (
                    id text PRIMARY KEY,
                    user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    client_id text NOT NULL,
                    scope text NOT NULL,
                    created_at bigint NOT NULL,
                    last_used_at bigint NOT NULL,
                    idle_expires_at bigint NOT NULL,
                    absolute_expires_at bigint NOT NULL,
                    generation integer NOT NULL DEFAULT 0,
                    ended_at bigint,
                    end_reason text,
                    device_id text,
                    device_name text,
                    created_ip text,
                    created_user_agent text,
                    last_ip text,
                    last_user_agent text
                )
                """,
                "CREATE INDEX sessions_by_user ON sessions(user_id, ended_at)",
                "CREATE INDEX sessions_by_user_last_use ON sessions(user_id, last_used_at)",
                "CREATE INDEX sessions_by_end ON sessions(ended_at) WHERE ended_at IS NOT NULL",
                "CREATE INDEX sessions_by_expiry ON sessions(LEAST(idle_expires_at, absolute_expires_at))",
                // One row per refresh token of a live session: only its SHA-256 and, once used, its child sealed
                // under a key derived from the token itself.
                """
                CREATE TABLE refresh_tokens (
                    hash bytea PRIMARY KEY,
                    session_id text NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                    generation integer NOT NULL,
                    issued_at bigint NOT NULL,
                    used_at bigint,
                    sealed_child bytea
                )
                """,
                "CREATE INDEX refresh_tokens_by_session ON refresh_tokens(session_id)",
                "CREATE INDEX refresh_tokens_by_use ON refresh_tokens(used_at) WHERE used_at IS NOT NULL",
                """
                CREATE TABLE audit_events (
                    id bigserial PRIMARY KEY,
                    user_id text NOT NULL,
                    session_id text,
                    type text NOT NULL,
                    at bigint NOT NULL,
                    ip text,
                    user_agent text,
                    cause text
                )
                """,
                "CREATE INDEX audit_events_by_user ON audit_events(user_id, id)",
                "CREATE INDEX audit_events_by_time ON audit_events(at)",
                """
                CREATE TABLE signing_keys (
                    kid text PRIMARY KEY,
                    algorithm text NOT NULL,
                    private_key bytea NOT NULL,
                    created_at bigint NOT NULL,
                    retired_at bigint
                )
                """,
                // At most one current key, whatever the instances do at once.
                "CREATE UNIQUE INDEX signing_keys_one_current ON signing_keys ((retired_at IS NULL)) WHERE retired_at IS NULL",
                """
                CREATE TABLE login_failures (
                    id bigserial PRIMARY KEY,
                    key text NOT NULL,
                    at bigint NOT NULL
                )
                """,
                "CREATE INDEX login_failures_by_key ON login_failures(key, at)",
                "CREATE INDEX login_failures_by_time ON login_failures(at)",
            ]
        ),
        (
            2, "dpop",
            [
                "ALTER TABLE sessions ADD COLUMN dpop_jkt text"
            ]
        ),
        (
            3, "security-stamp",
            [
                "ALTER TABLE users ADD COLUMN security_stamp bigint NOT NULL DEFAULT 0",
                "ALTER TABLE login_failures ADD COLUMN pending boolean NOT NULL DEFAULT false",
                "ALTER TABLE refresh_tokens ADD COLUMN tagged boolean NOT NULL DEFAULT false",
                "CREATE TABLE secrets (name text PRIMARY KEY, value bytea NOT NULL, created_at bigint NOT NULL)",
            ]
        ),
        (
            4, "clients",
            [
                // A client's metadata is the engine's JSON (ClientMetadata.storedForm); only SHA-256 of its secrets.
                "CREATE TABLE clients (id text PRIMARY KEY, metadata text NOT NULL, created_at bigint NOT NULL)",
                """
                CREATE TABLE client_secrets (
                    hash bytea PRIMARY KEY,
                    client_id text NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
                    created_at bigint NOT NULL,
                    expires_at bigint
                )
                """,
                "CREATE INDEX client_secrets_by_client ON client_secrets(client_id)",
            ]
        ),
        (
            5, "authorization-codes",
            [
                // Only SHA-256 of each code; used_at marks its one use, replayed_at a second one, session_id the
                // session it started (which a replay ends).
                """
                CREATE TABLE authorization_codes (
                    hash bytea PRIMARY KEY,
                    client_id text NOT NULL,
                    user_id text NOT NULL,
                    redirect_uri text NOT NULL,
                    scope text NOT NULL,
                    nonce text,
                    code_challenge text NOT NULL,
                    auth_time bigint NOT NULL,
                    created_at bigint NOT NULL,
                    expires_at bigint NOT NULL,
                    used_at bigint,
                    replayed_at bigint,
                    session_id text
                )
                """,
                "CREATE INDEX authorization_codes_by_expiry ON authorization_codes(expires_at)",
            ]
        ),
        (
            6, "sso",
            [
                // An SSO session is the person's sign-in at Rotor (its cookie, stored as SHA-256); the client
                // sessions issued under it name it, and end with it.
                """
                CREATE TABLE sso_sessions (
                    id text PRIMARY KEY,
                    hash bytea NOT NULL UNIQUE,
                    user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    auth_time bigint NOT NULL,
                    created_at bigint NOT NULL,
                    last_used_at bigint NOT NULL,
                    idle_expires_at bigint NOT NULL,
                    absolute_expires_at bigint NOT NULL,
                    ended_at bigint,
                    end_reason text
                )
                """,
                "CREATE INDEX sso_sessions_by_user ON sso_sessions(user_id, ended_at)",
                "ALTER TABLE sessions ADD COLUMN audience text",
                "ALTER TABLE sessions ADD COLUMN sso_session_id text",
                "CREATE INDEX sessions_by_sso ON sessions(sso_session_id) WHERE sso_session_id IS NOT NULL",
                "ALTER TABLE authorization_codes ADD COLUMN sso_session_id text",
                "ALTER TABLE authorization_codes ADD COLUMN resources text NOT NULL DEFAULT ''",
                // One current signing key per algorithm (ID tokens use the algorithm their client registered).
                "DROP INDEX signing_keys_one_current",
                """
                CREATE UNIQUE INDEX signing_keys_one_current_per_algorithm ON signing_keys (algorithm)
                WHERE retired_at IS NULL
                """,
            ]
        ),
        (
            7, "consents",
            [
                // Which scopes a person granted a third-party client; their sessions end if it is withdrawn.
                """
                CREATE TABLE consents (
                    user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    client_id text NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
                    scopes text NOT NULL,
                    granted_at bigint NOT NULL,
                    PRIMARY KEY (user_id, client_id)
                )
                """
            ]
        ),
        (
            8, "logout-outbox",
            [
                // Back-channel logouts owed to clients, written with the ending that owes them; a claim leases a
                // row to one instance until lease_until.
                """
                CREATE TABLE logout_outbox (
                    id text PRIMARY KEY,
                    client_id text NOT NULL,
                    user_id text NOT NULL,
                    session_id text NOT NULL,
                    sso_session_id text,
                    created_at bigint NOT NULL,
                    attempts integer NOT NULL DEFAULT 0,
                    next_attempt_at bigint NOT NULL,
                    lease_until bigint
                )
                """,
                "CREATE INDEX logout_outbox_due ON logout_outbox(next_attempt_at)",
            ]
        ),
        (
            // The private_key_jwt assertions used, until they expire: single use across every instance.
            9, "client-assertions",
            [
                """
                CREATE TABLE client_assertions (
                    client_id text NOT NULL,
                    jti_hash bytea NOT NULL,
                    expires_at bigint NOT NULL,
                    PRIMARY KEY (client_id, jti_hash)
                )
                """,
                "CREATE INDEX client_assertions_expiry ON client_assertions(expires_at)",
            ]
        ),
        (
            // RFC 8628 device authorizations: only SHA-256 of the device code and of the user code. A user code is
            // unique among the rows kept; a new one may take over the row of an expired one.
            10, "device-authorizations",
            [
                """
                CREATE TABLE device_authorizations (
                    device_code_hash bytea PRIMARY KEY,
                    user_code_hash bytea NOT NULL UNIQUE,
                    client_id text NOT NULL,
                    scope text NOT NULL,
                    resources text NOT NULL,
                    created_at bigint NOT NULL,
                    expires_at bigint NOT NULL,
                    poll_interval integer NOT NULL,
                    last_polled_at bigint,
                    state text NOT NULL,
                    user_id text,
                    auth_time bigint,
                    sso_session_id text,
                    decided_at bigint,
                    session_id text,
                    replayed_at bigint
                )
                """,
                "CREATE INDEX device_authorizations_expiry ON device_authorizations(expires_at)",
            ]
        ),
    ]

    /// Applies what is pending.
    /// - Returns: The versions applied now (empty when another instance did it first).
    @discardableResult
    static func migrate(on connection: PostgresConnection, logger: Logger) async throws -> [Int] {
        try await connection.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS rotor_migrations (
                    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                logger: logger
            )
            var applied = Set<Int>()
            for try await version in try await connection.query("SELECT version FROM rotor_migrations", logger: logger)
                .decode(Int.self)
            {
                applied.insert(version)
            }
            var now: [Int] = []
            for migration in migrations where !applied.contains(migration.version) {
                for statement in migration.sql {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO rotor_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger: logger
                )
                now.append(migration.version)
            }
            return now
        }
    }
}
