import Foundation
public import KithDomain
import SQLKit

public struct SQLProfileRepository: ProfileRepository {
    private let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    public func profile(of member: Member.ID) async throws -> Profile? {
        try await profiles(of: [member])[member]
    }

    public func save(_ profile: Profile, name: String) async throws {
        let index = SearchIndexWriter(dialect: store.dialect)
        try await store.write { db in
            try await db.raw(
                """
                UPDATE members SET name = \(bind: name), name_key = \(bind: Text.key(name))
                WHERE id = \(bind: profile.memberID.description)
                """
            ).run()
            try await ProfileWriter.upsert(profile, in: db)
            try await index.reindex(profile.memberID, in: db)
            try await MemberChanges.record(profile.memberID, in: db, dialect: store.dialect)
        }
    }

    public func affiliations(of member: Member.ID) async throws -> [Affiliation] {
        try await affiliations(of: [member])[member] ?? []
    }

    /// Through the member cache (`MemberCards`); a member without affiliations is kept as [].
    public func affiliations(of members: [Member.ID]) async throws -> [Member.ID: [Affiliation]] {
        try await store.memberCards.read(
            Array(Set(members)),
            store: store,
            table: \.affiliations,
            stored: { $0 },
            absent: [],
            present: { $0.isEmpty ? nil : $0 },
            weight: MemberCards.weight,
            load: loadAffiliations
        )
    }

    private func loadAffiliations(of members: [Member.ID]) async throws -> [Member.ID: [Affiliation]] {
        var result: [Member.ID: [Affiliation]] = [:]
        for start in stride(from: 0, to: members.count, by: 500) {
            let chunk = members[start..<min(members.count, start + 500)]
            let ids = chunk.map(\.description)
            let rows = try await store.read { db in
                try await db.raw(
                    """
                    SELECT \(unsafeRaw: Columns.affiliation) FROM affiliations a WHERE a.member_id IN (\(binds: ids))
                    ORDER BY COALESCE(a.end_year, 9999) DESC, COALESCE(a.start_year, 0) DESC, a.created_at DESC
                    """
                ).all().map { try $0.affiliation() }
            }
            for affiliation in rows { result[affiliation.memberID, default: []].append(affiliation) }
        }
        return result
    }

    /// Through the member cache (`MemberCards`); that a member has no profile is kept too.
    public func profiles(of members: [Member.ID]) async throws -> [Member.ID: Profile] {
        try await store.memberCards.profiles(members, store: store, load: loadProfiles)
    }

    /// Through the member cache, which derives them from the profiles it keeps.
    public func traits(of members: [Member.ID]) async throws -> [Member.ID: ProfileTraits] {
        try await store.memberCards.traits(members, store: store, load: loadProfiles)
    }

    /// The same, right after the caller caught the member cache up (`MemberCards.absorb`).
    func profiles(of members: [Member.ID], caughtUp: MemberCards.Ticket?) async throws -> [Member.ID: Profile] {
        try await store.memberCards.profiles(members, store: store, caughtUp: caughtUp, load: loadProfiles)
    }

    private func loadProfiles(of members: [Member.ID]) async throws -> [Member.ID: Profile] {
        guard !members.isEmpty else { return [:] }
        var result: [Member.ID: Profile] = [:]
        for start in stride(from: 0, to: members.count, by: 500) {
            let chunk = members[start..<min(members.count, start + 500)].map(\.description)
            let found = try await store.read { db in
                try await db.raw("SELECT \(unsafeRaw: Columns.profile) FROM profiles p WHERE p.member_id IN (\(binds: chunk))")
                    .all().map { try $0.profile() }
            }
            for profile in found { result[profile.memberID] = profile }
        }
        return result
    }

    public func affiliationPeers(of member: Member.ID, limit: Int) async throws -> [(member: Member, shared: Affiliation)] {
        // The member's own affiliations, one per organisation and cohort, from the member cache.
        var groups: [(shared: Affiliation, organization: String, cohort: String)] = []
        for affiliation in try await affiliations(of: member) {
            let (organization, cohort) = (Text.key(affiliation.organization), Text.key(affiliation.cohort))
            if !groups.contains(where: { $0.organization == organization && $0.cohort == cohort }) {
                groups.append((affiliation, organization, cohort))
            }
        }
        // Per group, the newest peers from the front of `affiliations_peers_recent_idx`, which
        // holds everything read here (a large school or employer is not sorted whole, and no row
        // is visited); whether a peer shows their affiliations comes from the member cache, a page
        // at a time until `limit` do. Then cohort peers first, newest first, as one list.
        var found: [(id: Member.ID, createdAt: Int64, shared: Affiliation, cohort: Bool)] = []
        let page = max(2 * limit, 32)
        for group in groups {
            var taken = 0
            var after: (createdAt: Int64, id: String)?
            while taken < limit {
                let before: SQLQueryString = after.map { " AND (created_at, member_id) < (\(bind: $0.createdAt), \(bind: $0.id))" } ?? ""
                let query: SQLQueryString =
                    """
                    SELECT member_id, created_at FROM affiliations
                    WHERE organization_key = \(bind: group.organization) AND cohort_key = \(bind: group.cohort)
                        AND member_id <> \(bind: member.description)
                    """ + before + " ORDER BY created_at DESC, member_id DESC LIMIT \(literal: page)"
                let rows = try await store.read { db in
                    try await db.raw(query).all().map { (try $0.uuid("member_id"), try $0.int64("created_at")) }
                }
                let shown = try await traits(of: rows.map { Member.ID($0.0) })
                for (id, createdAt) in rows where taken < limit {
                    guard let traits = shown[Member.ID(id)], ProfilePolicy.canSee(.affiliations, of: traits, as: .member) else {
                        continue
                    }
                    found.append((Member.ID(id), createdAt, group.shared, !group.cohort.isEmpty))
                    taken += 1
                }
                guard rows.count == page, let last = rows.last else { break }
                after = (last.1, Member.ID(last.0).description)
            }
        }
        found.sort {
            if $0.cohort != $1.cohort { return $0.cohort }
            if $0.createdAt != $1.createdAt { return $0.createdAt > $1.createdAt }
            return $0.id.description > $1.id.description
        }
        let chosen = found.prefix(limit)
        // The peers themselves from the member cache.
        let members = try await store.memberCards.members(chosen.map(\.id), store: store) { missing in
            try await SQLMemberRepository(store: store).loadMembers(missing)
        }
        return chosen.compactMap { peer in members[peer.id].map { ($0, peer.shared) } }
    }

    public func insertAffiliation(_ affiliation: Affiliation, limit: Int) async throws -> Bool {
        let index = SearchIndexWriter(dialect: store.dialect)
        return try await store.write { db in
            let id = affiliation.memberID.description
            if store.dialect == .postgres {
                // Serialise concurrent inserts for one member so the limit holds.
                try await db.raw("SELECT id FROM members WHERE id = \(bind: id) FOR UPDATE").run()
            }
            let count =
                try await db.raw("SELECT COUNT(*) AS n FROM affiliations WHERE member_id = \(bind: id)")
                .first()?.int64("n") ?? 0
            guard count < limit else { return false }
            try await db.raw(
                """
                INSERT INTO affiliations (id, member_id, kind, organization, organization_key, title, cohort,
                    cohort_key, start_year, end_year, created_at)
                VALUES (\(bind: affiliation.id.description), \(bind: id), \(bind: affiliation.kind.rawValue),
                    \(bind: affiliation.organization), \(bind: Text.key(affiliation.organization)),
                    \(bind: affiliation.title), \(bind: affiliation.cohort), \(bind: Text.key(affiliation.cohort)),
                    \(bind: affiliation.startYear.map(Int64.init)), \(bind: affiliation.endYear.map(Int64.init)),
                    \(bind: Millis.from(affiliation.createdAt)))
                """
            ).run()
            try await index.reindex(affiliation.memberID, in: db)
            try await MemberChanges.record(affiliation.memberID, in: db, dialect: store.dialect)
            return true
        }
    }

    public func deleteAffiliation(_ id: Affiliation.ID, of member: Member.ID) async throws -> Bool {
        let index = SearchIndexWriter(dialect: store.dialect)
        return try await store.write { db in
            let deleted = try await db.raw(
                """
                DELETE FROM affiliations WHERE id = \(bind: id.description) AND member_id = \(bind: member.description)
                RETURNING id
                """
            ).first()
            guard deleted != nil else { return false }
            try await index.reindex(member, in: db)
            try await MemberChanges.record(member, in: db, dialect: store.dialect)
            return true
        }
    }
}
