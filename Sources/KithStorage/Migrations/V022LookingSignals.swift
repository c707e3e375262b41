extension Migration {
    /// The private "looking for work" signal and the circle of connections who may see it.
    static let v022LookingSignals = Migration(version: 22, name: "looking signals") { _ in
        [
            """
            CREATE TABLE looking_signals (
                member_id TEXT PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
                active BIGINT NOT NULL,
                roles TEXT NOT NULL,
                locations TEXT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE looking_circle (
                member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                supporter_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                position BIGINT NOT NULL,
                PRIMARY KEY (member_id, supporter_id)
            )
            """,
            "CREATE INDEX looking_circle_supporter_idx ON looking_circle (supporter_id)",
        ]
    }
}
