extension Migration {
    /// Whom each open ask waits on, on the ask's own row (the route member at its current step
    /// while it waits, NULL once it closes), under a partial index of open asks only: the cap of
    /// asks waiting on one addressee is then a count over that member's few open asks, not a join
    /// over every ask that ever reached them (it grew with a busy connector's history; docs/BENCHMARKS.md).
    static let v026AskWaitingOn = Migration(version: 26, name: "ask waiting on") { _ in
        [
            "ALTER TABLE asks ADD COLUMN waiting_on TEXT REFERENCES members (id) ON DELETE SET NULL",
            """
            UPDATE asks SET waiting_on = (
                SELECT r.member_id FROM ask_route r WHERE r.ask_id = asks.id AND r.position = asks.step)
            WHERE stage = 'waiting'
            """,
            "CREATE INDEX asks_waiting_on_idx ON asks (waiting_on, kind) WHERE waiting_on IS NOT NULL",
        ]
    }
}
