/// Where a member is in their career; each stage gets a home page that fits it.
public enum CareerStage: String, Sendable, Codable, CaseIterable {
    case student
    case earlyCareer = "early_career"
    case midCareer = "mid_career"
    case senior
    case inTransition = "in_transition"
    case retired

    public var label: String {
        switch self {
        case .student: "Student"
        case .earlyCareer: "Early career"
        case .midCareer: "Mid-career"
        case .senior: "Senior"
        case .inTransition: "In transition"
        case .retired: "Retired"
        }
    }
}

/// "Open to" signals a member shows the community.
public enum OpenTo: String, Sendable, Codable, CaseIterable, Comparable {
    case mentoring
    case beingMentored = "being_mentored"
    case referrals
    case givingReferrals = "giving_referrals"
    case coffeeChats = "coffee_chats"
    case collaboration
    case hiring

    public var label: String {
        switch self {
        case .mentoring: "Mentoring others"
        case .beingMentored: "Being mentored"
        case .referrals: "Asking for referrals"
        case .givingReferrals: "Giving referrals"
        case .coffeeChats: "Coffee chats"
        case .collaboration: "Collaboration"
        case .hiring: "Hiring"
        }
    }

    public static func < (lhs: OpenTo, rhs: OpenTo) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Profile sections whose visibility a member chooses. Name, handle, headline, industry, career
/// stage, interests and "open to" are always visible to the community: they are what makes a
/// directory useful.
public enum ProfileSection: String, Sendable, Codable, CaseIterable {
    case contact
    case affiliations
    case skills
    case bio
    case location
    case connections

    public var label: String {
        switch self {
        case .connections: "My connections list"
        case .contact: "Contact details"
        case .affiliations: "Schools, employers and cohorts"
        case .skills: "Skills"
        case .bio: "About"
        case .location: "Location"
        }
    }
}

/// Who may see a section.
public enum Visibility: String, Sendable, Codable, CaseIterable {
    case community
    case connections
    case onlyMe = "only_me"

    public var label: String {
        switch self {
        case .community: "Everyone in the community"
        case .connections: "My connections"
        case .onlyMe: "Only me"
        }
    }
}

/// The kind of organisation an affiliation is with.
public enum AffiliationKind: String, Sendable, Codable, CaseIterable {
    case school
    case employer
    case association
    case program

    public var label: String {
        switch self {
        case .school: "School"
        case .employer: "Employer"
        case .association: "Association"
        case .program: "Programme"
        }
    }
}

extension RawRepresentable where RawValue == String, Self: CaseIterable {
    /// Parses an enum from its wire value, naming the allowed values in the error.
    public static func parse(_ raw: String, field: String) throws(DomainError) -> Self {
        guard let value = Self(rawValue: raw) else {
            let allowed = allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalid(field: field, reason: "must be one of: \(allowed)")
        }
        return value
    }
}
