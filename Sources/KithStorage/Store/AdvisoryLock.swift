import SQLKit

/// PostgreSQL transaction-scoped advisory locks that serialise work across `kith serve` instances
/// sharing one database. Each key is scoped to the schema in use (`current_schema()`), so two
/// communities kept in two schemas of one database — or tests running in parallel, one schema
/// each — never wait on each other. SQLite needs none of this: it has one writer.
enum AdvisoryLock: Int32 {
    /// Applying migrations: a second instance starting at the same time waits, then sees the version.
    case migrations = 7_361_001
    /// Graph writes: change-feed sequence numbers commit in order, so a tailing instance never skips one.
    case graphWrites = 7_361_002
    /// Member changes (`MemberChanges`): the same, for the feed member caches read.
    case memberChanges = 7_361_003

    /// Takes the lock until the surrounding transaction ends.
    func hold(in db: any SQLDatabase) async throws {
        try await db.raw("SELECT pg_advisory_xact_lock(\(unsafeRaw: String(rawValue)), hashtext(current_schema()))").run()
    }
}
