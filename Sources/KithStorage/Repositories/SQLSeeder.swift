import Foundation
public import KithDomain
import SQLKit

/// Bulk insertion of prepared members (demo data, benchmarks): one transaction per batch,
/// the same rows and search index as registration produces.
public struct SQLSeeder: Sendable {
    private let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    /// Inserts members with their profiles and affiliations; every member gets `passwordHash`.
    public func insert(
        _ batch: [(member: Member, profile: Profile, affiliations: [Affiliation])],
        passwordHash: String
    )
        async throws
    {
        let dialect = store.dialect
        let index = SearchIndexWriter(dialect: dialect)
        try await store.write { db in
            for entry in batch {
                let member = entry.member
                let seq: SQLQueryString =
                    dialect == .postgres ? "nextval('members_seq')" : "(SELECT COALESCE(MAX(seq), 0) + 1 FROM members)"
                try await db.raw(
                    """
                    INSERT INTO members (id, seq, email, handle, name, name_key, role, password_hash, created_at)
                    VALUES (\(bind: member.id.description), \(seq), \(bind: member.email.rawValue),
                        \(bind: member.handle.rawValue), \(bind: member.name), \(bind: Text.key(member.name)),
                        \(bind: member.role.rawValue), \(bind: passwordHash), \(bind: Millis.from(member.createdAt)))
                    """
                ).run()
                try await ProfileWriter.upsert(entry.profile, in: db)
                for affiliation in entry.affiliations {
                    try await db.raw(
                        """
                        INSERT INTO affiliations (id, member_id, kind, organization, organization_key, title, cohort,
                            cohort_key, start_year, end_year, created_at)
                        VALUES (\(bind: affiliation.id.description), \(bind: member.id.description),
                            \(bind: affiliation.kind.rawValue), \(bind: affiliation.organization),
                            \(bind: Text.key(affiliation.organization)), \(bind: affiliation.title),
                            \(bind: affiliation.cohort), \(bind: Text.key(affiliation.cohort)),
                            \(bind: affiliation.startYear.map(Int64.init)), \(bind: affiliation.endYear.map(Int64.init)),
                            \(bind: Millis.from(affiliation.createdAt)))
                        """
                    ).run()
                }
                try await index.reindex(member.id, in: db)
            }
        }
    }
}
