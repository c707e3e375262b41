/// A directory search: free text plus facets, one page at a time.
public struct DirectoryQuery: Sendable, Equatable {
    /// Search words, already split and cleaned (letters and digits only). Empty means "browse".
    public var terms: [String]
    /// Match the words against names only, as prefixes (autocomplete).
    public var namesOnly: Bool = false
    public var skill: String?
    public var industry: String?
    public var careerStage: CareerStage?
    public var cohort: String?
    public var organization: String?
    public var location: String?
    public var openTo: OpenTo?
    public var after: [String]?
    public var limit: Int

    public init(
        terms: [String] = [],
        skill: String? = nil,
        industry: String? = nil,
        careerStage: CareerStage? = nil,
        cohort: String? = nil,
        organization: String? = nil,
        location: String? = nil,
        openTo: OpenTo? = nil,
        after: [String]? = nil,
        limit: Int = 20
    ) {
        self.terms = terms
        self.skill = skill
        self.industry = industry
        self.careerStage = careerStage
        self.cohort = cohort
        self.organization = organization
        self.location = location
        self.openTo = openTo
        self.after = after
        self.limit = limit
    }

    /// Splits free text into search words: runs of letters and digits, lowercased, at most 8.
    public static func terms(from text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return Array(words.prefix(8).map { String($0.prefix(40)) })
    }
}

/// A directory row as stored: the sections' visibility travels with it so the policy decides
/// what to show.
public struct DirectoryEntry: Sendable, Equatable {
    public var member: Member
    public var profile: Profile
    /// The cursor pointing just after this row in the list it came from.
    public var cursor: String

    public init(member: Member, profile: Profile, cursor: String) {
        self.member = member
        self.profile = profile
        self.cursor = cursor
    }
}

/// The storage side of the directory. Implementations match facets on hidden sections only
/// when those sections are visible to the whole community, and index only community-visible
/// text, so a search can never reveal what a profile hides.
public protocol MemberDirectory: Sendable {
    func search(_ query: DirectoryQuery, viewer: Member.ID) async throws -> [DirectoryEntry]
    /// Up to `limit` members who show the community `skill`, or an affiliation with
    /// `organization`, read straight from their index in no particular order: the pool a help ask
    /// is routed among (the caller filters blocks and ranks).
    func showing(skill: String?, organization: String?, limit: Int) async throws -> [DirectoryEntry]
}

/// One line in the directory, filtered for the viewer.
public struct MemberSummary: Sendable, Equatable {
    public var handle: Handle
    public var name: String
    public var headline: String
    public var industry: String
    public var careerStage: CareerStage?
    public var location: String?
    public var skills: [String]?
    public var openTo: [OpenTo]
}
