public import Foundation
import KithGraph

/// What a member asks the community for.
public enum HelpAskKind: String, Sendable, Codable, CaseIterable {
    case advice, feedback
    case jobLead = "job_lead"
    case referral, introduction, collaboration, other

    /// The kind of help the ledger records when someone helped with it.
    var ledgerHelp: HelpKind {
        switch self {
        case .advice: .advice
        case .feedback: .feedback
        case .referral, .jobLead: .referral
        case .introduction: .intro
        case .collaboration, .other: .other
        }
    }

    public var phrase: String {
        switch self {
        case .advice: "advice"
        case .feedback: "feedback"
        case .jobLead: "a job lead"
        case .referral: "a referral"
        case .introduction: "an introduction"
        case .collaboration: "a collaborator"
        case .other: "help"
        }
    }
}

/// A help ask as one viewer may see it: its asker sees the offers (never who was asked or who
/// let it pass); someone it was routed to sees why they were chosen and their own offer.
public struct HelpAskView: Sendable {
    public struct Offer: Sendable {
        public var offer: AskOffer
        public var helper: Member
    }

    public var ask: Ask
    public var asker: Member
    public var status: AskStatus
    public var kind: HelpAskKind
    /// For someone it was routed to: why they were chosen.
    public var reason: String?
    /// For the asker: every offer; for a helper: their own.
    public var offers: [Offer]
    /// For the asker: how many members it was sent to (never who).
    public var sentTo: Int?
}

/// Help asks on the ask mechanism: a member asks for advice, feedback, a job lead, a referral, an
/// introduction or a collaborator; Kith routes it to the few members most able to help (within
/// the audience, each under a weekly budget), who see why they were chosen and may offer help or
/// say "not for me" (never told to the asker). The asker accepts offers — a conversation opens —
/// and resolves it naming who helped: their public "helped" count grows, the asker's ledger
/// records the help received, the ties grow.
public struct HelpAskService: Sendable {
    public static let titleLimit = 120
    public static let bodyLimit = 2_000
    public static let noteLimit = 600
    public static let skillsLimit = 5
    /// Members read per skill or organisation when routing (the network adds its own).
    static let poolPerLookup = 80
    /// Asks one member may be routed in seven days.
    public static let weeklyBudget = AskCaps.standard(for: .help).waitingPerAddressee

    private let asks: any AskRepository
    private let members: any MemberRepository
    private let profiles: any ProfileRepository
    private let directory: any MemberDirectory
    private let blocks: any BlockRepository
    private let graph: NetworkGraph
    private let messages: MessageService
    private let contacts: ContactService
    private let connections: any ConnectionRepository
    private let links: any PageLinks
    private let now: @Sendable () -> Date

    public init(
        asks: any AskRepository,
        members: any MemberRepository,
        profiles: any ProfileRepository,
        directory: any MemberDirectory,
        blocks: any BlockRepository,
        graph: NetworkGraph,
        messages: MessageService,
        contacts: ContactService,
        connections: any ConnectionRepository,
        links: any PageLinks,
        now: @escaping @Sendable () -> Date
    ) {
        self.asks = asks
        self.members = members
        self.profiles = profiles
        self.directory = directory
        self.blocks = blocks
        self.graph = graph
        self.messages = messages
        self.contacts = contacts
        self.connections = connections
        self.links = links
        self.now = now
    }

    /// Asks the community; answers with the ask as its asker sees it.
    public func create(
        kind rawKind: String?,
        title rawTitle: String?,
        body rawBody: String?,
        audience rawAudience: String?,
        group: String? = nil,
        skills rawSkills: [String]?,
        organization rawOrganization: String?,
        by asker: Member
    ) async throws -> HelpAskView {
        var check = Validation()
        let kind = check.capture { try Choice.parse(rawKind, field: "kind", as: HelpAskKind.self) }
        let audience = check.capture { () throws(DomainError) -> AskAudience in
            let value = try Choice.parse(rawAudience, field: "audience", as: AskAudience.self)
            if value == .group { throw .invalid(field: "group", reason: "groups are not available yet: choose another audience") }
            return value
        }
        let title = check.capture { try Text.clean(rawTitle ?? "", field: "title", max: Self.titleLimit, min: 1) }
        let body = check.capture { try Text.clean(rawBody ?? "", field: "body", max: Self.bodyLimit, min: 1, multiline: true) }
        var skills: [String] = []
        for raw in rawSkills ?? [] {
            if let skill = check.capture({ try Text.clean(raw, field: "skills", max: 40, min: 1) }),
                !skills.contains(where: { $0.lowercased() == skill.lowercased() })
            {
                skills.append(skill)
            }
        }
        if skills.count > Self.skillsLimit { check.fail("skills", "must name at most \(Self.skillsLimit) skills") }
        let organization = check.capture { try Text.clean(rawOrganization ?? "", field: "organization", max: 100) } ?? ""
        _ = group
        try check.throwIfFailed()
        guard let kind, let audience, let title, let body else { throw DomainError.invalid(field: "kind", reason: "is required") }

        // Over the cap, the asker is told so plainly before anyone is asked (storage checks again).
        let caps = AskCaps.standard(for: .help)
        let open = try await asks.asks(of: asker.id, kind: .help, role: .asker, limit: caps.openPerAsker * 4).filter(\.isOpen)
        if open.count >= caps.openPerAsker { throw DomainError.rateLimited(retryAfterSeconds: Int(AskKind.help.timing.stepLifetime)) }
        let moment = now()
        let routed = try await route(skills: skills, organization: organization, audience: audience, for: asker, at: moment)
        guard !routed.isEmpty else {
            throw DomainError.conflict(
                field: "audience",
                message: "Nobody in that audience can be asked just now: widen the audience, or name skills or an organisation."
            )
        }
        var ask = Ask(
            id: .make(at: moment),
            kind: .help,
            asker: asker.id,
            route: routed.map(\.member.id),
            purpose: kind.rawValue,
            blurb: body,
            request: title,
            at: moment
        )
        ask.topic = AskTopic(audience: audience, skills: skills, organization: organization)
        ask.reasons = Dictionary(uniqueKeysWithValues: routed.map { ($0.member.id, Self.sentence($0.reasons)) })
        let link = links.ask(ask.id)
        let notices = routed.map { candidate in
            Notice(
                member: candidate.member.id,
                kind: .ask,
                key: "ask:\(ask.id)",
                title: "\(asker.name) asks for \(kind.phrase): \(title)",
                body: "You were asked because \(Self.sentence(candidate.reasons)). Offer help, or let it pass — nobody is told.",
                link: link
            )
        }
        try await asks.create(
            ask,
            admit: { load in try caps.check(load, kind: .help, route: [], at: moment) },
            notices: notices
        )
        return HelpAskView(ask: ask, asker: asker, status: .requested, kind: kind, reason: nil, offers: [], sentTo: routed.count)
    }

    /// Whom an ask would reach: candidates from the audience and from the directory's skill and
    /// organisation facets, described by what the asker may see, under their weekly budget.
    public func route(
        skills: [String],
        organization: String,
        audience: AskAudience,
        for asker: Member,
        at moment: Date
    )
        async throws -> [RoutedCandidate]
    {
        let queries = graph.queries
        let vertices = try await graph.vertices(of: [asker.id])
        var firstDegree: Set<Int32> = []
        var secondDegree: [Int32] = []
        if let mine = vertices[asker.id] {
            firstDegree = Set(queries.graph.neighbors(of: mine))
            if audience != .connections {
                secondDegree = queries.secondDegreeCandidates(of: mine).sorted { $0.mutualCount > $1.mutualCount }.prefix(100).map(\.vertex)
            }
        }
        let secondSet = Set(secondDegree)
        var pool: [Member.ID: Member] = [:]
        var visibleProfiles: [Member.ID: Profile] = [:]
        for (_, member) in try await graph.members(at: Array(firstDegree) + secondDegree) { pool[member.id] = member }
        // Members showing the community a skill or the organisation, straight from their indexes.
        var lookups: [(skill: String?, organization: String?)] = skills.map { ($0, nil) }
        if !organization.isEmpty { lookups.append((nil, organization)) }
        for lookup in lookups {
            for entry in try await directory.showing(skill: lookup.skill, organization: lookup.organization, limit: Self.poolPerLookup) {
                pool[entry.member.id] = entry.member
                visibleProfiles[entry.member.id] = entry.profile
            }
        }
        pool[asker.id] = nil
        let blocked = Set(try await blocks.blockedEither(of: asker.id))
        let ids = pool.keys.filter { !blocked.contains($0) }
        guard !ids.isEmpty else { return [] }
        let vertexOf = try await graph.vertices(of: ids)
        func degree(_ id: Member.ID) -> Int? {
            guard let vertex = vertexOf[id] else { return nil }
            return firstDegree.contains(vertex) ? 1 : secondSet.contains(vertex) ? 2 : nil
        }
        let inAudience = ids.filter { id in
            switch audience {
            case .connections: degree(id) == 1
            case .secondDegree: degree(id) != nil
            case .community, .group: true
            }
        }
        let paused = try await asks.paused(inAudience, kind: .help, at: moment)
        let asked = try await asks.reachedCounts(of: inAudience, kind: .help, since: moment.addingTimeInterval(-7 * 86_400))
        let open = inAudience.filter { !paused.contains($0) && (asked[$0] ?? 0) < Self.weeklyBudget }
        let missing = open.filter { visibleProfiles[$0] == nil }
        for (id, profile) in try await profiles.profiles(of: missing) { visibleProfiles[id] = profile }
        let affiliations = try await profiles.affiliations(of: open)
        let askerProfile = try await profiles.profile(of: asker.id)
        let askerCohorts = try await profiles.affiliations(of: asker.id).map(\.cohort)
        var candidates: [HelpCandidate] = []
        for id in open {
            guard let member = pool[id], let profile = visibleProfiles[id] else { continue }
            let relation: ViewerRelation = degree(id) == 1 ? .connection : .member
            let places = ProfilePolicy.canSee(.affiliations, of: profile, as: relation) ? affiliations[id] ?? [] : []
            candidates.append(
                HelpCandidate(
                    member: member,
                    degree: degree(id),
                    skills: ProfilePolicy.canSee(.skills, of: profile, as: relation) ? profile.skills : [],
                    organizations: places.map(\.organization),
                    cohorts: places.map(\.cohort).filter { !$0.isEmpty },
                    stage: profile.careerStage,
                    askedThisWeek: asked[id] ?? 0
                )
            )
        }
        return AskRouter.route(
            skills: skills,
            organization: organization,
            asker: (askerProfile?.careerStage, askerCohorts),
            candidates: candidates
        )
    }

    /// Open asks that reached the member, most promising first: why they were chosen, and their own offer.
    public func forMe(_ member: Member, limit: Int = 50) async throws -> [HelpAskView] {
        var views: [HelpAskView] = []
        for ask in try await asks.asks(of: member.id, kind: .help, role: .addressee, limit: limit) where ask.isOpen {
            if let view = try await view(ask, for: member) { views.append(view) }
        }
        return views.sorted { ($0.reason?.count ?? 0, $0.ask.createdAt) > ($1.reason?.count ?? 0, $1.ask.createdAt) }
    }

    /// The member's own asks, newest first, with their offers.
    public func mine(_ member: Member, limit: Int = 50) async throws -> [HelpAskView] {
        var views: [HelpAskView] = []
        for ask in try await asks.asks(of: member.id, kind: .help, role: .asker, limit: limit) {
            if let view = try await view(ask, for: member) { views.append(view) }
        }
        return views
    }

    public func ask(_ rawID: String, for member: Member) async throws -> HelpAskView {
        try await visible(rawID, to: member)
    }

    /// Someone the ask reached offers help, with a note; the asker is told.
    public func offer(_ rawID: String, note rawNote: String?, by helper: Member) async throws -> HelpAskView {
        let current = try await visible(rawID, to: helper)
        guard current.ask.asker != helper.id else { throw DomainError.conflict(field: nil, message: "This is your own ask.") }
        guard current.ask.isOpen else { throw DomainError.conflict(field: nil, message: "This ask is no longer open.") }
        let note = try Text.clean(rawNote ?? "", field: "note", max: Self.noteLimit, min: 1, multiline: true)
        let moment = now()
        let offer = AskOffer(id: .make(at: moment), ask: current.ask.id, helper: helper.id, note: note, createdAt: moment)
        try await asks.offer(
            offer,
            notice: Notice(
                member: current.asker.id,
                kind: .ask,
                key: "ask:\(current.ask.id):offer:\(helper.id)",
                title: "\(helper.name) offered to help: \(current.ask.request)",
                body: note,
                link: links.ask(current.ask.id)
            )
        )
        return try await visible(rawID, to: helper)
    }

    /// The asker accepts an offer: a conversation with the helper opens (or continues) with their note.
    public func acceptOffer(_ rawOffer: String, on rawID: String, by asker: Member) async throws -> (HelpAskView, Conversation.ID) {
        let current = try await visible(rawID, to: asker)
        guard current.ask.asker == asker.id, let offerID = AskOffer.ID(rawOffer),
            let offer = current.offers.first(where: { $0.offer.id == offerID })
        else { throw DomainError.notFound("offer") }
        guard try await asks.acceptOffer(offerID, on: current.ask.id, at: now()) != nil else { throw DomainError.notFound("offer") }
        let conversation = try await messages.openBetween(
            asker,
            and: offer.helper,
            body: "Thank you for offering to help with “\(current.ask.request)”.\n\n\(offer.helper.name) wrote: \(offer.offer.note)"
        )
        return (try await visible(rawID, to: asker), conversation)
    }

    /// "Not for me": it leaves the member's list; the asker is never told.
    public func decline(_ rawID: String, by member: Member) async throws {
        let current = try await visible(rawID, to: member)
        _ = try await asks.update(current.ask.id, at: now()) { ask in
            try ask.decline(by: member.id)
            return []
        }
    }

    /// The asker takes it back.
    public func withdraw(_ rawID: String, by asker: Member) async throws -> HelpAskView {
        let current = try await visible(rawID, to: asker)
        let moment = now()
        _ = try await asks.update(current.ask.id, at: moment) { ask in
            try ask.withdraw(by: asker.id, at: moment)
            return []
        }
        return try await visible(rawID, to: asker)
    }

    /// The asker closes it, naming who helped (each must have offered): each helper is thanked and
    /// their public count grows; the asker's own ledger records the help, the ties grow.
    public func resolve(
        _ rawID: String,
        helpedBy rawHelpers: [String]?,
        note rawNote: String?,
        by asker: Member
    ) async throws
        -> HelpAskView
    {
        let current = try await visible(rawID, to: asker)
        guard current.ask.asker == asker.id else { throw DomainError.notFound("ask") }
        let note = try Text.clean(rawNote ?? "", field: "note", max: Self.noteLimit, multiline: true)
        var helpers: [Member] = []
        for raw in rawHelpers ?? [] {
            guard let offer = current.offers.first(where: { $0.helper.handle.rawValue == raw.lowercased() }) else {
                throw DomainError.invalid(
                    field: "helped_by",
                    reason: "names only members who offered to help with this ask (\(raw) did not)"
                )
            }
            if !helpers.contains(where: { $0.id == offer.helper.id }) { helpers.append(offer.helper) }
        }
        let moment = now()
        let links = links
        let thanked = helpers
        let said = note.isEmpty ? "" : " “\(note)”"
        let resolved = try await asks.update(current.ask.id, at: moment) { ask in
            try ask.resolve(by: asker.id, helpers: thanked.map(\.id), at: moment)
            return thanked.map { helper in
                Notice(
                    member: helper.id,
                    kind: .ask,
                    key: "ask:\(ask.id):thanks:\(helper.id)",
                    title: "\(asker.name) thanked you for your help",
                    body: "With “\(ask.request)”.\(said)",
                    link: links.ask(ask.id)
                )
            }
        }
        guard resolved != nil else { throw DomainError.notFound("ask") }
        for helper in helpers {
            _ = try await contacts.logSeen(
                .helpReceived,
                help: current.kind.ledgerHelp,
                with: helper.id,
                note: "Helped with “\(current.ask.request)”",
                owner: asker
            )
            _ = try await contacts.logSeen(
                .helpGiven,
                help: current.kind.ledgerHelp,
                with: asker.id,
                note: "Helped with “\(current.ask.request)”",
                owner: helper
            )
            _ = try await connections.strengthen(asker.id, helper.id, by: IntroductionService.introducedStrength, now: moment)
        }
        if !helpers.isEmpty { try await graph.catchUp() }
        return try await visible(rawID, to: asker)
    }

    /// How many members this member was thanked for helping (shown on their profile).
    public func helpedCount(of member: Member.ID) async throws -> Int {
        try await asks.helpedCount(of: member)
    }

    /// Closes asks open for two weeks (the asker is told it closed). Run by the leased job runner.
    public func attend() async throws -> Int {
        let moment = now()
        var closed = 0
        let links = links
        for ask in try await asks.needingAttention(at: moment, limit: 500) where ask.kind == .help && ask.deadline <= moment {
            let changed = try await asks.update(ask.id, at: moment) { ask in
                guard ask.expire(at: moment) else { return [] }
                return [
                    Notice(
                        member: ask.asker,
                        kind: .ask,
                        key: "ask:\(ask.id):closed",
                        title: "Your ask closed after two weeks",
                        body: "“\(ask.request)” — you can ask again, perhaps of a wider audience.",
                        link: links.ask(ask.id)
                    )
                ]
            }
            if changed?.stage == .expired { closed += 1 }
        }
        return closed
    }

    // MARK: - Helpers

    static func sentence(_ reasons: [String]) -> String {
        switch reasons.count {
        case 0: return "you might know something about it"
        case 1: return reasons[0]
        default: return reasons.dropLast().joined(separator: ", ") + " and " + reasons[reasons.count - 1]
        }
    }

    private func visible(_ rawID: String, to member: Member) async throws -> HelpAskView {
        guard let id = Ask.ID(rawID), let ask = try await asks.ask(id), ask.kind == .help, let view = try await view(ask, for: member)
        else {
            throw DomainError.notFound("ask")
        }
        return view
    }

    private func view(_ ask: Ask, for member: Member) async throws -> HelpAskView? {
        guard let status = ask.status(seenBy: member.id), let asker = try await members.member(id: ask.asker),
            !(try await blocks.isBlocked(between: asker.id, and: member.id))
        else { return nil }
        let isAsker = member.id == ask.asker
        var offers: [HelpAskView.Offer] = []
        for offer in try await asks.offers(on: ask.id) where isAsker || offer.helper == member.id {
            if let helper = try await members.member(id: offer.helper) { offers.append(.init(offer: offer, helper: helper)) }
        }
        return HelpAskView(
            ask: ask,
            asker: asker,
            status: status,
            kind: HelpAskKind(rawValue: ask.purpose) ?? .other,
            reason: isAsker ? nil : ask.reasons[member.id],
            offers: offers,
            sentTo: isAsker ? ask.route.count : nil
        )
    }
}
