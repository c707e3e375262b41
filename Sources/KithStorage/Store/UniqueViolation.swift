import PostgresNIO
import SQLiteNIO

/// Whether a database error is a unique-index violation, on either backend — the sign that a
/// concurrent writer stored the same thing first, which callers report as a conflict (409).
enum UniqueViolation {
    static func matches(_ error: any Error, index: String) -> Bool {
        if let error = error as? SQLiteError {
            // SQLite names the columns, not the index: "UNIQUE constraint failed: t.a, t.b".
            return [.constraint, .constraintUniqueFailed].contains(error.reason) && error.message.contains("UNIQUE")
        }
        if let error = error as? PSQLError {
            return error.serverInfo?[.sqlState] == "23505" && error.serverInfo?[.constraintName] == index
        }
        return false
    }
}
