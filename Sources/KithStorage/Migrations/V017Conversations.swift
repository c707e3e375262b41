extension Migration {
    /// Conversations, their participants (with each one's state and read position) and messages.
    /// `direct_key` (the two member ids in order) keeps one direct conversation per pair.
    static let v017Conversations = Migration(version: 17, name: "conversations") { _ in
        [
            """
            CREATE TABLE conversations (
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL CHECK (kind IN ('direct', 'group', 'introduction', 'mentorship')),
                direct_key TEXT UNIQUE,
                started_by TEXT REFERENCES members (id) ON DELETE SET NULL,
                started_as_request BIGINT NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL,
                last_message_at BIGINT NOT NULL,
                last_sequence BIGINT NOT NULL
            )
            """,
            "CREATE INDEX conversations_requests_idx ON conversations (started_by, created_at) WHERE started_as_request = 1",
            """
            CREATE TABLE conversation_participants (
                conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
                member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                state TEXT NOT NULL CHECK (state IN ('active', 'request', 'ignored', 'left')),
                read_sequence BIGINT NOT NULL,
                joined_at BIGINT NOT NULL,
                last_message_at BIGINT NOT NULL,
                PRIMARY KEY (conversation_id, member_id)
            )
            """,
            // A member's list, most recent first, by state: the inbox and the requests box.
            """
            CREATE INDEX conversation_participants_list_idx
            ON conversation_participants (member_id, state, last_message_at DESC, conversation_id DESC)
            """,
            """
            CREATE TABLE messages (
                id TEXT PRIMARY KEY,
                conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
                author_id TEXT REFERENCES members (id) ON DELETE SET NULL,
                sequence BIGINT NOT NULL,
                body TEXT NOT NULL,
                sent_at BIGINT NOT NULL,
                UNIQUE (conversation_id, sequence)
            )
            """,
        ]
    }
}
