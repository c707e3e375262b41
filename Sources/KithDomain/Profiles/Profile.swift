public import Foundation

/// What a member tells the community about themselves, with the visibility of each section.
public struct Profile: Sendable, Equatable {
    public var memberID: Member.ID
    public var headline: String
    public var bio: String
    public var location: String
    public var industry: String
    public var careerStage: CareerStage?
    public var skills: [String]
    public var interests: [String]
    public var openTo: Set<OpenTo>
    public var website: String
    public var phone: String
    public var visibility: [ProfileSection: Visibility]
    public var updatedAt: Date

    public init(
        memberID: Member.ID,
        headline: String = "",
        bio: String = "",
        location: String = "",
        industry: String = "",
        careerStage: CareerStage? = nil,
        skills: [String] = [],
        interests: [String] = [],
        openTo: Set<OpenTo> = [],
        website: String = "",
        phone: String = "",
        visibility: [ProfileSection: Visibility] = Profile.defaultVisibility,
        updatedAt: Date
    ) {
        self.memberID = memberID
        self.headline = headline
        self.bio = bio
        self.location = location
        self.industry = industry
        self.careerStage = careerStage
        self.skills = skills
        self.interests = interests
        self.openTo = openTo
        self.website = website
        self.phone = phone
        self.visibility = visibility
        self.updatedAt = updatedAt
    }

    /// Contact details start private to connections; everything else starts open to the community.
    public static let defaultVisibility: [ProfileSection: Visibility] = [
        .contact: .connections, .affiliations: .community, .skills: .community, .bio: .community,
        .location: .community, .connections: .community,
    ]

    public func visibility(of section: ProfileSection) -> Visibility {
        visibility[section] ?? Self.defaultVisibility[section] ?? .onlyMe
    }
}

/// A school, employer, association or programme a member belongs or belonged to.
/// `cohort` is the class year or cohort name ("Class of 2015", "Spring 2021").
public struct Affiliation: Sendable, Equatable, Identifiable {
    public typealias ID = Identifier<Affiliation>

    public var id: ID
    public var memberID: Member.ID
    public var kind: AffiliationKind
    public var organization: String
    public var title: String
    public var cohort: String
    public var startYear: Int?
    public var endYear: Int?
    public var createdAt: Date

    public init(
        id: ID,
        memberID: Member.ID,
        kind: AffiliationKind,
        organization: String,
        title: String = "",
        cohort: String = "",
        startYear: Int? = nil,
        endYear: Int? = nil,
        createdAt: Date
    ) {
        self.id = id
        self.memberID = memberID
        self.kind = kind
        self.organization = organization
        self.title = title
        self.cohort = cohort
        self.startYear = startYear
        self.endYear = endYear
        self.createdAt = createdAt
    }
}
