extension Migration {
    /// The full-text index of what members show the whole community: FTS5 on SQLite, a
    /// tsvector with a GIN index on PostgreSQL. The name is weighted above the rest.
    static let v002CreateMemberSearch = Migration(version: 2, name: "create member search") { dialect in
        switch dialect {
        case .sqlite:
            [
                """
                CREATE VIRTUAL TABLE member_search USING fts5(
                    name, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')
                """
            ]
        case .postgres:
            [
                """
                CREATE TABLE member_search (
                    member_id TEXT PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
                    document TSVECTOR NOT NULL
                )
                """,
                "CREATE INDEX member_search_document_idx ON member_search USING GIN (document)",
            ]
        }
    }
}
