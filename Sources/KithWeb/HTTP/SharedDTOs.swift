import Foundation
import Hummingbird
import KithDomain

/// Wire formats, separate from domain types so a domain rename never changes the public API.
/// Keys become snake_case in the encoder; optional sections are omitted when hidden.
struct MemberDTO: APIOutput, NamedSchema {
    static var schemaName: String { "Member" }

    var id: String
    var handle: String
    var name: String
    var email: String
    var role: Role
    var createdAt: Date

    init(_ member: Member) {
        id = member.id.description
        handle = member.handle.rawValue
        name = member.name
        email = member.email.rawValue
        role = member.role
        createdAt = member.createdAt
    }
}

struct AffiliationDTO: APIOutput, NamedSchema {
    static var schemaName: String { "Affiliation" }

    var id: String
    var kind: AffiliationKind
    var organization: String
    var title: String
    var cohort: String
    var startYear: Int?
    var endYear: Int?

    init(_ affiliation: Affiliation) {
        id = affiliation.id.description
        kind = affiliation.kind
        organization = affiliation.organization
        title = affiliation.title
        cohort = affiliation.cohort
        startYear = affiliation.startYear
        endYear = affiliation.endYear
    }
}

struct ContactDTO: Codable {
    var email: String
    var website: String
    var phone: String
}

struct ProfileDTO: APIOutput, NamedSchema {
    static var schemaName: String { "Profile" }

    var handle: String
    var name: String
    var role: Role
    var headline: String
    var industry: String
    var careerStage: CareerStage?
    var interests: [String]
    var openTo: [OpenTo]
    var memberSince: Date
    var relation: ViewerRelation
    var bio: String?
    var location: String?
    var skills: [String]?
    var affiliations: [AffiliationDTO]?
    var contact: ContactDTO?
    var visibility: [String: Visibility]?

    init(_ view: ProfileView) {
        handle = view.handle.rawValue
        name = view.name
        role = view.role
        headline = view.headline
        industry = view.industry
        careerStage = view.careerStage
        interests = view.interests
        openTo = view.openTo
        memberSince = view.memberSince
        relation = view.relation
        bio = view.bio
        location = view.location
        skills = view.skills
        affiliations = view.affiliations?.map(AffiliationDTO.init)
        contact = view.contact.map { ContactDTO(email: $0.email, website: $0.website, phone: $0.phone) }
        visibility = view.visibility.map { Dictionary(uniqueKeysWithValues: $0.map { ($0.key.rawValue, $0.value) }) }
    }
}

struct MemberSummaryDTO: Codable, NamedSchema {
    static var schemaName: String { "MemberSummary" }

    var handle: String
    var name: String
    var headline: String
    var industry: String
    var careerStage: CareerStage?
    var location: String?
    var skills: [String]?
    var openTo: [OpenTo]

    init(_ summary: MemberSummary) {
        handle = summary.handle.rawValue
        name = summary.name
        headline = summary.headline
        industry = summary.industry
        careerStage = summary.careerStage
        location = summary.location
        skills = summary.skills
        openTo = summary.openTo
    }
}

/// `{"items": [...], "next": cursor-or-null}` — `next` is always present.
struct ListDTO<Item: Codable & Sendable>: APIOutput {
    var items: [Item]
    @Nullable var next: String?

}

/// `GET /health`.
struct HealthDTO: APIOutput {
    var status = "ok"
}

struct AuthDTO: APIOutput {
    var member: MemberDTO
    var token: String
}

/// A sign-up waiting for its confirmation link (registration mode `confirm`).
struct SignUpPendingDTO: APIOutput {
    var status = "confirmation_sent"
    var detail = "Check your email: a link there finishes creating the account."
}

struct TokenDTO: APIOutput {
    var token: String
    var member: MemberDTO
}

/// An optional field the API always writes, as `null` when empty (synthesized `Encodable` leaves
/// empty optionals out; the contract shows these fields in every answer). One mechanism instead of
/// hand-written `encode(to:)` methods that list every field again.
@propertyWrapper
struct Nullable<Value: Encodable & Sendable>: Encodable, Sendable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

extension Nullable: Decodable, SchemaDescribed where Value: Decodable {
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? nil : try container.decode(Value.self)
    }

    static func schema(_ reader: SchemaReader) -> JSONSchema { nullable(reader.schema(of: Value.self)) }
    static var placeholder: Nullable<Value> { Nullable(wrappedValue: nil) }
}
