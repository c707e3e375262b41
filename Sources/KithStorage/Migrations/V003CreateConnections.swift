extension Migration {
    /// Connection requests, connections (one row per direction, so listing is one index range),
    /// the change feed every instance tails to keep its graph current, recurring job leases, and
    /// the visibility of a member's connections list.
    static let v003CreateConnections = Migration(version: 3, name: "create connections") { dialect in
        let sequence = dialect == .postgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"
        return [
            """
            CREATE TABLE connection_requests (
                id TEXT PRIMARY KEY,
                from_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                to_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                pair_key TEXT NOT NULL,
                note TEXT NOT NULL DEFAULT '',
                status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'ignored', 'withdrawn', 'expired')),
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                responded_at BIGINT,
                CHECK (from_id <> to_id)
            )
            """,
            // One open request per pair, whichever way it points: crossing requests collide.
            """
            CREATE UNIQUE INDEX connection_requests_open_pair_idx ON connection_requests (pair_key)
            WHERE status IN ('pending', 'ignored')
            """,
            "CREATE INDEX connection_requests_to_idx ON connection_requests (to_id, status, created_at)",
            "CREATE INDEX connection_requests_from_idx ON connection_requests (from_id, created_at)",
            "CREATE INDEX connection_requests_expiry_idx ON connection_requests (expires_at) WHERE status IN ('pending', 'ignored')",
            """
            CREATE TABLE connections (
                member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                other_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                member_seq BIGINT NOT NULL,
                other_seq BIGINT NOT NULL,
                strength BIGINT NOT NULL CHECK (strength BETWEEN 1 AND 255),
                created_at BIGINT NOT NULL,
                PRIMARY KEY (member_id, other_id),
                CHECK (member_id <> other_id)
            )
            """,
            "CREATE INDEX connections_listing_idx ON connections (member_id, created_at, other_id)",
            """
            CREATE TABLE graph_changes (
                seq \(sequence),
                kind TEXT NOT NULL CHECK (kind IN ('connect', 'disconnect')),
                a_seq BIGINT NOT NULL,
                b_seq BIGINT NOT NULL,
                strength BIGINT NOT NULL,
                at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE job_leases (
                name TEXT PRIMARY KEY,
                next_run_at BIGINT NOT NULL,
                leased_until BIGINT,
                leased_by TEXT,
                last_finished_at BIGINT
            )
            """,
            """
            ALTER TABLE profiles ADD COLUMN vis_connections TEXT NOT NULL DEFAULT 'community'
                CHECK (vis_connections IN ('community', 'connections', 'only_me'))
            """,
        ]
    }
}
