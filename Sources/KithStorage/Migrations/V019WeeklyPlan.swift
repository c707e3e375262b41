extension Migration {
    /// The weekly networking plan: each member's slot, what they did with plan items, and the
    /// weekly emails recorded (one per member and week, with the items it carried).
    static let v019WeeklyPlan = Migration(version: 19, name: "weekly plan") { _ in
        [
            """
            CREATE TABLE weekly_slots (
                member_id TEXT PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
                weekday BIGINT NOT NULL CHECK (weekday BETWEEN 1 AND 7),
                hour BIGINT NOT NULL CHECK (hour BETWEEN 0 AND 23),
                minute BIGINT NOT NULL CHECK (minute BETWEEN 0 AND 59),
                time_zone TEXT NOT NULL,
                minutes BIGINT NOT NULL CHECK (minutes BETWEEN 15 AND 120)
            )
            """,
            """
            CREATE TABLE plan_item_states (
                member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                key TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('done', 'snoozed')),
                until BIGINT NOT NULL,
                PRIMARY KEY (member_id, key)
            )
            """,
            """
            CREATE TABLE weekly_emails (
                member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                week_of BIGINT NOT NULL,
                item_keys TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (member_id, week_of)
            )
            """,
        ]
    }
}
