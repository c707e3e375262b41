import Foundation
public import KithDomain
import KithSearch
import SQLKit

/// Directory search on both backends. Facets on optional sections only match members who show
/// that section to the whole community; the text index holds only community-visible text.
/// Ordering is keyset-stable: (score desc, tiebreak) for ranked searches, names for typeahead
/// and browsing.
public struct SQLMemberDirectory: MemberDirectory {
    private let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    public func search(_ query: DirectoryQuery, viewer: Member.ID) async throws -> [DirectoryEntry] {
        let dialect = store.dialect
        // Typeahead fast path (first page): names that start with what was typed come straight
        // from a name index. Only when there are too few does the full-text index look for words
        // inside names.
        if query.namesOnly && query.after == nil && !query.terms.isEmpty {
            let prefixed = try await entries(Self.namePrefixSQL(query, viewer: viewer, dialect: dialect), searching: true)
            if prefixed.count > query.limit { return prefixed }
        }
        if !query.namesOnly && !query.terms.isEmpty {
            return try await ranked(query, viewer: viewer)
        }
        if query.terms.isEmpty && !Self.indexedFacetTokens(query).isEmpty {
            return try await browsed(query, viewer: viewer)
        }
        return try await entries(Self.sql(query, viewer: viewer, dialect: dialect), searching: !query.terms.isEmpty)
    }

    /// Ranked word search on this instance's word index (`MemberWordSearch`): the index holds
    /// only community-visible text and facets, the viewer's blocks are left out by member seq, and
    /// only the page's members are read (from the member cache).
    func ranked(_ query: DirectoryQuery, viewer: Member.ID) async throws -> [DirectoryEntry] {
        var after: WordHit.Position?
        if let cursor = query.after, let score = Int64(cursor[0]) {
            guard let seq = Int64(cursor[1]) else {
                throw DomainError.invalid(field: "after", reason: "is not a cursor returned by this list")
            }
            after = WordHit.Position(score: score, key: seq)
        }
        let current = try await store.wordSearch.current(store) { db in try await Self.blockedSeqs(of: viewer, in: db) }
        let hits = current.snapshot.search(
            WordQuery(
                words: query.terms,
                facets: Self.indexedFacetTokens(query),
                location: query.location.map(Text.key),
                excluding: current.extra,
                after: after,
                limit: query.limit + 1
            )
        )
        return try await entries(
            hits.map { ($0.id, [String($0.score), String($0.key), Member.ID($0.id).description]) },
            cards: current.cards
        )
    }

    /// The page's members and profiles from the member cache (caught up by the index's feed read),
    /// in the order of `hits`, each with its cursor.
    private func entries(_ hits: [(id: UUID, cursor: [String])], cards: MemberCards.Ticket?) async throws -> [DirectoryEntry] {
        let ids = hits.map { Member.ID($0.id) }
        let members = try await store.memberCards.members(ids, store: store, caughtUp: cards) { missing in
            try await SQLMemberRepository(store: store).loadMembers(missing)
        }
        let profiles = try await SQLProfileRepository(store: store).profiles(of: ids, caughtUp: cards)
        return hits.compactMap { hit in
            let id = Member.ID(hit.id)
            guard let member = members[id], let profile = profiles[id] else { return nil }
            return DirectoryEntry(member: member, profile: profile, cursor: Cursor.encode(hit.cursor))
        }
    }

    /// Browsing by facets (no words) on the word index's facet postings, in name order: the
    /// same members and order as the SQL facet conditions (`browsingByFacetsMatchesTheSQLBrowse`),
    /// without sorting a whole career stage by name in the database.
    func browsed(_ query: DirectoryQuery, viewer: Member.ID) async throws -> [DirectoryEntry] {
        var after: BrowseHit.Position?
        if let cursor = query.after {
            guard let id = Member.ID(cursor[1]) else {
                throw DomainError.invalid(field: "after", reason: "is not a cursor returned by this list")
            }
            after = BrowseHit.Position(sortKey: cursor[0], id: id.rawValue)
        }
        let current = try await store.wordSearch.current(store) { db in try await Self.blockedSeqs(of: viewer, in: db) }
        let hits = current.snapshot.browse(
            FacetBrowse(
                facets: Self.indexedFacetTokens(query),
                location: query.location.map(Text.key),
                excluding: current.extra,
                after: after,
                limit: query.limit + 1
            )
        )
        return try await entries(hits.map { ($0.id, [$0.sortKey, Member.ID($0.id).description]) }, cards: current.cards)
    }

    /// The members the SQL full-text index ranks first for `query` (FTS5 bm25 or PostgreSQL
    /// ts_rank, with the page's member rows): the peer `KithBench directory` measures the word
    /// index against.
    public func rankedInSQL(_ query: DirectoryQuery, viewer: Member.ID) async throws -> [Member.ID] {
        let sql = try Self.rankedSQL(query, viewer: viewer, dialect: store.dialect)
        return try await store.read { db in
            try await db.raw(sql).all().map { Member.ID(try $0.uuid("id")) }
        }
    }

    /// The seqs of the members `viewer` blocked or was blocked by.
    private static func blockedSeqs(of viewer: Member.ID, in db: any SQLDatabase) async throws -> Set<Int64> {
        let rows = try await db.raw(
            """
            SELECT m.seq FROM blocks b JOIN members m ON m.id = b.blocked_id WHERE b.blocker_id = \(bind: viewer.description)
            UNION SELECT m.seq FROM blocks b JOIN members m ON m.id = b.blocker_id WHERE b.blocked_id = \(bind: viewer.description)
            """
        ).all()
        return Set(try rows.map { try $0.int64("seq") })
    }

    /// Ranked full-text search in SQL (FTS5 bm25, PostgreSQL ts_rank): what the word index
    /// replaced, kept as the peer `KithBench directory` measures it against. The index matches the words and the facet tokens; the block
    /// filter is one small set, so ranking, ordering and the page limit all happen on the index's
    /// rows before any member row is read. Order: score, then a unique tiebreak (the member's
    /// seq: the index rowid on SQLite, a column of the index table on PostgreSQL).
    static func rankedSQL(_ query: DirectoryQuery, viewer: Member.ID, dialect: StoreDialect) throws -> SQLQueryString {
        let viewerID = viewer.description
        let limit = query.limit + 1
        let select: SQLQueryString = "SELECT \(unsafeRaw: Columns.member), m.name_key, \(unsafeRaw: Columns.profile)"
        var location: SQLQueryString?
        if let raw = query.location {
            location = "p2.vis_location = 'community' AND p2.location_key LIKE \(bind: "%" + escapeLike(Text.key(raw)) + "%") ESCAPE '\\'"
        }
        var keyset: SQLQueryString = "1 = 1"
        switch dialect {
        case .sqlite:
            let words = query.terms.map { "{name body} : \"\($0)\"\(Self.prefixMark($0, "*"))" }
            let match = (words + indexedFacetTokens(query).map { "facets : \"\($0)\"" }).joined(separator: " AND ")
            if let after = query.after, let score = Int64(after[0]) {
                guard let seq = Int64(after[1]) else {
                    throw DomainError.invalid(field: "after", reason: "is not a cursor returned by this list")
                }
                keyset = "(score < \(bind: score) OR (score = \(bind: score) AND seq > \(bind: seq)))"
            }
            let located: SQLQueryString =
                location.map {
                    """
                     AND EXISTS (SELECT 1 FROM members m2 JOIN profiles p2 ON p2.member_id = m2.id
                        WHERE m2.seq = member_search.rowid AND \($0))
                    """
                } ?? ""
            return """
                WITH matched AS (
                    SELECT rowid AS seq, CAST(-bm25(member_search, 10.0, 1.0, 0.0) * 1000 AS BIGINT) AS score
                    FROM member_search WHERE member_search MATCH \(bind: match)
                    AND rowid NOT IN (
                        SELECT m2.seq FROM blocks b JOIN members m2 ON m2.id = b.blocked_id WHERE b.blocker_id = \(bind: viewerID)
                        UNION SELECT m2.seq FROM blocks b JOIN members m2 ON m2.id = b.blocker_id WHERE b.blocked_id = \(bind: viewerID))
                    \(located)),
                hits AS (SELECT seq, score FROM matched WHERE \(keyset) ORDER BY score DESC, seq LIMIT \(literal: limit))
                \(select), hits.score AS score, CAST(hits.seq AS TEXT) AS tiebreak
                FROM hits JOIN members m ON m.seq = hits.seq JOIN profiles p ON p.member_id = m.id
                ORDER BY hits.score DESC, hits.seq
                """
        case .postgres:
            let words = query.terms.map { "\($0):\(Self.prefixMark($0, "*"))AC" }
            let tsquery = (words + indexedFacetTokens(query).map { "\($0):D" }).joined(separator: " & ")
            if let after = query.after, let score = Int64(after[0]) {
                guard let seq = Int64(after[1]) else {
                    throw DomainError.invalid(field: "after", reason: "is not a cursor returned by this list")
                }
                keyset = "(score < \(bind: score) OR (score = \(bind: score) AND seq > \(bind: seq)))"
            }
            let located: SQLQueryString =
                location.map { " AND EXISTS (SELECT 1 FROM profiles p2 WHERE p2.member_id = s.member_id AND \($0))" } ?? ""
            return """
                WITH q AS (SELECT to_tsquery('simple', \(bind: tsquery)) AS query),
                matched AS (
                    SELECT s.member_id, s.seq, CAST(ts_rank('{0, 0.1, 0.4, 1.0}', s.document, q.query) * 100000 AS BIGINT) AS score
                    FROM member_search s, q WHERE s.document @@ q.query
                    AND s.member_id NOT IN (
                        SELECT b.blocked_id FROM blocks b WHERE b.blocker_id = \(bind: viewerID)
                        UNION SELECT b.blocker_id FROM blocks b WHERE b.blocked_id = \(bind: viewerID))
                    \(located)),
                hits AS (SELECT member_id, seq, score FROM matched WHERE \(keyset) ORDER BY score DESC, seq LIMIT \(literal: limit))
                \(select), hits.score AS score, CAST(hits.seq AS TEXT) AS tiebreak
                FROM hits JOIN members m ON m.id = hits.member_id JOIN profiles p ON p.member_id = m.id
                ORDER BY hits.score DESC, hits.seq
                """
        }
    }

    /// Only ids are read from the index here (with the visibility condition); the members and
    /// their profiles come from the member cache (`MemberCards`). The entries are no page of a
    /// list, so their cursors are empty.
    public func showing(skill: String?, organization: String?, limit: Int) async throws -> [DirectoryEntry] {
        let sql: SQLQueryString
        if let skill {
            sql = """
                SELECT s.member_id FROM member_skills s JOIN profiles p ON p.member_id = s.member_id
                WHERE s.skill_key = \(bind: Text.key(skill)) AND p.vis_skills = 'community' LIMIT \(literal: limit)
                """
        } else if let organization {
            sql = """
                SELECT DISTINCT a.member_id FROM affiliations a JOIN profiles p ON p.member_id = a.member_id
                WHERE a.organization_key = \(bind: Text.key(organization)) AND p.vis_affiliations = 'community'
                LIMIT \(literal: limit)
                """
        } else {
            return []
        }
        let ids = try await store.read { db in
            try await db.raw(sql).all().map { Member.ID(try $0.uuid("member_id")) }
        }
        let members = try await store.memberCards.members(ids, store: store) { missing in
            try await SQLMemberRepository(store: store).loadMembers(missing)
        }
        let profiles = try await SQLProfileRepository(store: store).profiles(of: ids)
        return ids.compactMap { id in
            guard let member = members[id], let profile = profiles[id] else { return nil }
            return DirectoryEntry(member: member, profile: profile, cursor: "")
        }
    }

    private func entries(_ sql: SQLQueryString, searching: Bool, ranked: Bool = false) async throws -> [DirectoryEntry] {
        try await store.read { db in
            try await db.raw(sql).all().map { row in
                let member = try row.member()
                let nameKey = try row.string("name_key")
                let cursor =
                    searching
                    ? Cursor.encode([String(try row.int64("score")), ranked ? try row.string("tiebreak") : nameKey, member.id.description])
                    : Cursor.encode([nameKey, member.id.description])
                return DirectoryEntry(member: member, profile: try row.profile(), cursor: cursor)
            }
        }
    }

    /// Members whose whole name starts with the typed words, in byte order of the name key: a
    /// range on an index that also gives the order (SQLite's binary collation; on PostgreSQL an
    /// index on `name_key COLLATE "C"`), so the first page reads only the rows it shows.
    static func namePrefixSQL(_ query: DirectoryQuery, viewer: Member.ID, dialect: StoreDialect) -> SQLQueryString {
        let prefix = query.terms.joined(separator: " ")
        var conditions = facetConditions(query, viewer: viewer)
        let key: SQLQueryString = dialect == .postgres ? #"(m.name_key COLLATE "C")"# : "m.name_key"
        conditions.append("\(key) >= \(bind: prefix) AND \(key) < \(bind: prefix + "\u{10FFFF}")")
        return "SELECT \(unsafeRaw: Columns.member), m.name_key, \(unsafeRaw: Columns.profile), 0 AS score"
            + " FROM members m JOIN profiles p ON p.member_id = m.id WHERE "
            + conditions.joined(separator: " AND ")
            + " ORDER BY \(key), m.id LIMIT \(literal: query.limit + 1)"
    }

    static func sql(_ query: DirectoryQuery, viewer: Member.ID, dialect: StoreDialect) -> SQLQueryString {
        // With words to match, the index also matches the facets it holds as tokens.
        var conditions = facetConditions(query, viewer: viewer, indexed: !query.terms.isEmpty)
        let select: SQLQueryString = "SELECT \(unsafeRaw: Columns.member), m.name_key, \(unsafeRaw: Columns.profile)"
        let limit = query.limit + 1
        return withText(query, conditions: &conditions, select: select, limit: limit, dialect: dialect)
    }

    /// The block filter (two anti-joins, each on an index, so no planner evaluates an OR per row)
    /// and the facets, shared by every form of the query. `indexed` leaves out the facets the
    /// full-text match already applies as tokens (`indexedFacetTokens`).
    static func facetConditions(_ query: DirectoryQuery, viewer: Member.ID, indexed: Bool = false) -> [SQLQueryString] {
        let viewerID = viewer.description
        var conditions: [SQLQueryString] = [
            """
            NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = \(bind: viewerID) AND b.blocked_id = m.id)
                AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocked_id = \(bind: viewerID) AND b.blocker_id = m.id)
            """
        ]
        if let location = query.location {
            let pattern = "%" + Self.escapeLike(Text.key(location)) + "%"
            conditions.append("p.vis_location = 'community' AND p.location_key LIKE \(bind: pattern) ESCAPE '\\'")
        }
        if indexed { return conditions }
        if let skill = query.skill {
            conditions.append(
                """
                p.vis_skills = 'community' AND EXISTS (SELECT 1 FROM member_skills s
                    WHERE s.member_id = m.id AND s.skill_key = \(bind: Text.key(skill)))
                """
            )
        }
        if let industry = query.industry {
            conditions.append("p.industry_key = \(bind: Text.key(industry))")
        }
        if let stage = query.careerStage {
            conditions.append("p.career_stage = \(bind: stage.rawValue)")
        }
        if let cohort = query.cohort {
            conditions.append(
                """
                p.vis_affiliations = 'community' AND EXISTS (SELECT 1 FROM affiliations a
                    WHERE a.member_id = m.id AND a.cohort_key = \(bind: Text.key(cohort)))
                """
            )
        }
        if let organization = query.organization {
            conditions.append(
                """
                p.vis_affiliations = 'community' AND EXISTS (SELECT 1 FROM affiliations a
                    WHERE a.member_id = m.id AND a.organization_key = \(bind: Text.key(organization)))
                """
            )
        }
        if let signal = query.openTo {
            conditions.append(
                "EXISTS (SELECT 1 FROM member_open_to o WHERE o.member_id = m.id AND o.signal = \(bind: signal.rawValue))"
            )
        }
        return conditions
    }

    /// The facets of a query as index tokens, matching exactly what `facetConditions` checks.
    /// Words of one character match whole words only: as a prefix ("a*") one letter matches
    /// most of the directory, and every match would be ranked. Names still complete from one
    /// letter in the typeahead, which walks the name index instead.
    static func prefixMark(_ term: String, _ mark: String) -> String {
        term.count >= 2 ? mark : ""
    }

    static func indexedFacetTokens(_ query: DirectoryQuery) -> [String] {
        var tokens: [String] = []
        if let skill = query.skill { tokens.append(FacetToken.skill(skill)) }
        if let industry = query.industry { tokens.append(FacetToken.industry(industry)) }
        if let stage = query.careerStage { tokens.append(FacetToken.careerStage(stage.rawValue)) }
        if let cohort = query.cohort { tokens.append(FacetToken.cohort(cohort)) }
        if let organization = query.organization { tokens.append(FacetToken.organization(organization)) }
        if let signal = query.openTo { tokens.append(FacetToken.openTo(signal.rawValue)) }
        return tokens
    }

    private static func withText(
        _ query: DirectoryQuery,
        conditions: inout [SQLQueryString],
        select: SQLQueryString,
        limit: Int,
        dialect: StoreDialect
    ) -> SQLQueryString {
        if query.terms.isEmpty {
            if let after = query.after {
                conditions.append("(m.name_key, m.id) > (\(bind: after[0]), \(bind: after[1]))")
            }
            return select
                + " FROM members m JOIN profiles p ON p.member_id = m.id WHERE "
                + conditions.joined(separator: " AND ")
                + " ORDER BY m.name_key, m.id LIMIT \(literal: limit)"
        }

        if let after = query.after, let score = Int64(after[0]) {
            conditions.append(
                """
                (hits.score < \(bind: score) OR (hits.score = \(bind: score)
                    AND (m.name_key, m.id) > (\(bind: after[1]), \(bind: after[2]))))
                """
            )
        }
        let hits: SQLQueryString
        switch dialect {
        case .sqlite:
            // Every word must match, as a prefix. bm25 is negative: lower is better, so it is negated
            // into an integer score where higher is better. Typeahead (names only) skips ranking and
            // lists matching names alphabetically: ranking every match is what costs.
            let words = query.terms.map {
                query.namesOnly ? "name : \"\($0)\"*" : "{name body} : \"\($0)\"\(Self.prefixMark($0, "*"))"
            }
            let match = (words + indexedFacetTokens(query).map { "facets : \"\($0)\"" }).joined(separator: " AND ")
            hits = """
                WITH hits AS (
                    SELECT rowid AS seq, \(unsafeRaw: query.namesOnly ? "0" : "CAST(-bm25(member_search, 10.0, 1.0, 0.0) * 1000 AS BIGINT)") AS score
                    FROM member_search WHERE member_search MATCH \(bind: match))
                \(select), hits.score AS score FROM hits
                JOIN members m ON m.seq = hits.seq JOIN profiles p ON p.member_id = m.id
                """
        case .postgres:
            let words = query.terms.map { query.namesOnly ? "\($0):*A" : "\($0):\(Self.prefixMark($0, "*"))AC" }
            let tsquery = (words + indexedFacetTokens(query).map { "\($0):D" }).joined(separator: " & ")
            hits = """
                WITH q AS (SELECT to_tsquery('simple', \(bind: tsquery)) AS query),
                hits AS (
                    SELECT s.member_id, \(unsafeRaw: query.namesOnly ? "0" : "CAST(ts_rank('{0, 0.1, 0.4, 1.0}', s.document, q.query) * 100000 AS BIGINT)") AS score
                    FROM member_search s, q WHERE s.document @@ q.query)
                \(select), hits.score AS score FROM hits
                JOIN members m ON m.id = hits.member_id JOIN profiles p ON p.member_id = m.id
                """
        }
        return hits + " WHERE " + conditions.joined(separator: " AND ")
            + " ORDER BY hits.score DESC, m.name_key, m.id LIMIT \(literal: limit)"
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }
}
