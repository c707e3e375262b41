extension Migration {
    /// Help asks on the ask mechanism: what an ask is about and whom it is for, why each member it
    /// was routed to was chosen and whether they said "not for me", the offers of help, and whom
    /// the asker thanked as having helped (each member's public "helped" count).
    static let v021HelpAsks = Migration(version: 21, name: "help asks") { _ in
        [
            "ALTER TABLE asks ADD COLUMN audience TEXT",
            "ALTER TABLE asks ADD COLUMN skills TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE asks ADD COLUMN organization TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE ask_route ADD COLUMN reason TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE ask_route ADD COLUMN passed_at BIGINT",
            """
            CREATE TABLE ask_offers (
                id TEXT PRIMARY KEY,
                ask_id TEXT NOT NULL REFERENCES asks (id) ON DELETE CASCADE,
                helper_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                note TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                accepted_at BIGINT,
                UNIQUE (ask_id, helper_id)
            )
            """,
            """
            CREATE TABLE ask_helpers (
                ask_id TEXT NOT NULL REFERENCES asks (id) ON DELETE CASCADE,
                member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                PRIMARY KEY (ask_id, member_id)
            )
            """,
            "CREATE INDEX ask_helpers_member_idx ON ask_helpers (member_id)",
        ]
    }
}
