import KithDomain
import SQLKit

extension Migration {
    /// Facet tokens in the full-text index (see `SearchDocument`): SQLite's FTS5 table gains a
    /// `facets` column (a virtual table cannot be altered, so it is rebuilt); PostgreSQL keeps its
    /// table and reweights documents. Every member is reindexed.
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
                        name, body, facets, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')
                    """,
                ]
            case .postgres: []
            }
        },
        backfill: { db, dialect in
            let writer = SearchIndexWriter(dialect: dialect)
            let ids = try await db.raw("SELECT id FROM members ORDER BY seq").all().map { Member.ID(try $0.uuid("id")) }
            for id in ids { try await writer.reindex(id, in: db) }
        }
    )
}
