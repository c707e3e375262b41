import PostgresNIO

/// Whether a database error is a unique-index violation, on either backend — the sign that a
/// concurrent writer stored the same thing first, which callers report as a conflict (409).
enum UniqueViolation {
    /// `index` is the unique index's name (what PostgreSQL reports); `columns` how SQLite names it
    /// ("table.a, table.b": SQLite reports the columns, not the index).
    static func matches(_ error: any Error, index: String, columns: String) -> Bool {
        if let error = error as? SQLiteDirectError {
            return error.isUniqueViolation && error.message.hasPrefix("UNIQUE constraint failed: \(columns)")
        }
        if let error = error as? PSQLError {
            return error.serverInfo?[.sqlState] == "23505" && error.serverInfo?[.constraintName] == index
        }
        return false
    }
}
