public import Foundation
public import KithDomain
import SQLKit

/// Bulk insertion of prepared members (demo data, benchmarks): one transaction per batch,
/// the same rows and search index as registration produces.
public struct SQLSeeder: Sendable {
    let store: any Store

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

extension SQLSeeder {
    /// Inserts connections in bulk (both directions) before the graph is built, so no change-feed
    /// rows are needed: a rebuild reads the connections table.
    public func insertConnections(_ ties: [(a: Member.ID, b: Member.ID, strength: UInt8)], at now: Date) async throws {
        let ids = Array(Set(ties.flatMap { [$0.a, $0.b] }))
        var seqs: [Member.ID: Int64] = [:]
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = ids[start..<min(ids.count, start + 500)].map(\.description)
            let rows = try await store.read { db in
                try await db.raw("SELECT id, seq FROM members WHERE id IN (\(binds: chunk))").all().map {
                    (Member.ID(try $0.uuid("id")), try $0.int64("seq"))
                }
            }
            for (id, seq) in rows { seqs[id] = seq }
        }
        for start in stride(from: 0, to: ties.count, by: 400) {
            let batch = ties[start..<min(ties.count, start + 400)]
            let values: [SQLQueryString] = batch.flatMap { tie -> [SQLQueryString] in
                guard let a = seqs[tie.a], let b = seqs[tie.b] else { return [] }
                let strength = Int64(tie.strength)
                let at = Millis.from(now)
                return [
                    "(\(bind: tie.a.description), \(bind: tie.b.description), \(bind: a), \(bind: b), \(bind: strength), \(bind: at))",
                    "(\(bind: tie.b.description), \(bind: tie.a.description), \(bind: b), \(bind: a), \(bind: strength), \(bind: at))",
                ]
            }
            guard !values.isEmpty else { continue }
            try await store.write { db in
                try await db.raw(
                    """
                    INSERT INTO connections (member_id, other_id, member_seq, other_seq, strength, created_at)
                    VALUES \(values.joined(separator: ", ")) ON CONFLICT DO NOTHING
                    """
                ).run()
            }
        }
    }

    /// Inserts open connection requests as they are (demo inboxes).
    public func insertRequests(_ requests: [ConnectionRequest]) async throws {
        try await store.write { db in
            for request in requests {
                try await db.raw(
                    """
                    INSERT INTO connection_requests (id, from_id, to_id, pair_key, note, status, created_at, expires_at)
                    VALUES (\(bind: request.id.description), \(bind: request.from.description), \(bind: request.to.description),
                        \(bind: [request.from.description, request.to.description].sorted().joined(separator: "|")),
                        \(bind: request.note), \(bind: request.status.rawValue), \(bind: Millis.from(request.createdAt)),
                        \(bind: Millis.from(request.expiresAt)))
                    ON CONFLICT DO NOTHING
                    """
                ).run()
            }
        }
    }
}
