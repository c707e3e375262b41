extension Migration {
    /// Events, RSVPs (one row per member and event; the waitlist is ordered by a per-event
    /// counter, so positions have no gaps and nobody can jump the line), and calendar-feed tokens.
    static let v008CreateEvents = Migration(version: 8, name: "create events") { _ in
        [
            """
            CREATE TABLE events (
                id TEXT PRIMARY KEY,
                organizer_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                title TEXT NOT NULL,
                description TEXT NOT NULL DEFAULT '',
                format TEXT NOT NULL CHECK (format IN ('reunion', 'conference', 'meetup', 'workshop', 'small_circle', 'online_coffee')),
                starts_at BIGINT NOT NULL,
                ends_at BIGINT NOT NULL,
                time_zone TEXT NOT NULL,
                location TEXT NOT NULL DEFAULT '',
                online_url TEXT NOT NULL DEFAULT '',
                capacity BIGINT CHECK (capacity > 0),
                audience_cohort TEXT NOT NULL DEFAULT '',
                rsvp_deadline BIGINT,
                check_in_code TEXT NOT NULL,
                waitlist_counter BIGINT NOT NULL DEFAULT 0, -- no longer read: places in line follow MAX(waitlist_seq)
                cancelled_at BIGINT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                CHECK (ends_at > starts_at)
            )
            """,
            "CREATE INDEX events_start_idx ON events (starts_at, id)",
            "CREATE INDEX events_cohort_idx ON events (audience_cohort, starts_at)",
            "CREATE INDEX events_organizer_idx ON events (organizer_id)",
            """
            CREATE TABLE rsvps (
                event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
                member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                status TEXT NOT NULL CHECK (status IN ('going', 'waitlisted', 'maybe', 'not_going')),
                waitlist_seq BIGINT,
                responded_at BIGINT NOT NULL,
                checked_in_at BIGINT,
                PRIMARY KEY (event_id, member_id),
                CHECK ((status = 'waitlisted') = (waitlist_seq IS NOT NULL))
            )
            """,
            "CREATE INDEX rsvps_event_status_idx ON rsvps (event_id, status, waitlist_seq)",
            "CREATE INDEX rsvps_member_idx ON rsvps (member_id, event_id)",
            """
            CREATE TABLE calendar_tokens (
                member_id TEXT PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
                token TEXT NOT NULL UNIQUE
            )
            """,
        ]
    }
}
