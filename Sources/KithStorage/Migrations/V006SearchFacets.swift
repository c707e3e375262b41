import KithDomain
import SQLKit

extension Migration {
    /// Facet tokens in the full-text index (see `SearchDocument`): SQLite's FTS5 table gains a
    /// `facets` column (a virtual table cannot be altered, so it is rebuilt); PostgreSQL keeps its
    /// table, gains the member's seq (the tiebreak of ranked results, as the rowid is on SQLite) and
    /// reweights documents. Every member is reindexed. The SQLite table drops the prefix
    /// indexes: every facet token shares its first letters, which made those indexes huge, and
    /// prefix queries of three letters or more are as fast without them.
    static let v006SearchFacets = Migration(
        version: 6,
        name: "search facets",
        statements: { dialect in
            switch dialect {
            case .sqlite:
                [
                    "DROP TABLE member_search",
                    """
                    CREATE VIRTUAL TABLE member_search USING fts5(
                        name, body, facets, tokenize = 'unicode61 remove_diacritics 2')
                    """,
                ]
            case .postgres: ["ALTER TABLE member_search ADD COLUMN IF NOT EXISTS seq BIGINT NOT NULL DEFAULT 0"]
            }
        },
        backfill: { db, dialect in
            let writer = SearchIndexWriter(dialect: dialect)
            let ids = try await db.raw("SELECT id FROM members ORDER BY seq").all().map { Member.ID(try $0.uuid("id")) }
            for id in ids { try await writer.reindex(id, in: db) }
        }
    )
}
