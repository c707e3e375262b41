extension Migration {
    /// CardDAV and CalDAV: app passwords, each contact's card identity (the resource name and UID
    /// a client chose, the vCard as it last sent it) and the address book's change numbers, and
    /// the calendar's sync snapshots.
    static let v023DAV = Migration(version: 23, name: "dav") { _ in
        [
            """
            CREATE TABLE app_passwords (
                id TEXT PRIMARY KEY,
                member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                label TEXT NOT NULL,
                digest TEXT NOT NULL UNIQUE,
                created_at BIGINT NOT NULL,
                last_used_at BIGINT
            )
            """,
            "CREATE INDEX app_passwords_member_idx ON app_passwords (member_id)",
            "ALTER TABLE contacts ADD COLUMN card_revision BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE contacts ADD COLUMN card_name TEXT",
            "ALTER TABLE contacts ADD COLUMN card_uid TEXT",
            "ALTER TABLE contacts ADD COLUMN card_source TEXT",
            "CREATE UNIQUE INDEX contacts_card_name_idx ON contacts (owner_id, card_name) WHERE card_name IS NOT NULL",
            "CREATE INDEX contacts_card_revision_idx ON contacts (owner_id, card_revision)",
            "CREATE INDEX contacts_card_uid_idx ON contacts (owner_id, card_uid) WHERE card_uid IS NOT NULL",
            """
            CREATE TABLE address_books (
                owner_id TEXT PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
                revision BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE card_tombstones (
                owner_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                card_name TEXT NOT NULL,
                revision BIGINT NOT NULL,
                PRIMARY KEY (owner_id, card_name)
            )
            """,
            """
            CREATE TABLE calendar_sync_states (
                member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                token TEXT NOT NULL,
                entries TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (member_id, token)
            )
            """,
        ]
    }
}
