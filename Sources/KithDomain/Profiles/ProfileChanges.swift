import Foundation

/// A partial update of a profile as a client sends it: nil means "leave as is".
public struct ProfileChanges: Sendable {
    public var name: String?
    public var headline: String?
    public var bio: String?
    public var location: String?
    public var industry: String?
    /// "" clears the stage.
    public var careerStage: String?
    public var skills: [String]?
    public var interests: [String]?
    public var openTo: [String]?
    public var website: String?
    public var phone: String?
    public var visibility: [String: String]?

    public init(
        name: String? = nil,
        headline: String? = nil,
        bio: String? = nil,
        location: String? = nil,
        industry: String? = nil,
        careerStage: String? = nil,
        skills: [String]? = nil,
        interests: [String]? = nil,
        openTo: [String]? = nil,
        website: String? = nil,
        phone: String? = nil,
        visibility: [String: String]? = nil
    ) {
        self.name = name
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
    }

    /// Applies the changes to `profile`, checking every rule and reporting every broken one.
    func applied(to profile: Profile, name currentName: String, at now: Date) throws(DomainError) -> (Profile, String) {
        var profile = profile
        var name = currentName
        var check = Validation()
        if let raw = self.name, let value = check.capture({ try Member.validName(raw) }) { name = value }
        if let raw = headline, let value = check.capture({ try Text.clean(raw, field: "headline", max: 120) }) {
            profile.headline = value
        }
        if let raw = bio, let value = check.capture({ try Text.clean(raw, field: "bio", max: 2000, multiline: true) }) {
            profile.bio = value
        }
        if let raw = location, let value = check.capture({ try Text.clean(raw, field: "location", max: 100) }) {
            profile.location = value
        }
        if let raw = industry, let value = check.capture({ try Text.clean(raw, field: "industry", max: 80) }) {
            profile.industry = value
        }
        if let raw = careerStage {
            if raw.isEmpty {
                profile.careerStage = nil
            } else if let stage = check.capture({ try CareerStage.parse(raw, field: "career_stage") }) {
                profile.careerStage = stage
            }
        }
        if let raw = skills, let value = check.capture({ try Self.tags(raw, field: "skills", maxCount: 50) }) {
            profile.skills = value
        }
        if let raw = interests, let value = check.capture({ try Self.tags(raw, field: "interests", maxCount: 30) }) {
            profile.interests = value
        }
        if let raw = openTo {
            var signals = Set<OpenTo>()
            for item in raw {
                if let signal = check.capture({ try OpenTo.parse(item, field: "open_to") }) { signals.insert(signal) }
            }
            profile.openTo = signals
        }
        if let raw = website, let value = check.capture({ try Self.website(raw) }) { profile.website = value }
        if let raw = phone, let value = check.capture({ try Self.phone(raw) }) { profile.phone = value }
        if let raw = visibility {
            for (key, level) in raw {
                let section = check.capture { try ProfileSection.parse(key, field: "visibility") }
                let value = check.capture { try Visibility.parse(level, field: "visibility.\(key)") }
                if let section, let value { profile.visibility[section] = value }
            }
        }
        try check.throwIfFailed()
        profile.updatedAt = now
        return (profile, name)
    }

    /// Skills and interests: trimmed, 1–40 characters each, duplicates (ignoring case) dropped.
    static func tags(_ raw: [String], field: String, maxCount: Int) throws(DomainError) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        for item in raw {
            let value = try Text.clean(item, field: field, max: 40)
            guard !value.isEmpty, !value.contains(",") else {
                if value.contains(",") { throw .invalid(field: field, reason: "each entry must not contain commas") }
                continue
            }
            if seen.insert(Text.key(value)).inserted { result.append(value) }
        }
        guard result.count <= maxCount else { throw .invalid(field: field, reason: "must have at most \(maxCount) entries") }
        return result
    }

    static func website(_ raw: String) throws(DomainError) -> String {
        try WebAddress.parse(raw, field: "website", maxLength: 200)
    }

    static func phone(_ raw: String) throws(DomainError) -> String {
        let value = try Text.clean(raw, field: "phone", max: 30)
        let allowed = value.unicodeScalars.allSatisfy { "0123456789+-() .".unicodeScalars.contains($0) }
        guard allowed else { throw .invalid(field: "phone", reason: "may contain only digits, spaces and + - ( ) .") }
        return value
    }
}

/// A new affiliation as a client sends it.
public struct AffiliationInput: Sendable {
    public var kind: String
    public var organization: String
    public var title: String?
    public var cohort: String?
    public var startYear: Int?
    public var endYear: Int?

    public init(
        kind: String,
        organization: String,
        title: String? = nil,
        cohort: String? = nil,
        startYear: Int? = nil,
        endYear: Int? = nil
    ) {
        self.kind = kind
        self.organization = organization
        self.title = title
        self.cohort = cohort
        self.startYear = startYear
        self.endYear = endYear
    }

    func validated(id: Affiliation.ID, memberID: Member.ID, now: Date) throws(DomainError) -> Affiliation {
        var check = Validation()
        let kind = check.capture { try AffiliationKind.parse(self.kind, field: "kind") }
        let organization = check.capture { try Text.clean(self.organization, field: "organization", max: 120, min: 1) }
        let title = check.capture { try Text.clean(self.title ?? "", field: "title", max: 120) }
        let cohort = check.capture { try Text.clean(self.cohort ?? "", field: "cohort", max: 60) }
        let thisYear = Calendar(identifier: .gregorian).component(.year, from: now)
        for (field, year) in [("start_year", startYear), ("end_year", endYear)] {
            if let year, !(1900...(thisYear + 10)).contains(year) {
                check.fail(field, "must be a year from 1900 to \(thisYear + 10)")
            }
        }
        if let startYear, let endYear, endYear < startYear { check.fail("end_year", "must not be before start_year") }
        try check.throwIfFailed()
        return Affiliation(
            id: id,
            memberID: memberID,
            kind: kind!,
            organization: organization!,
            title: title!,
            cohort: cohort!,
            startYear: startYear,
            endYear: endYear,
            createdAt: now
        )
    }
}
