extension Migration {
    /// The private relationship manager (contacts, interactions, follow-ups, tag cadences) and
    /// the notification inbox and mail outbox reminders write to. Every relationship table
    /// carries owner_id, and every query filters on it.
    static let v007CreateRelationshipManager = Migration(version: 7, name: "create relationship manager") { _ in
        [
            """
            CREATE TABLE contacts (
                id TEXT PRIMARY KEY,
                owner_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                member_id TEXT REFERENCES members (id) ON DELETE SET NULL,
                name TEXT NOT NULL,
                name_key TEXT NOT NULL,
                emails TEXT NOT NULL DEFAULT '',
                phones TEXT NOT NULL DEFAULT '',
                organization TEXT NOT NULL DEFAULT '',
                title TEXT NOT NULL DEFAULT '',
                how_we_met TEXT NOT NULL DEFAULT '',
                tags TEXT NOT NULL DEFAULT '',
                search_text TEXT NOT NULL DEFAULT '',
                notes TEXT NOT NULL DEFAULT '',
                cadence_days BIGINT CHECK (cadence_days BETWEEN 1 AND 3650),
                snoozed_until BIGINT,
                last_interaction_at BIGINT,
                interaction_count BIGINT NOT NULL DEFAULT 0,
                next_due_at BIGINT,
                reminded_due_at BIGINT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX contacts_owner_name_idx ON contacts (owner_id, name_key, id)",
            "CREATE UNIQUE INDEX contacts_owner_member_idx ON contacts (owner_id, member_id) WHERE member_id IS NOT NULL",
            "CREATE INDEX contacts_next_due_idx ON contacts (next_due_at) WHERE next_due_at IS NOT NULL",
            """
            CREATE TABLE contact_tags (
                contact_id TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
                owner_id TEXT NOT NULL,
                tag_key TEXT NOT NULL,
                PRIMARY KEY (contact_id, tag_key)
            )
            """,
            "CREATE INDEX contact_tags_owner_idx ON contact_tags (owner_id, tag_key, contact_id)",
            """
            CREATE TABLE interactions (
                id TEXT PRIMARY KEY,
                owner_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                contact_id TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
                kind TEXT NOT NULL CHECK (kind IN ('meeting', 'call', 'message', 'email', 'coffee', 'event',
                    'intro_made', 'help_given', 'help_received')),
                help TEXT CHECK (help IN ('intro', 'referral', 'advice', 'feedback', 'other')),
                occurred_at BIGINT NOT NULL,
                note TEXT NOT NULL DEFAULT '',
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX interactions_contact_idx ON interactions (contact_id, occurred_at)",
            "CREATE INDEX interactions_owner_idx ON interactions (owner_id, kind)",
            """
            CREATE TABLE follow_ups (
                id TEXT PRIMARY KEY,
                owner_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                contact_id TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
                due_at BIGINT NOT NULL,
                text TEXT NOT NULL,
                done_at BIGINT,
                reminded_at BIGINT,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX follow_ups_owner_idx ON follow_ups (owner_id, done_at, due_at)",
            "CREATE INDEX follow_ups_contact_idx ON follow_ups (contact_id, due_at)",
            "CREATE INDEX follow_ups_due_idx ON follow_ups (due_at) WHERE done_at IS NULL AND reminded_at IS NULL",
            """
            CREATE TABLE tag_cadences (
                owner_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                tag_key TEXT NOT NULL,
                ideal_days BIGINT NOT NULL CHECK (ideal_days BETWEEN 1 AND 3650),
                max_days BIGINT NOT NULL CHECK (max_days BETWEEN ideal_days AND 3650),
                PRIMARY KEY (owner_id, tag_key)
            )
            """,
            """
            CREATE TABLE notifications (
                id TEXT PRIMARY KEY,
                member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                key TEXT NOT NULL,
                title TEXT NOT NULL,
                body TEXT NOT NULL DEFAULT '',
                link TEXT NOT NULL DEFAULT '',
                created_at BIGINT NOT NULL,
                read_at BIGINT,
                UNIQUE (member_id, key)
            )
            """,
            "CREATE INDEX notifications_member_idx ON notifications (member_id, created_at)",
            """
            CREATE TABLE mail_outbox (
                id TEXT PRIMARY KEY,
                member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
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
            "CREATE INDEX mail_outbox_pending_idx ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL",
        ]
    }
}
