import Foundation
import KithDomain
import SQLKit

/// Column lists and row decoding shared by the repositories. Rows never leave KithStorage:
/// callers get domain values.
enum Columns {
    static let member = "m.id, m.email, m.handle, m.name, m.role, m.created_at"
    static let profile = """
        p.member_id, p.headline, p.bio, p.location, p.industry, p.career_stage, p.skills, p.interests,
        p.open_to, p.website, p.phone, p.vis_contact, p.vis_affiliations, p.vis_skills, p.vis_bio,
        p.vis_location, p.vis_connections, p.updated_at
        """
    static let affiliation = """
        a.id, a.member_id, a.kind, a.organization, a.title, a.cohort, a.start_year, a.end_year, a.created_at
        """
}

struct CorruptRow: Error, CustomStringConvertible {
    let description: String
}

extension SQLRow {
    func string(_ column: String) throws -> String { try decode(column: column, as: String.self) }
    func optionalString(_ column: String) throws -> String? { try decode(column: column, as: String?.self) }
    func int64(_ column: String) throws -> Int64 { try decode(column: column, as: Int64.self) }
    func optionalInt64(_ column: String) throws -> Int64? { try decode(column: column, as: Int64?.self) }
    func date(_ column: String) throws -> Date { Millis.date(try int64(column)) }

    func optionalUUID(_ column: String) throws -> UUID? {
        try optionalString(column).map { text in
            guard let uuid = UUID(hexString: text) else { throw CorruptRow(description: "\(column) is not a UUID") }
            return uuid
        }
    }

    func uuid(_ column: String) throws -> UUID {
        let text = try string(column)
        guard let uuid = UUID(hexString: text) else { throw CorruptRow(description: "\(column) is not a UUID") }
        return uuid
    }

    /// A member from `prefix`-named columns (`f_id`, `f_handle`, … when joined twice).
    func member(prefix: String = "") throws -> Member {
        guard let role = Role(rawValue: try string(prefix + "role")) else { throw CorruptRow(description: "unknown role") }
        return Member(
            id: Member.ID(try uuid(prefix + "id")),
            email: EmailAddress(stored: try string(prefix + "email")),
            handle: Handle(stored: try string(prefix + "handle")),
            name: try string(prefix + "name"),
            role: role,
            createdAt: try date(prefix + "created_at")
        )
    }

    func connectionRequest() throws -> ConnectionRequest {
        ConnectionRequest(
            id: ConnectionRequest.ID(try uuid("id")),
            from: Member.ID(try uuid("from_id")),
            to: Member.ID(try uuid("to_id")),
            note: try string("note"),
            status: RequestStatus(rawValue: try string("status")) ?? .expired,
            createdAt: try date("created_at"),
            expiresAt: try date("expires_at"),
            respondedAt: try optionalInt64("responded_at").map(Millis.date)
        )
    }

    func profile() throws -> Profile {
        func visibility(_ column: String) throws -> Visibility {
            Visibility(rawValue: try string(column)) ?? .onlyMe
        }
        return Profile(
            memberID: Member.ID(try uuid("member_id")),
            headline: try string("headline"),
            bio: try string("bio"),
            location: try string("location"),
            industry: try string("industry"),
            careerStage: try optionalString("career_stage").flatMap(CareerStage.init(rawValue:)),
            skills: Lists.split(try string("skills")),
            interests: Lists.split(try string("interests")),
            openTo: Set(Lists.split(try string("open_to")).compactMap(OpenTo.init(rawValue:))),
            website: try string("website"),
            phone: try string("phone"),
            visibility: [
                .contact: try visibility("vis_contact"),
                .affiliations: try visibility("vis_affiliations"),
                .skills: try visibility("vis_skills"),
                .bio: try visibility("vis_bio"),
                .location: try visibility("vis_location"),
                .connections: try visibility("vis_connections"),
            ],
            updatedAt: try date("updated_at")
        )
    }

    func affiliation() throws -> Affiliation {
        guard let kind = AffiliationKind(rawValue: try string("kind")) else {
            throw CorruptRow(description: "unknown affiliation kind")
        }
        return Affiliation(
            id: Affiliation.ID(try uuid("id")),
            memberID: Member.ID(try uuid("member_id")),
            kind: kind,
            organization: try string("organization"),
            title: try string("title"),
            cohort: try string("cohort"),
            startYear: try optionalInt64("start_year").map(Int.init),
            endYear: try optionalInt64("end_year").map(Int.init),
            createdAt: try date("created_at")
        )
    }
}

/// Lists stored in one text column, one entry per line (entries never contain newlines).
enum Lists {
    static func join(_ items: [String]) -> String { items.joined(separator: "\n") }

    /// Split at newline bytes (a newline byte is never part of another UTF-8 character), not at
    /// `Character`s: grapheme breaking made splitting profiles' skills and interests ~2% of a
    /// weekly run (docs/BENCHMARKS.md).
    static func split(_ text: String) -> [String] {
        text.utf8.split(separator: UInt8(ascii: "\n")).map { String(decoding: $0, as: UTF8.self) }
    }
}
