extension Migration {
    /// Calendar feed addresses are kept as digests, like every other secret. Addresses made
    /// before this migration stay in `calendar_tokens` until first used, when they move here
    /// (`SQLEventRepository.member(calendarToken:)`), so no subscribed calendar breaks.
    static let v011CalendarFeedDigests = Migration(version: 11, name: "calendar feed digests") { _ in
        [
            """
            CREATE TABLE calendar_feeds (
                member_id TEXT PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
                digest TEXT NOT NULL UNIQUE,
                created_at BIGINT NOT NULL
            )
            """
        ]
    }
}
