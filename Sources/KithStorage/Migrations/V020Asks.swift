extension Migration {
    /// The ask mechanism (introductions now; referral and mentorship requests later): each ask,
    /// its route (who answers, in order, and when it reached each), the notes added on the way,
    /// and what members set for asks reaching them.
    static let v020Asks = Migration(version: 20, name: "asks") { _ in
        [
            """
            CREATE TABLE asks (
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                asker_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                step BIGINT NOT NULL,
                stage TEXT NOT NULL CHECK (stage IN ('waiting', 'accepted', 'passed', 'expired', 'withdrawn')),
                purpose TEXT NOT NULL,
                blurb TEXT NOT NULL,
                request TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                step_started_at BIGINT NOT NULL,
                deadline BIGINT NOT NULL,
                nudged_at BIGINT,
                closed_at BIGINT,
                outcome TEXT
            )
            """,
            "CREATE INDEX asks_asker_idx ON asks (asker_id, kind, stage)",
            "CREATE INDEX asks_open_idx ON asks (stage, deadline)",
            """
            CREATE TABLE ask_route (
                ask_id TEXT NOT NULL REFERENCES asks (id) ON DELETE CASCADE,
                position BIGINT NOT NULL,
                member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                reached_at BIGINT,
                PRIMARY KEY (ask_id, position)
            )
            """,
            "CREATE INDEX ask_route_member_idx ON ask_route (member_id, reached_at)",
            """
            CREATE TABLE ask_notes (
                ask_id TEXT NOT NULL REFERENCES asks (id) ON DELETE CASCADE,
                position BIGINT NOT NULL,
                author_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                text TEXT NOT NULL,
                written_at BIGINT NOT NULL,
                PRIMARY KEY (ask_id, position)
            )
            """,
            """
            CREATE TABLE ask_availability (
                member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                kind TEXT NOT NULL,
                monthly_limit BIGINT,
                paused_until BIGINT,
                PRIMARY KEY (member_id, kind)
            )
            """,
        ]
    }
}
