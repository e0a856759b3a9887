import GRDB

/// The schema, as ordered migrations. GRDB records applied ones in `grdb_migrations`; never edit a shipped
/// migration, add a new one.
enum SQLiteMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-core") { db in
            try db.execute(
                sql: """
                    CREATE TABLE users (
                        id TEXT PRIMARY KEY,
                        email TEXT NOT NULL UNIQUE,
                        password_hash TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        disabled_at INTEGER,
                        roles TEXT NOT NULL DEFAULT ''
                    );
                    CREATE TABLE sessions (
                        id TEXT PRIMARY KEY,
                        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                        client_id TEXT NOT NULL,
                        scope TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        last_used_at INTEGER NOT NULL,
                        idle_expires_at INTEGER NOT NULL,
                        absolute_expires_at INTEGER NOT NULL,
                        generation INTEGER NOT NULL DEFAULT 0,
                        ended_at INTEGER,
                        end_reason TEXT,
                        device_id TEXT,
                        device_name TEXT,
                        created_ip TEXT,
                        created_user_agent TEXT,
                        last_ip TEXT,
                        last_user_agent TEXT
                    );
                    CREATE INDEX sessions_by_user ON sessions(user_id, ended_at);
                    -- One row per refresh token ever issued in a live session: only its SHA-256 and, once it has
                    -- been used, its child sealed under a key derived from the token itself.
                    CREATE TABLE refresh_tokens (
                        hash BLOB PRIMARY KEY,
                        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                        generation INTEGER NOT NULL,
                        issued_at INTEGER NOT NULL,
                        used_at INTEGER,
                        sealed_child BLOB
                    ) WITHOUT ROWID;
                    CREATE INDEX refresh_tokens_by_session ON refresh_tokens(session_id);
                    CREATE TABLE audit_events (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        user_id TEXT NOT NULL,
                        session_id TEXT,
                        type TEXT NOT NULL,
                        at INTEGER NOT NULL,
                        ip TEXT,
                        user_agent TEXT
                    );
                    CREATE INDEX audit_events_by_user ON audit_events(user_id, id);
                    CREATE TABLE signing_keys (
                        kid TEXT PRIMARY KEY,
                        algorithm TEXT NOT NULL,
                        private_key BLOB NOT NULL,
                        created_at INTEGER NOT NULL,
                        retired_at INTEGER
                    );
                    """
            )
        }
        migrator.registerMigration("v2-sessions") { db in
            try db.execute(
                sql: """
                    ALTER TABLE audit_events ADD COLUMN cause TEXT;
                    CREATE INDEX audit_events_by_time ON audit_events(at);
                    CREATE TABLE login_failures (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        key TEXT NOT NULL,
                        at INTEGER NOT NULL
                    );
                    CREATE INDEX login_failures_by_key ON login_failures(key, at);
                    CREATE INDEX login_failures_by_time ON login_failures(at);
                    CREATE INDEX sessions_by_user_last_use ON sessions(user_id, last_used_at);
                    CREATE INDEX refresh_tokens_by_use ON refresh_tokens(used_at) WHERE used_at IS NOT NULL;
                    """
            )
        }
        migrator.registerMigration("v3-dpop-and-revocations") { db in
            try db.execute(
                sql: """
                    ALTER TABLE sessions ADD COLUMN dpop_jkt TEXT;
                    CREATE INDEX sessions_by_end ON sessions(ended_at) WHERE ended_at IS NOT NULL;
                    """
            )
        }
        migrator.registerMigration("v4-security-stamp") { db in
            // Raised by every password, email or disabled change: a login or a change that read the account before
            // cannot start a session after it (the insert compares the stamp it read).
            try db.execute(sql: "ALTER TABLE users ADD COLUMN security_stamp INTEGER NOT NULL DEFAULT 0")
            // A login's attempt is counted before its hash runs (1 while it runs): see LoginThrottleStore.
            try db.execute(sql: "ALTER TABLE login_failures ADD COLUMN pending INTEGER NOT NULL DEFAULT 0")
            // Positioned refresh tokens are recognised by their tag once their row is gone: their used rows need
            // only outlive the grace window (tagged = 1); rows of older, plain tokens keep the idle lifetime.
            try db.execute(sql: "ALTER TABLE refresh_tokens ADD COLUMN tagged INTEGER NOT NULL DEFAULT 0")
            try db.execute(
                sql: "CREATE TABLE secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL, created_at INTEGER NOT NULL)"
            )
        }
        migrator.registerMigration("v5-clients") { db in
            // A client's metadata is the engine's JSON (ClientMetadata.storedForm); only SHA-256 of its secrets.
            try db.execute(
                sql: """
                    CREATE TABLE clients (
                        id TEXT PRIMARY KEY,
                        metadata TEXT NOT NULL,
                        created_at INTEGER NOT NULL
                    );
                    CREATE TABLE client_secrets (
                        hash BLOB PRIMARY KEY,
                        client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
                        created_at INTEGER NOT NULL,
                        expires_at INTEGER
                    ) WITHOUT ROWID;
                    CREATE INDEX client_secrets_by_client ON client_secrets(client_id);
                    """
            )
        }
        migrator.registerMigration("v6-authorization-codes") { db in
            // Only SHA-256 of each code; used_at marks its one use, replayed_at a second one, session_id the
            // session it started (which a replay ends).
            try db.execute(
                sql: """
                    CREATE TABLE authorization_codes (
                        hash BLOB PRIMARY KEY,
                        client_id TEXT NOT NULL,
                        user_id TEXT NOT NULL,
                        redirect_uri TEXT NOT NULL,
                        scope TEXT NOT NULL,
                        nonce TEXT,
                        code_challenge TEXT NOT NULL,
                        auth_time INTEGER NOT NULL,
                        created_at INTEGER NOT NULL,
                        expires_at INTEGER NOT NULL,
                        used_at INTEGER,
                        replayed_at INTEGER,
                        session_id TEXT
                    ) WITHOUT ROWID;
                    CREATE INDEX authorization_codes_by_expiry ON authorization_codes(expires_at);
                    """
            )
        }
        migrator.registerMigration("v7-sso") { db in
            // An SSO session is the person's sign-in at Rotor (its cookie, stored as SHA-256); the client sessions
            // issued under it name it, and end with it.
            try db.execute(
                sql: """
                    CREATE TABLE sso_sessions (
                        id TEXT PRIMARY KEY,
                        hash BLOB NOT NULL UNIQUE,
                        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                        auth_time INTEGER NOT NULL,
                        created_at INTEGER NOT NULL,
                        last_used_at INTEGER NOT NULL,
                        idle_expires_at INTEGER NOT NULL,
                        absolute_expires_at INTEGER NOT NULL,
                        ended_at INTEGER,
                        end_reason TEXT
                    );
                    CREATE INDEX sso_sessions_by_user ON sso_sessions(user_id, ended_at);
                    ALTER TABLE sessions ADD COLUMN audience TEXT;
                    ALTER TABLE sessions ADD COLUMN sso_session_id TEXT;
                    CREATE INDEX sessions_by_sso ON sessions(sso_session_id) WHERE sso_session_id IS NOT NULL;
                    ALTER TABLE authorization_codes ADD COLUMN sso_session_id TEXT;
                    ALTER TABLE authorization_codes ADD COLUMN resources TEXT NOT NULL DEFAULT '';
                    """
            )
        }
        migrator.registerMigration("v8-consents") { db in
            // Which scopes a person granted a third-party client; their sessions end if it is withdrawn.
            try db.execute(
                sql: """
                    CREATE TABLE consents (
                        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                        client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
                        scopes TEXT NOT NULL,
                        granted_at INTEGER NOT NULL,
                        PRIMARY KEY (user_id, client_id)
                    ) WITHOUT ROWID;
                    """
            )
        }
        migrator.registerMigration("v9-logout-outbox") { db in
            // Back-channel logouts owed to clients, written with the ending that owes them; a claim leases a row
            // to one instance until lease_until.
            try db.execute(
                sql: """
                    CREATE TABLE logout_outbox (
                        id TEXT PRIMARY KEY,
                        client_id TEXT NOT NULL,
                        user_id TEXT NOT NULL,
                        session_id TEXT NOT NULL,
                        sso_session_id TEXT,
                        created_at INTEGER NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at INTEGER NOT NULL,
                        lease_until INTEGER
                    ) WITHOUT ROWID;
                    CREATE INDEX logout_outbox_due ON logout_outbox(next_attempt_at);
                    """
            )
        }
        migrator.registerMigration("v10-client-assertions") { db in
            // The private_key_jwt assertions used, until they expire: each is accepted once.
            try db.execute(
                sql: """
                    CREATE TABLE client_assertions (
                        client_id TEXT NOT NULL,
                        jti_hash BLOB NOT NULL,
                        expires_at INTEGER NOT NULL,
                        PRIMARY KEY (client_id, jti_hash)
                    ) WITHOUT ROWID;
                    CREATE INDEX client_assertions_expiry ON client_assertions(expires_at);
                    """
            )
        }
        migrator.registerMigration("v11-device-authorizations") { db in
            // RFC 8628 device authorizations: only SHA-256 of the device code and of the user code. A user code is
            // unique among the rows kept; a new one may take over the row of an expired one.
            try db.execute(
                sql: """
                    CREATE TABLE device_authorizations (
                        device_code_hash BLOB PRIMARY KEY,
                        user_code_hash BLOB NOT NULL UNIQUE,
                        client_id TEXT NOT NULL,
                        scope TEXT NOT NULL,
                        resources TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        expires_at INTEGER NOT NULL,
                        poll_interval INTEGER NOT NULL,
                        last_polled_at INTEGER,
                        state TEXT NOT NULL,
                        user_id TEXT,
                        auth_time INTEGER,
                        sso_session_id TEXT,
                        decided_at INTEGER,
                        session_id TEXT,
                        replayed_at INTEGER
                    ) WITHOUT ROWID;
                    CREATE INDEX device_authorizations_by_expiry ON device_authorizations(expires_at);
                    """
            )
        }
        return migrator
    }
}
