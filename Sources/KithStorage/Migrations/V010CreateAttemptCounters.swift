extension Migration {
    /// Attempt counters (progressive delays) replace the per-failure rows of `login_failures`:
    /// one row per key, updated under a row lock, so a check and its count are atomic.
    static let v010CreateAttemptCounters = Migration(version: 10, name: "attempt counters") { _ in
        [
            """
            CREATE TABLE attempt_counters (
                key TEXT PRIMARY KEY,
                window_start BIGINT NOT NULL,
                tries INTEGER NOT NULL,
                last_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX attempt_counters_last_idx ON attempt_counters (last_at)",
            "DROP TABLE login_failures",
        ]
    }
}
