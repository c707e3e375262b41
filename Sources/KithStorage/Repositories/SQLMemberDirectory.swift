import Foundation
public import KithDomain
import SQLKit

/// Directory search on both backends. Facets on optional sections only match members who show
/// that section to the whole community; the text index holds only community-visible text.
/// Ordering is keyset-stable: (score desc, name, id) for searches, (name, id) for browsing.
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
        return try await entries(Self.sql(query, viewer: viewer, dialect: dialect), searching: !query.terms.isEmpty)
    }

    private func entries(_ sql: SQLQueryString, searching: Bool) async throws -> [DirectoryEntry] {
        try await store.read { db in
            try await db.raw(sql).all().map { row in
                let member = try row.member()
                let nameKey = try row.string("name_key")
                let cursor =
                    searching
                    ? Cursor.encode([String(try row.int64("score")), nameKey, member.id.description])
                    : Cursor.encode([nameKey, member.id.description])
                return DirectoryEntry(member: member, profile: try row.profile(), cursor: cursor)
            }
        }
    }

    /// Members whose whole name starts with the typed words, alphabetically. SQLite's binary
    /// collation makes a range exact; PostgreSQL uses LIKE on a text_pattern_ops index.
    static func namePrefixSQL(_ query: DirectoryQuery, viewer: Member.ID, dialect: StoreDialect) -> SQLQueryString {
        let prefix = query.terms.joined(separator: " ")
        var conditions = facetConditions(query, viewer: viewer)
        switch dialect {
        case .sqlite: conditions.append("m.name_key >= \(bind: prefix) AND m.name_key < \(bind: prefix + "\u{10FFFF}")")
        case .postgres: conditions.append("m.name_key LIKE \(bind: escapeLike(prefix) + "%") ESCAPE '\\'")
        }
        return "SELECT \(unsafeRaw: Columns.member), m.name_key, \(unsafeRaw: Columns.profile), 0 AS score"
            + " FROM members m JOIN profiles p ON p.member_id = m.id WHERE "
            + conditions.joined(separator: " AND ")
            + " ORDER BY m.name_key, m.id LIMIT \(literal: query.limit + 1)"
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
            let words = query.terms.map { query.namesOnly ? "name : \"\($0)\"*" : "{name body} : \"\($0)\"*" }
            let match = (words + indexedFacetTokens(query).map { "facets : \"\($0)\"" }).joined(separator: " AND ")
            hits = """
                WITH hits AS (
                    SELECT rowid AS seq, \(unsafeRaw: query.namesOnly ? "0" : "CAST(-bm25(member_search, 10.0, 1.0, 0.0) * 1000 AS BIGINT)") AS score
                    FROM member_search WHERE member_search MATCH \(bind: match))
                \(select), hits.score AS score FROM hits
                JOIN members m ON m.seq = hits.seq JOIN profiles p ON p.member_id = m.id
                """
        case .postgres:
            let words = query.terms.map { query.namesOnly ? "\($0):*A" : "\($0):*AC" }
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
