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

    /// Inserts members with their profiles, affiliations and search documents, a few multi-row
    /// statements per batch (the rows are the same as registration and profile edits produce).
    /// Every member gets `passwordHash`.
    public func insert(
        _ batch: [(member: Member, profile: Profile, affiliations: [Affiliation])],
        passwordHash: String
    )
        async throws
    {
        guard !batch.isEmpty else { return }
        if let postgres = store as? PostgresStore {
            try await insertByCopy(batch, passwordHash: passwordHash, into: postgres)
            return
        }
        let dialect = store.dialect
        try await store.write { db in
            var firstSeq: Int64 = 0
            if dialect == .sqlite {
                firstSeq = (try await db.raw("SELECT COALESCE(MAX(seq), 0) AS s FROM members").first()?.int64("s") ?? 0) + 1
            }
            for chunk in Self.chunks(Array(batch.enumerated()), size: 300) {
                let members: [SQLQueryString] = chunk.map { index, entry in
                    let member = entry.member
                    let seq: SQLQueryString = dialect == .postgres ? "nextval('members_seq')" : "\(bind: firstSeq + Int64(index))"
                    return """
                        (\(bind: member.id.description), \(seq), \(bind: member.email.rawValue), \(bind: member.handle.rawValue),
                        \(bind: member.name), \(bind: Text.key(member.name)), \(bind: member.role.rawValue), \(bind: passwordHash),
                        \(bind: Millis.from(member.createdAt)))
                        """
                }
                try await db.raw(
                    """
                    INSERT INTO members (id, seq, email, handle, name, name_key, role, password_hash, created_at)
                    VALUES \(members.joined(separator: ", "))
                    """
                ).run()
                try await ProfileWriter.insertMany(chunk.map(\.element.profile), in: db)
                let affiliations = chunk.flatMap(\.element.affiliations)
                for part in Self.chunks(affiliations, size: 300) {
                    let rows: [SQLQueryString] = part.map { affiliation in
                        """
                        (\(bind: affiliation.id.description), \(bind: affiliation.memberID.description),
                        \(bind: affiliation.kind.rawValue), \(bind: affiliation.organization),
                        \(bind: Text.key(affiliation.organization)), \(bind: affiliation.title), \(bind: affiliation.cohort),
                        \(bind: Text.key(affiliation.cohort)), \(bind: affiliation.startYear.map(Int64.init)),
                        \(bind: affiliation.endYear.map(Int64.init)), \(bind: Millis.from(affiliation.createdAt)))
                        """
                    }
                    try await db.raw(
                        """
                        INSERT INTO affiliations (id, member_id, kind, organization, organization_key, title, cohort,
                            cohort_key, start_year, end_year, created_at)
                        VALUES \(rows.joined(separator: ", "))
                        """
                    ).run()
                }
                let documents: [SQLQueryString] = chunk.map { index, entry in
                    SearchDocument(
                        name: entry.member.name,
                        handle: entry.member.handle.rawValue,
                        profile: entry.profile,
                        affiliations: entry.affiliations
                    ).values(seq: firstSeq + Int64(index), memberID: entry.member.id.description, dialect: dialect)
                }
                let target = SearchDocument.target(dialect)
                try await db.raw("INSERT INTO \(target) VALUES \(documents.joined(separator: ", "))").run()
            }
            // A change for everyone: word indexes and member caches start again.
            try await MemberChanges.record(nil, in: db, dialect: dialect)
        }
    }

    /// The same rows on PostgreSQL by `COPY`: members (their `seq` drawn from the sequence first),
    /// profiles with their skill and signal rows, affiliations, and search documents — copied
    /// into a temporary table and turned into weighted `tsvector`s by one `INSERT … SELECT`.
    private func insertByCopy(
        _ batch: [(member: Member, profile: Profile, affiliations: [Affiliation])],
        passwordHash: String,
        into postgres: PostgresStore
    ) async throws {
        try await postgres.copyTransaction { copy in
            let seqs = try await copy.sql.raw(
                "SELECT nextval('members_seq') AS seq FROM generate_series(1, \(literal: batch.count))"
            ).all().map { try $0.int64("seq") }.sorted()
            let text = { (number: Int64) in String(number) }
            try await copy.copy(
                into: "members",
                columns: ["id", "seq", "email", "handle", "name", "name_key", "role", "password_hash", "created_at"],
                rows: zip(batch, seqs).map { entry, seq in
                    let member = entry.member
                    return [
                        member.id.description, text(seq), member.email.rawValue, member.handle.rawValue, member.name,
                        Text.key(member.name), member.role.rawValue, passwordHash, text(Millis.from(member.createdAt)),
                    ]
                }
            )
            let profiles = batch.map(\.profile)
            try await copy.copy(into: "profiles", columns: ProfileWriter.columns, rows: profiles.map(ProfileWriter.values))
            try await copy.copy(
                into: "member_skills",
                columns: ["member_id", "skill_key"],
                rows: profiles.flatMap { profile in Set(profile.skills.map(Text.key)).map { [profile.memberID.description, $0] } }
            )
            try await copy.copy(
                into: "member_open_to",
                columns: ["member_id", "signal"],
                rows: profiles.flatMap { profile in profile.openTo.map { [profile.memberID.description, $0.rawValue] } }
            )
            try await copy.copy(
                into: "affiliations",
                columns: [
                    "id", "member_id", "kind", "organization", "organization_key", "title", "cohort", "cohort_key", "start_year",
                    "end_year", "created_at",
                ],
                rows: batch.flatMap(\.affiliations).map { affiliation in
                    [
                        affiliation.id.description, affiliation.memberID.description, affiliation.kind.rawValue,
                        affiliation.organization, Text.key(affiliation.organization), affiliation.title, affiliation.cohort,
                        Text.key(affiliation.cohort), affiliation.startYear.map(String.init), affiliation.endYear.map(String.init),
                        text(Millis.from(affiliation.createdAt)),
                    ]
                }
            )
            try await copy.sql.raw(
                "CREATE TEMPORARY TABLE seeded_search (member_id TEXT, seq BIGINT, name TEXT, body TEXT, facets TEXT) ON COMMIT DROP"
            ).run()
            try await copy.copy(
                into: "seeded_search",
                columns: ["member_id", "seq", "name", "body", "facets"],
                rows: zip(batch, seqs).map { entry, seq in
                    let document = SearchDocument(
                        name: entry.member.name,
                        handle: entry.member.handle.rawValue,
                        profile: entry.profile,
                        affiliations: entry.affiliations
                    )
                    return [entry.member.id.description, text(seq), document.name, document.body, document.facets]
                }
            )
            try await copy.sql.raw(
                """
                INSERT INTO member_search (member_id, seq, document)
                SELECT member_id, seq, \(unsafeRaw: SearchDocument.postgresDocument("name", "body", "facets")) FROM seeded_search
                """
            ).run()
            // A change for everyone: word indexes and member caches start again.
            try await MemberChanges.record(nil, in: copy.sql, dialect: .postgres)
        }
    }

    /// Every stored member's id by handle (a benchmark seeding the network into members it
    /// seeded earlier: generated members get new ids each time, their handles stay the same).
    public func memberIDsByHandle() async throws -> [String: Member.ID] {
        // Every member's row: at a million members on PostgreSQL this takes longer than the
        // per-statement limit that protects requests.
        try await store.longRead { db in
            var result: [String: Member.ID] = [:]
            for row in try await db.raw("SELECT id, handle FROM members").all() {
                result[try row.string("handle")] = Member.ID(try row.uuid("id"))
            }
            return result
        }
    }

    /// Whether any connection is stored (a benchmark seeds the network once).
    public func hasConnections() async throws -> Bool {
        try await store.read { db in try await db.raw("SELECT 1 AS one FROM connections LIMIT 1").first() != nil }
    }

    /// Refreshes the query planner's statistics after a bulk load.
    /// On PostgreSQL outside a transaction and the per-statement limit (a million members'
    /// statistics take longer than it allows); on SQLite on the writer.
    public func optimize() async throws {
        guard store.dialect == .postgres else {
            try await store.write { db in try await db.raw("ANALYZE").run() }
            return
        }
        try await store.longRead { db in try await db.raw("ANALYZE").run() }
    }

    static func chunks<T>(_ items: [T], size: Int) -> [[T]] {
        stride(from: 0, to: items.count, by: size).map { Array(items[$0..<min(items.count, $0 + size)]) }
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
            // A bulk load, not a request: exempt from the per-statement limit (a million lookups
            // on a machine busy with the load itself can pass it).
            let rows = try await store.longRead { db in
                try await db.raw("SELECT id, seq FROM members WHERE id IN (\(binds: chunk))").all().map {
                    (Member.ID(try $0.uuid("id")), try $0.int64("seq"))
                }
            }
            for (id, seq) in rows { seqs[id] = seq }
        }
        // A tie to a member who is not stored is a mistake in the caller, never skipped quietly.
        if let unknown = ids.first(where: { seqs[$0] == nil }) {
            throw StoreError("Cannot connect member \(unknown): no such member is stored")
        }
        if let postgres = store as? PostgresStore {
            // By COPY, both directions, 200,000 ties a transaction.
            let at = String(Millis.from(now))
            for start in stride(from: 0, to: ties.count, by: 200_000) {
                let rows: [[String?]] = ties[start..<min(ties.count, start + 200_000)].flatMap { tie -> [[String?]] in
                    guard let a = seqs[tie.a], let b = seqs[tie.b] else { return [] }
                    let (strength, first, second) = (String(tie.strength), tie.a.description, tie.b.description)
                    return [[first, second, String(a), String(b), strength, at], [second, first, String(b), String(a), strength, at]]
                }
                try await postgres.copyTransaction { copy in
                    try await copy.copy(
                        into: "connections",
                        columns: ["member_id", "other_id", "member_seq", "other_seq", "strength", "created_at"],
                        rows: rows
                    )
                }
            }
            return
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

    /// Inserts open connection requests as they are (demo inboxes), with their recipients'
    /// notifications.
    public func insertRequests(_ requests: [(request: ConnectionRequest, notice: Notice)], publicURL: String) async throws {
        try await store.write { db in
            for (request, notice) in requests {
                try await SQLReminderRepository.notify(notice, at: request.createdAt, publicURL: publicURL, in: db)
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
