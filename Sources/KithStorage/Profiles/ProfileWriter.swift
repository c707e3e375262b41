import Foundation
import KithDomain
import SQLKit

/// Writes a profile row and its facet tables (skills, "open to") inside the caller's transaction.
enum ProfileWriter {
    static func upsert(_ profile: Profile, in db: any SQLDatabase) async throws {
        let id = profile.memberID.description
        let vis = { (section: ProfileSection) in profile.visibility(of: section).rawValue }
        try await db.raw(
            """
            INSERT INTO profiles (member_id, headline, bio, location, location_key, industry, industry_key,
                career_stage, skills, interests, open_to, website, phone, vis_contact, vis_affiliations,
                vis_skills, vis_bio, vis_location, vis_connections, updated_at)
            VALUES (\(bind: id), \(bind: profile.headline), \(bind: profile.bio), \(bind: profile.location),
                \(bind: Text.key(profile.location)), \(bind: profile.industry), \(bind: Text.key(profile.industry)),
                \(bind: profile.careerStage?.rawValue), \(bind: Lists.join(profile.skills)),
                \(bind: Lists.join(profile.interests)), \(bind: Lists.join(profile.openTo.sorted().map(\.rawValue))),
                \(bind: profile.website), \(bind: profile.phone), \(bind: vis(.contact)), \(bind: vis(.affiliations)),
                \(bind: vis(.skills)), \(bind: vis(.bio)), \(bind: vis(.location)), \(bind: vis(.connections)),
                \(bind: Millis.from(profile.updatedAt)))
            ON CONFLICT (member_id) DO UPDATE SET
                headline = excluded.headline, bio = excluded.bio, location = excluded.location,
                location_key = excluded.location_key, industry = excluded.industry,
                industry_key = excluded.industry_key, career_stage = excluded.career_stage,
                skills = excluded.skills, interests = excluded.interests, open_to = excluded.open_to,
                website = excluded.website, phone = excluded.phone, vis_contact = excluded.vis_contact,
                vis_affiliations = excluded.vis_affiliations, vis_skills = excluded.vis_skills,
                vis_bio = excluded.vis_bio, vis_location = excluded.vis_location,
                vis_connections = excluded.vis_connections, updated_at = excluded.updated_at
            """
        ).run()
        try await db.raw("DELETE FROM member_skills WHERE member_id = \(bind: id)").run()
        let skillKeys = Array(Set(profile.skills.map(Text.key)))
        if !skillKeys.isEmpty {
            let values = skillKeys.map { "(\(bind: id), \(bind: $0))" as SQLQueryString }.joined(separator: ", ")
            try await db.raw("INSERT INTO member_skills (member_id, skill_key) VALUES \(values)").run()
        }
        try await db.raw("DELETE FROM member_open_to WHERE member_id = \(bind: id)").run()
        if !profile.openTo.isEmpty {
            let values = profile.openTo.map { "(\(bind: id), \(bind: $0.rawValue))" as SQLQueryString }
                .joined(separator: ", ")
            try await db.raw("INSERT INTO member_open_to (member_id, signal) VALUES \(values)").run()
        }
    }
}

extension ProfileWriter {
    /// The `profiles` columns and one profile's values as text (bulk seeding by `COPY`), the same
    /// values `insertMany` binds.
    static let columns = [
        "member_id", "headline", "bio", "location", "location_key", "industry", "industry_key", "career_stage", "skills",
        "interests", "open_to", "website", "phone", "vis_contact", "vis_affiliations", "vis_skills", "vis_bio", "vis_location",
        "vis_connections", "updated_at",
    ]

    static func values(_ profile: Profile) -> [String?] {
        let vis = { (section: ProfileSection) in profile.visibility(of: section).rawValue }
        return [
            profile.memberID.description, profile.headline, profile.bio, profile.location, Text.key(profile.location),
            profile.industry, Text.key(profile.industry), profile.careerStage?.rawValue, Lists.join(profile.skills),
            Lists.join(profile.interests), Lists.join(profile.openTo.sorted().map(\.rawValue)), profile.website, profile.phone,
            vis(.contact), vis(.affiliations), vis(.skills), vis(.bio), vis(.location), vis(.connections),
            String(Millis.from(profile.updatedAt)),
        ]
    }

    /// Inserts new profiles and their facet rows, several members per statement (bulk seeding).
    static func insertMany(_ profiles: [Profile], in db: any SQLDatabase) async throws {
        guard !profiles.isEmpty else { return }
        let rows: [SQLQueryString] = profiles.map { profile in
            // `values(_:)` as bound values: text, except the time (a number).
            let texts = values(profile)
            return "(\(binds: texts.dropLast()), \(bind: Millis.from(profile.updatedAt)))"
        }
        try await db.raw(
            "INSERT INTO profiles (\(unsafeRaw: columns.joined(separator: ", "))) VALUES \(rows.joined(separator: ", "))"
        ).run()
        let skills: [SQLQueryString] = profiles.flatMap { profile in
            Set(profile.skills.map(Text.key)).map { "(\(bind: profile.memberID.description), \(bind: $0))" as SQLQueryString }
        }
        for part in SQLSeeder.chunks(skills, size: 1_000) {
            try await db.raw("INSERT INTO member_skills (member_id, skill_key) VALUES \(part.joined(separator: ", "))").run()
        }
        let signals: [SQLQueryString] = profiles.flatMap { profile in
            profile.openTo.map { "(\(bind: profile.memberID.description), \(bind: $0.rawValue))" as SQLQueryString }
        }
        for part in SQLSeeder.chunks(signals, size: 1_000) {
            try await db.raw("INSERT INTO member_open_to (member_id, signal) VALUES \(part.joined(separator: ", "))").run()
        }
    }
}

/// Keeps the full-text index in step with what the community may see of a member. Only
/// sections visible to the whole community are indexed, so no search can match hidden text.
struct SearchIndexWriter {
    let dialect: StoreDialect

    func reindex(_ memberID: Member.ID, in db: any SQLDatabase) async throws {
        let id = memberID.description
        guard
            let row = try await db.raw(
                "SELECT m.seq, m.handle, m.name, \(unsafeRaw: Columns.profile) FROM members m JOIN profiles p ON p.member_id = m.id WHERE m.id = \(bind: id)"
            ).first()
        else { return }
        let profile = try row.profile()
        let affiliations = try await db.raw(
            "SELECT \(unsafeRaw: Columns.affiliation) FROM affiliations a WHERE a.member_id = \(bind: id)"
        ).all().map { try $0.affiliation() }
        let document = SearchDocument(
            name: try row.string("name"),
            handle: try row.string("handle"),
            profile: profile,
            affiliations: affiliations
        )
        let values = document.values(seq: try row.int64("seq"), memberID: id, dialect: dialect)
        switch dialect {
        case .sqlite:
            try await db.raw("DELETE FROM member_search WHERE rowid = \(bind: try row.int64("seq"))").run()
            try await db.raw("INSERT INTO \(SearchDocument.target(dialect)) VALUES \(values)").run()
        case .postgres:
            try await db.raw(
                """
                INSERT INTO \(SearchDocument.target(dialect)) VALUES \(values)
                ON CONFLICT (member_id) DO UPDATE SET document = excluded.document, seq = excluded.seq
                """
            ).run()
        }
    }
}
