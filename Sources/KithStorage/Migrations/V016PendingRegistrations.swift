extension Migration {
    /// Sign-ups waiting for their email address to be confirmed (registration mode `confirm`),
    /// and outbox emails that belong to no member yet (the confirmation link itself).
    static let v016PendingRegistrations = Migration(version: 16, name: "pending registrations") { dialect in
        let outbox: [String] =
            switch dialect {
            case .postgres: ["ALTER TABLE mail_outbox ALTER COLUMN member_id DROP NOT NULL"]
            case .sqlite:
                // SQLite cannot drop a NOT NULL constraint in place: the table is rebuilt.
                [
                    """
                    CREATE TABLE mail_outbox_v16 (
                        id TEXT PRIMARY KEY,
                        member_id TEXT REFERENCES members (id) ON DELETE CASCADE,
                        key TEXT NOT NULL,
                        to_address TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        body TEXT NOT NULL,
                        created_at BIGINT NOT NULL,
                        sent_at BIGINT,
                        attempts BIGINT NOT NULL DEFAULT 0,
                        next_attempt_at BIGINT NOT NULL,
                        last_error TEXT,
                        UNIQUE (member_id, key)
                    )
                    """,
                    """
                    INSERT INTO mail_outbox_v16 (id, member_id, key, to_address, subject, body, created_at, sent_at, attempts,
                        next_attempt_at, last_error)
                    SELECT id, member_id, key, to_address, subject, body, created_at, sent_at, attempts, next_attempt_at, last_error
                    FROM mail_outbox
                    """,
                    "DROP TABLE mail_outbox",
                    "ALTER TABLE mail_outbox_v16 RENAME TO mail_outbox",
                    "CREATE INDEX mail_outbox_pending_idx ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL",
                ]
            }
        return outbox + [
            """
            CREATE TABLE pending_registrations (
                digest TEXT PRIMARY KEY,
                email TEXT NOT NULL,
                handle TEXT NOT NULL,
                name TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX pending_registrations_expiry_idx ON pending_registrations (expires_at)",
        ]
    }
}
