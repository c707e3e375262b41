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

    /// The member cache's generation after catching up with `member_changes` (`MemberCards`): it
    /// moves whenever a change is applied (and when the cache is trimmed, which only costs a miss).
    public func memberDataMark() async throws -> UInt64? {
        try await store.memberCards.catchUp(store).generation
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
        try await affiliationPeers(ofEach: [member], limit: limit)[member] ?? []
    }

    public func affiliationPeers(
        ofEach viewers: [Member.ID],
        limit: Int
    ) async throws -> [Member.ID: [(member: Member, shared: Affiliation)]] {
        guard !viewers.isEmpty, limit > 0 else { return [:] }
        // Each member's own affiliations, one per organisation and cohort, from the member cache.
        let own = try await affiliations(of: viewers)
        var groupsOf: [Member.ID: [(shared: Affiliation, group: PeerGroup)]] = [:]
        var groups: [PeerGroup] = []
        for viewer in Set(viewers) {
            for affiliation in own[viewer] ?? [] {
                let group = PeerGroup(organization: Text.key(affiliation.organization), cohort: Text.key(affiliation.cohort))
                guard !(groupsOf[viewer]?.contains { $0.group == group } ?? false) else { continue }
                groupsOf[viewer, default: []].append((affiliation, group))
                if !groups.contains(group) { groups.append(group) }
            }
        }
        // Per group, the newest affiliations from the front of `affiliations_peers_recent_idx`,
        // which holds everything read here (a large school or employer is not sorted whole, and
        // no row is visited): the first pages from the member cache or, for the groups it does not
        // keep, 50 groups to a statement; further pages only for a group where some member ran out
        // of peers who show their affiliations. Whether a peer shows them comes from the member cache.
        let page = max(2 * limit, 32) + 1
        var pages = try await store.memberCards.peerPages(of: groups, size: page, store: store) { missing in
            try await PeerGroup.firstPages(of: missing, size: page, in: store)
        }
        var shown = try await traits(of: pages.values.flatMap { $0.rows.map(\.id) })
        var found: [Member.ID: [PeerGroup.Peer]] = [:]
        for (viewer, mine) in groupsOf {
            var peers: [PeerGroup.Peer] = []
            for (shared, group) in mine {
                var taken = 0
                var index = 0
                while taken < limit {
                    guard let rows = pages[group]?.rows else { break }
                    if index == rows.count {
                        guard pages[group]?.complete == false, let last = rows.last else { break }
                        let more = try await group.page(after: last, size: page, in: store)
                        shown.merge(try await traits(of: more.map(\.id))) { kept, _ in kept }
                        pages[group]?.rows += more
                        pages[group]?.complete = more.count < page
                        continue
                    }
                    let row = rows[index]
                    index += 1
                    guard row.id != viewer, let traits = shown[row.id], ProfilePolicy.canSee(.affiliations, of: traits, as: .member) else {
                        continue
                    }
                    peers.append(PeerGroup.Peer(id: row.id, createdAt: row.createdAt, shared: shared, cohort: !group.cohort.isEmpty))
                    taken += 1
                }
            }
            // Cohort peers first, then the newest.
            peers.sort {
                if $0.cohort != $1.cohort { return $0.cohort }
                if $0.createdAt != $1.createdAt { return $0.createdAt > $1.createdAt }
                return $0.id.rawValue.isOrdered(after: $1.id.rawValue)
            }
            found[viewer] = Array(peers.prefix(limit))
        }
        // The peers themselves from the member cache.
        let members = try await store.memberCards.members(Array(Set(found.values.flatMap { $0.map(\.id) })), store: store) { missing in
            try await SQLMemberRepository(store: store).loadMembers(missing)
        }
        return found.mapValues { peers in peers.compactMap { peer in members[peer.id].map { ($0, peer.shared) } } }
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

/// Members who share an organisation and cohort (both as search keys; cohort empty for an
/// employer), read newest first for `affiliationPeers`.
struct PeerGroup: Hashable {
    let organization: String
    let cohort: String

    /// One row of a group, newest first.
    struct Row {
        let id: Member.ID
        let createdAt: Int64
    }

    /// A group's first page as the member cache keeps it: by the page size it was read at.
    struct Sized: Hashable {
        let group: PeerGroup
        let size: Int
    }

    /// The rows of a group read so far; `complete` when no more are stored.
    struct Page {
        var rows: [Row]
        var complete: Bool
    }

    /// A peer found for a member.
    struct Peer {
        let id: Member.ID
        let createdAt: Int64
        let shared: Affiliation
        let cohort: Bool
    }

    /// The first `size` rows of each group, 50 groups to a statement.
    static func firstPages(of groups: [PeerGroup], size: Int, in store: any Store) async throws -> [PeerGroup: Page] {
        var pages: [PeerGroup: Page] = [:]
        for chunk in SQLSeeder.chunks(groups, size: 50) {
            var query = SQLQueryString("")
            for (index, group) in chunk.enumerated() {
                if index > 0 { query.appendLiteral(" UNION ALL ") }
                query.appendInterpolation(unsafeRaw: "SELECT \(index) AS g, member_id, created_at FROM (")
                query.appendInterpolation(group.select(after: nil, size: size))
                query.appendInterpolation(unsafeRaw: ") AS p\(index)")
            }
            let statement = query
            let rows = try await store.read { db in
                try await db.raw(statement).all().map { row in
                    (Int(try row.int64("g")), Row(id: Member.ID(try row.uuid("member_id")), createdAt: try row.int64("created_at")))
                }
            }
            var read = Array(repeating: [Row](), count: chunk.count)
            for (index, row) in rows { read[index].append(row) }
            for (index, group) in chunk.enumerated() {
                // Each group's rows in its own order, whatever order the branches of the
                // compound statement arrive in (no outer ORDER BY promises one).
                read[index].sort {
                    $0.createdAt != $1.createdAt ? $0.createdAt > $1.createdAt : $0.id.rawValue.isOrdered(after: $1.id.rawValue)
                }
                pages[group] = Page(rows: read[index], complete: read[index].count < size)
            }
        }
        return pages
    }

    /// The next `size` rows after `last`.
    func page(after last: Row, size: Int, in store: any Store) async throws -> [Row] {
        let query = select(after: last, size: size)
        return try await store.read { db in
            try await db.raw(query).all().map { Row(id: Member.ID(try $0.uuid("member_id")), createdAt: try $0.int64("created_at")) }
        }
    }

    private func select(after last: Row?, size: Int) -> SQLQueryString {
        let before: SQLQueryString = last.map { " AND (created_at, member_id) < (\(bind: $0.createdAt), \(bind: $0.id.description))" } ?? ""
        return """
            SELECT member_id, created_at FROM affiliations
            WHERE organization_key = \(bind: organization) AND cohort_key = \(bind: cohort)
            """ + before + " ORDER BY created_at DESC, member_id DESC LIMIT \(literal: size)"
    }
}
