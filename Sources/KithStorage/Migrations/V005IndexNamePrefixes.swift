extension Migration {
    /// Name typeahead on PostgreSQL: a byte-order (`COLLATE "C"`) index on (name_key, id) serves
    /// both the prefix range and the alphabetical order, whatever the database's collation, and
    /// keeps doing so under generic plans. (SQLite's binary collation already lets the
    /// (name_key, id) index do both.)
    static let v005IndexNamePrefixes = Migration(version: 5, name: "index name prefixes") { dialect in
        dialect == .postgres ? [#"CREATE INDEX members_name_key_bytes_idx ON members ((name_key COLLATE "C"), id)"#] : []
    }
}
