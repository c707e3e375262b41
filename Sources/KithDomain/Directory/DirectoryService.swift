/// The raw search parameters as a client sends them.
public struct DirectorySearch: Sendable {
    public var q: String?
    public var skill: String?
    public var industry: String?
    public var careerStage: String?
    public var cohort: String?
    public var organization: String?
    public var location: String?
    public var openTo: String?
    public var after: String?
    public var limit: String?
    /// "true": name prefixes only, for autocomplete.
    public var typeahead: String?

    public init(
        q: String? = nil,
        skill: String? = nil,
        industry: String? = nil,
        careerStage: String? = nil,
        cohort: String? = nil,
        organization: String? = nil,
        location: String? = nil,
        openTo: String? = nil,
        after: String? = nil,
        limit: String? = nil,
        typeahead: String? = nil
    ) {
        self.typeahead = typeahead
        self.q = q
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
}

/// Finding members: full-text search combined with facets, keyset-paginated, filtered for the
/// viewer, without blocked members.
public struct DirectoryService: Sendable {
    private let directory: any MemberDirectory
    private let connections: any ConnectionLookup

    public init(directory: any MemberDirectory, connections: any ConnectionLookup) {
        self.directory = directory
        self.connections = connections
    }

    public func search(_ search: DirectorySearch, by viewer: Member) async throws -> Page<MemberSummary> {
        var check = Validation()
        func facet(_ raw: String?, _ field: String) -> String? {
            guard let raw else { return nil }
            let value = check.capture { try Text.clean(raw, field: field, max: 100) }
            return value?.isEmpty == false ? value : nil
        }
        let text = facet(search.q, "q")
        var query = DirectoryQuery(
            terms: text.map(DirectoryQuery.terms(from:)) ?? [],
            skill: facet(search.skill, "skill"),
            industry: facet(search.industry, "industry"),
            cohort: facet(search.cohort, "cohort"),
            organization: facet(search.organization, "organization"),
            location: facet(search.location, "location")
        )
        if let raw = search.careerStage, !raw.isEmpty {
            query.careerStage = check.capture { try CareerStage.parse(raw, field: "career_stage") }
        }
        if let raw = search.openTo, !raw.isEmpty {
            query.openTo = check.capture { try OpenTo.parse(raw, field: "open_to") }
        }
        switch search.typeahead ?? "false" {
        case "true": query.namesOnly = true
        case "false", "": break
        default: check.fail("typeahead", "must be true or false")
        }
        let size = check.capture { try PageSize(search.limit) }
        let partCount = query.terms.isEmpty ? 2 : 3
        query.after = check.capture { try Cursor.decode(search.after, parts: partCount, numericFirst: partCount == 3) } ?? nil
        try check.throwIfFailed()
        query.limit = size!.value

        let entries = try await directory.search(query, viewer: viewer.id)
        let page = entries.prefix(query.limit)
        let connected = try await connections.connections(of: viewer.id, among: page.map(\.member.id))
        let summaries = page.map { entry in
            let relation: ViewerRelation =
                entry.member.id == viewer.id ? .owner : (connected.contains(entry.member.id) ? .connection : .member)
            return Self.summary(entry, as: relation)
        }
        let next = entries.count > query.limit ? entries[query.limit - 1].cursor : nil
        return Page(items: summaries, next: next)
    }

    static func summary(_ entry: DirectoryEntry, as relation: ViewerRelation) -> MemberSummary {
        MemberSummary(member: entry.member, profile: entry.profile, relation: relation)
    }
}

extension MemberSummary {
    /// A directory line for `member` as `relation` may see it.
    public init(member: Member, profile: Profile, relation: ViewerRelation) {
        self.init(
            handle: member.handle,
            name: member.name,
            headline: profile.headline,
            industry: profile.industry,
            careerStage: profile.careerStage,
            location: ProfilePolicy.canSee(.location, of: profile, as: relation) ? profile.location : nil,
            skills: ProfilePolicy.canSee(.skills, of: profile, as: relation) ? Array(profile.skills.prefix(6)) : nil,
            openTo: profile.openTo.sorted()
        )
    }
}
