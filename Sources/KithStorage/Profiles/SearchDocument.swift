import Foundation
import KithDomain
import KithSearch
import SQLKit

/// What the full-text index holds for one member: the name (weighted highest), the text the whole
/// community may read, and facet tokens — one opaque word per facet value the community may
/// filter on — so the index intersects words and facets itself instead of joining every match.
struct SearchDocument: Sendable {
    let name: String
    let body: String
    let facets: String

    init(name: String, handle: String, profile: Profile, affiliations: [Affiliation]) {
        self.name = name + " " + handle
        body = Self.publicText(profile: profile, affiliations: affiliations)
        facets = Self.facetTokens(profile: profile, affiliations: affiliations).joined(separator: " ")
    }

    /// The row values for `member_search` on each backend. PostgreSQL weights the name A, the text
    /// C and the facet tokens D; ranking gives D no weight and text terms never match it.
    func values(seq: Int64, memberID: String, dialect: StoreDialect) -> SQLQueryString {
        switch dialect {
        case .sqlite: "(\(bind: seq), \(bind: name), \(bind: body), \(bind: facets))"
        case .postgres:
            """
            (\(bind: memberID), \(bind: seq), setweight(to_tsvector('simple', \(bind: name)), 'A')
                || setweight(to_tsvector('simple', \(bind: body)), 'C')
                || setweight(to_tsvector('simple', \(bind: facets)), 'D'))
            """
        }
    }

    /// The same document on PostgreSQL from three columns (bulk seeding by `COPY`).
    static func postgresDocument(_ name: String, _ body: String, _ facets: String) -> String {
        "setweight(to_tsvector('simple', \(name)), 'A') || setweight(to_tsvector('simple', \(body)), 'C')"
            + " || setweight(to_tsvector('simple', \(facets)), 'D')"
    }

    static func target(_ dialect: StoreDialect) -> SQLQueryString {
        dialect == .sqlite ? "member_search (rowid, name, body, facets)" : "member_search (member_id, seq, document)"
    }

    /// The searchable text: always-public fields, plus each section only if the whole community sees it.
    static func publicText(profile: Profile, affiliations: [Affiliation]) -> String {
        let fields = publicFields(profile: profile, affiliations: affiliations)
        let parts =
            [fields.headline, fields.industry] + fields.interests + fields.bio + fields.skills + fields.location
            + fields.organizations
        return parts.filter { !$0.isEmpty }.joined(separator: " \n ")
    }

    /// The community-visible text by field, under one rule for both indexes (the SQL full-text
    /// index and the in-memory word index): always-public fields, plus each section only if the
    /// whole community sees it.
    struct PublicFields {
        var headline: String
        var industry: String
        var interests: [String]
        var bio: [String] = []
        var skills: [String] = []
        var location: [String] = []
        var organizations: [String] = []
    }

    static func publicFields(profile: Profile, affiliations: [Affiliation]) -> PublicFields {
        var fields = PublicFields(headline: profile.headline, industry: profile.industry, interests: profile.interests)
        let community = { (section: ProfileSection) in ProfilePolicy.canSee(section, of: profile, as: .member) }
        if community(.bio) { fields.bio = [profile.bio] }
        if community(.skills) { fields.skills = profile.skills }
        if community(.location) { fields.location = [profile.location] }
        if community(.affiliations) {
            fields.organizations = affiliations.flatMap { [$0.organization, $0.title, $0.cohort] }
        }
        return fields
    }

    /// The member as the in-memory word index keeps them (`MemberWordSearch`).
    static func indexed(
        id: Member.ID,
        seq: Int64,
        name: String,
        handle: String,
        profile: Profile,
        affiliations: [Affiliation]
    )
        -> IndexedDocument
    {
        let fields = publicFields(profile: profile, affiliations: affiliations)
        let other = [fields.industry] + fields.interests + fields.bio + fields.location
        return IndexedDocument(
            id: id.rawValue,
            key: seq,
            texts: [
                .name: name + " " + handle,
                .headline: fields.headline,
                .skills: fields.skills.joined(separator: " \n "),
                .organizations: fields.organizations.joined(separator: " \n "),
                .other: other.joined(separator: " \n "),
            ],
            facets: facetTokens(profile: profile, affiliations: affiliations),
            location: fields.location.isEmpty ? nil : Text.key(profile.location),
            sortKey: Text.key(name)
        )
    }

    /// Facet tokens, under the same visibility rules as the SQL facet conditions: career stage,
    /// industry and open-to signals always; skills, cohorts and organisations only when their
    /// section is visible to the whole community.
    static func facetTokens(profile: Profile, affiliations: [Affiliation]) -> [String] {
        let community = { (section: ProfileSection) in ProfilePolicy.canSee(section, of: profile, as: .member) }
        var tokens: Set<String> = []
        if let stage = profile.careerStage { tokens.insert(FacetToken.careerStage(stage.rawValue)) }
        if !Text.key(profile.industry).isEmpty { tokens.insert(FacetToken.industry(profile.industry)) }
        for signal in profile.openTo { tokens.insert(FacetToken.openTo(signal.rawValue)) }
        if community(.skills) {
            for skill in profile.skills where !Text.key(skill).isEmpty { tokens.insert(FacetToken.skill(skill)) }
        }
        if community(.affiliations) {
            for affiliation in affiliations {
                if !Text.key(affiliation.organization).isEmpty { tokens.insert(FacetToken.organization(affiliation.organization)) }
                if !Text.key(affiliation.cohort).isEmpty { tokens.insert(FacetToken.cohort(affiliation.cohort)) }
            }
        }
        return tokens.sorted()
    }
}

/// One facet value as a single index word both tokenizers keep whole (FTS5 unicode61 and
/// PostgreSQL's `simple` configuration): a marker, a kind letter and the hex of the value's key.
/// No typed word can collide with it because text terms are matched only in the text columns.
public enum FacetToken {
    public static func careerStage(_ raw: String) -> String { token("c", raw) }
    static func industry(_ value: String) -> String { token("i", Text.key(value)) }
    static func openTo(_ raw: String) -> String { token("o", raw) }
    static func skill(_ value: String) -> String { token("s", Text.key(value)) }
    static func organization(_ value: String) -> String { token("g", Text.key(value)) }
    static func cohort(_ value: String) -> String { token("h", Text.key(value)) }

    private static func token(_ kind: String, _ key: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes = Array("zq\(kind)".utf8)
        for byte in key.lowercased().utf8 {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
