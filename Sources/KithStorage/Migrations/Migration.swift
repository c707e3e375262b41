public import Foundation
import SQLKit

/// One numbered schema change. Statements may differ per dialect where SQL must (full-text
/// search); everything else is the same text on both backends. Never edit a migration once it
/// has landed: add a new one.
struct Migration: Sendable {
    let version: Int
    let name: String
    let statements: @Sendable (StoreDialect) -> [String]
    /// Rows to rewrite after the statements, in the same transaction (derived data such as the
    /// search index, which only Swift code knows how to build).
    var backfill: (@Sendable (any SQLDatabase, StoreDialect) async throws -> Void)? = nil
}

/// Applies pending migrations in order, each in its own transaction, recording them in
/// `schema_migrations`. Safe to run from several processes at once.
public enum Migrator {
    static let all: [Migration] = [
        .v001CreateMembersAndProfiles, .v002CreateMemberSearch, .v003CreateConnections, .v004IndexAffiliationPeers,
        .v005IndexNamePrefixes, .v006SearchFacets, .v007CreateRelationshipManager, .v008CreateEvents, .v009DropWaitlistCounter,
        .v010CreateAttemptCounters, .v011CalendarFeedDigests, .v012InstanceMarks,
        .v013CredentialUse, .v014PasswordResets, .v015TwoFactor, .v016PendingRegistrations,
        .v017Conversations, .v018NotificationKinds, .v019WeeklyPlan, .v020Asks, .v021HelpAsks, .v022LookingSignals, .v023DAV,
        .v024RecentAffiliationPeers, .v025MemberChanges, .v026AskWaitingOn,
    ]

    /// The newest schema version this build knows.
    public static var latestVersion: Int { all.map(\.version).max() ?? 0 }

    /// Applies what is pending; returns the versions applied now.
    @discardableResult
    public static func migrate(_ store: any Store, now: Date = Date()) async throws -> [Int] {
        try await store.write { db in
            try await db.raw(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)
                """
            ).run()
        }
        var applied: [Int] = []
        for migration in all {
            let ran = try await store.write { db in
                if store.dialect == .postgres {
                    // A migration may rebuild an index over every member: no statement time limit.
                    try await db.raw("SET LOCAL statement_timeout = 0").run()
                    // Two instances starting together: the second waits, then sees the version.
                    try await AdvisoryLock.migrations.hold(in: db)
                }
                let done = try await db.raw(
                    "SELECT version FROM schema_migrations WHERE version = \(bind: migration.version)"
                ).first()
                guard done == nil else { return false }
                for statement in migration.statements(store.dialect) {
                    try await db.raw(SQLQueryString(statement)).run()
                }
                try await migration.backfill?(db, store.dialect)
                try await db.raw(
                    """
                    INSERT INTO schema_migrations (version, name, applied_at)
                    VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: Millis.from(now)))
                    """
                ).run()
                return true
            }
            if ran { applied.append(migration.version) }
        }
        return applied
    }

    /// Versions recorded as applied, oldest first.
    public static func appliedVersions(_ store: any Store) async throws -> [Int] {
        try await store.read { db in
            try await db.raw("SELECT version FROM schema_migrations ORDER BY version").all()
                .map { Int(try $0.decode(column: "version", as: Int64.self)) }
        }
    }
}
