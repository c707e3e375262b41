extension Migration {
    /// Name typeahead on PostgreSQL: an index that serves `name_key LIKE 'prefix%'` whatever the
    /// database's collation. (SQLite's binary collation already lets the (name_key, id) index serve a range.)
    static let v005IndexNamePrefixes = Migration(version: 5, name: "index name prefixes") { dialect in
        dialect == .postgres ? ["CREATE INDEX members_name_key_prefix_idx ON members (name_key text_pattern_ops)"] : []
    }
}
