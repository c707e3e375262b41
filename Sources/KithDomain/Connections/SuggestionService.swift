public import Foundation
import KithGraph

/// The suggestion score, in one place so the service and the quality benchmark agree.
public enum SuggestionScoring {
    public static func score(
        adamicAdar: Double,
        mutuals: Int,
        sharedCohort: Bool,
        sharedOrganization: Bool,
        complementary: Bool
    )
        -> Double
    {
        var score = adamicAdar * WeakTie.factor(mutuals: mutuals)
        if sharedCohort {
            score += 1.0
        } else if sharedOrganization {
            score += 0.5
        }
        if complementary { score += 0.6 }
        return score
    }
}

/// "People you may know", ranked for usefulness rather than for more connections:
/// Adamic–Adar over mutual connections (shared contacts who know few people say more), damped past
/// about ten mutuals (moderately weak ties helped job mobility most), blended with shared
/// affiliations (same cohort, same organisation) and complementary career stages (a student and a
/// senior member open to mentoring). The top list is diversified across cohorts. Reasons are built
/// only from what the whole community may see.
public struct SuggestionService: Sendable {
    private let profiles: any ProfileRepository
    private let blocks: any BlockRepository
    private let requests: any ConnectionRepository
    private let graph: NetworkGraph
    private let now: @Sendable () -> Date
    private let cache = SuggestionCache()

    public init(
        profiles: any ProfileRepository,
        blocks: any BlockRepository,
        requests: any ConnectionRepository,
        graph: NetworkGraph,
        now: @escaping @Sendable () -> Date
    ) {
        self.profiles = profiles
        self.blocks = blocks
        self.requests = requests
        self.graph = graph
        self.now = now
    }

    typealias Candidate = SuggestionPool.Candidate

    /// One member's suggestions: given again without ranking while nothing they are ranked from
    /// has changed (`SuggestionCache`); the member's blocks and open requests are read every time.
    public func suggestions(for viewer: Member, limit rawLimit: String?) async throws -> [Suggestion] {
        let limit = try PageSize(rawLimit).value
        // Read before anything is ranked: a change after this makes the next ask rank again.
        let graphVersion = graph.lastChange
        let membersVersion = try await profiles.memberDataMark()
        let exclusions = try await exclusions(of: [viewer.id])
        guard let membersVersion else {
            return try await ranked(for: [viewer], limit: limit, exclusions: exclusions)[viewer.id] ?? []
        }
        let version = SuggestionCache.Version(graph: graphVersion, members: membersVersion)
        let excluded = exclusions.of(viewer.id)
        if let kept = cache.suggestions(for: viewer.id, limit: limit, version: version, excluded: excluded) { return kept }
        let suggestions = try await ranked(for: [viewer], limit: limit, exclusions: exclusions)[viewer.id] ?? []
        cache.keep(suggestions, for: viewer.id, limit: limit, version: version, excluded: excluded)
        return suggestions
    }

    /// How often `suggestions(for:limit:)` gave a kept list (for the benchmarks and tests).
    public var cacheCounts: (hits: Int, misses: Int) { cache.counts }

    /// Several members' suggestions at once, each exactly as `suggestions(for:limit:)` gives it,
    /// with one read of each kind for all of them instead of one per member: the weekly run builds
    /// a batch of members' plans this way. Always ranked (nothing is kept).
    public func suggestions(forEach members: [Member], limit rawLimit: String?) async throws -> [Member.ID: [Suggestion]] {
        try await ranked(for: members, limit: PageSize(rawLimit).value, exclusions: nil)
    }

    /// Whom each member's list must leave out besides themselves and their connections.
    struct Exclusions: Sendable {
        var blocked: [Member.ID: Set<Member.ID>]
        var requested: [Member.ID: Set<Member.ID>]

        func of(_ member: Member.ID) -> Set<Member.ID> {
            (blocked[member] ?? []).union(requested[member] ?? [])
        }
    }

    /// Members blocked either way and members with an open request, for each of `members`.
    private func exclusions(of members: [Member.ID]) async throws -> Exclusions {
        async let blocked = blocks.blockedEither(ofEach: members)
        async let requested = requests.openRequestCounterparts(ofEach: members, now: now())
        return Exclusions(blocked: try await blocked, requested: try await requested)
    }

    /// Ranks each member's suggestions (`exclusions`: read here when nil, while the graph is walked).
    private func ranked(for members: [Member], limit: Int, exclusions known: Exclusions?) async throws -> [Member.ID: [Suggestion]] {
        var viewers: [Member] = []
        var seen = Set<Member.ID>()
        for member in members where seen.insert(member.id).inserted { viewers.append(member) }
        guard !viewers.isEmpty else { return [:] }
        let ids = viewers.map(\.id)
        let queries = graph.queries
        let viewerVertices = try await graph.vertices(of: ids)
        // Classmates and colleagues, blocks and open requests: read while the graph is walked.
        async let peersRead = profiles.affiliationPeers(ofEach: ids, limit: 60)
        async let exclusionsRead: Exclusions = {
            if let known { return known }
            return try await self.exclusions(of: ids)
        }()
        var candidateVertices = Set<Int32>()
        let fromGraph: [[GraphCandidate]] = viewers.map { viewer in
            guard let vertex = viewerVertices[viewer.id] else { return [] }
            return queries.topCandidates(of: vertex, limit: 80, score: { $0.adamicAdar * WeakTie.factor(mutuals: $0.mutualCount) })
                .map { candidate, _ in
                    candidateVertices.insert(candidate.vertex)
                    return candidate
                }
        }
        var pool = SuggestionPool(atVertices: try await graph.memberList(at: Array(candidateVertices)))
        let (peersOf, exclusions) = try await (peersRead, exclusionsRead)
        let candidatesOf = viewers.indices.map { index in
            pool.candidates(of: viewers[index].id, fromGraph: fromGraph[index], peers: peersOf[viewers[index].id] ?? [])
        }
        // Graph candidates came with their vertex; only classmates and colleagues may need theirs.
        pool.setVertices(try await graph.vertices(of: pool.withoutVertex))
        var keptOf: [[Candidate]] = []
        var wanted = Set<Int32>()
        for (index, viewer) in viewers.enumerated() {
            // Never suggest yourself, your connections, people you have an open request with, or anyone blocked.
            let excluded = exclusions.of(viewer.id)
            let viewerVertex = viewerVertices[viewer.id]
            var kept: [Candidate] = []
            kept.reserveCapacity(candidatesOf[index].count)
            for var candidate in candidatesOf[index] {
                let id = pool.members[Int(candidate.person)].id
                guard id != viewer.id && !excluded.contains(id) else { continue }
                if let viewerVertex, let vertex = candidate.vertex ?? pool.vertices[Int(candidate.person)] {
                    if queries.graph.areConnected(viewerVertex, vertex) { continue }
                    if candidate.vertex == nil {
                        candidate.vertex = vertex
                        candidate.mutuals = queries.mutualCount(viewerVertex, vertex)
                    }
                }
                kept.append(candidate)
                wanted.insert(candidate.person)
            }
            keptOf.append(kept)
        }
        // Scored from each candidate's traits (a few bytes each); whole profiles are read only for
        // the suggestions shown.
        let traitsByID = try await profiles.traits(of: ids + wanted.map { pool.members[Int($0)].id })
        pool.setTraits(traitsByID)
        var shownOf: [[Scored]] = []
        var profilesWanted = Set<Member.ID>()
        for (index, viewer) in viewers.enumerated() {
            let shown = Self.ranked(
                keptOf[index],
                viewer: traitsByID[viewer.id] ?? .ofMemberWithoutProfile(viewer),
                peers: peersOf[viewer.id] ?? [],
                pool: pool,
                limit: limit
            )
            for scored in shown { profilesWanted.insert(pool.members[Int(scored.candidate.person)].id) }
            shownOf.append(shown)
        }
        let profilesByID = try await profiles.profiles(of: Array(profilesWanted))
        var result: [Member.ID: [Suggestion]] = Dictionary(minimumCapacity: viewers.count)
        for (index, viewer) in viewers.enumerated() {
            let peers = peersOf[viewer.id] ?? []
            result[viewer.id] = shownOf[index].map { shown in
                let member = pool.members[Int(shown.candidate.person)]
                return shown.suggestion(
                    member: member,
                    shared: shown.candidate.sharedAt.map { peers[$0].shared },
                    profile: profilesByID[member.id] ?? Profile(memberID: member.id, updatedAt: member.createdAt)
                )
            }
        }
        return result
    }

    /// One member's candidates scored, ordered and diversified: the `limit` to show.
    private static func ranked(
        _ kept: [Candidate],
        viewer viewerTraits: ProfileTraits,
        peers: [(member: Member, shared: Affiliation)],
        pool: SuggestionPool,
        limit: Int
    ) -> [Scored] {
        var scored: [Scored] = []
        scored.reserveCapacity(kept.count)
        for candidate in kept {
            let traits = pool.traits(of: candidate.person)
            let complement = Self.complement(viewer: viewerTraits, candidate: traits)
            // Shared connections count — in the reasons, the score and so the order — only when the
            // candidate shows their connections list to the community: a hidden list must not be
            // readable from a number or a ranking either.
            let listShown = ProfilePolicy.canSee(.connections, of: traits, as: .member)
            let cohort = candidate.sharedAt.map { peers[$0].shared.cohort }
            guard (candidate.mutuals > 0 && listShown) || cohort != nil || complement != nil else { continue }
            let score = SuggestionScoring.score(
                adamicAdar: listShown ? candidate.adamicAdar : 0,
                mutuals: listShown ? candidate.mutuals : 0,
                sharedCohort: cohort.map { !$0.isEmpty } ?? false,
                sharedOrganization: cohort != nil,
                complementary: complement != nil
            )
            scored.append(
                Scored(
                    candidate: candidate,
                    handle: pool.members[Int(candidate.person)].handle,
                    cohort: cohort ?? "",
                    score: score,
                    listShown: listShown,
                    complement: complement
                )
            )
        }
        // Sorted by place, not moved.
        let order = scored.indices.sorted {
            scored[$0].score != scored[$1].score ? scored[$0].score > scored[$1].score : scored[$0].handle < scored[$1].handle
        }
        return Self.diversified(order.map { ($0, scored[$0].cohort) }, limit: limit).map { scored[$0] }
    }

    struct Scored {
        var candidate: Candidate
        var handle: Handle
        /// The shared affiliation's cohort ("" when none, or an organisation without one).
        var cohort: String
        var score: Double
        var listShown: Bool
        var complement: Complement?

        func suggestion(member: Member, shared: Affiliation?, profile: Profile) -> Suggestion {
            var reasons: [String] = []
            // The count of shared connections is only told when the candidate shows their
            // connections list to the community.
            if candidate.mutuals > 0 && listShown {
                reasons.append(candidate.mutuals == 1 ? "1 mutual connection" : "\(candidate.mutuals) mutual connections")
            }
            if let shared {
                reasons.append(shared.cohort.isEmpty ? "Both at \(shared.organization)" : "Both \(shared.cohort) at \(shared.organization)")
            }
            if let complement { reasons.append(complement.reason(industry: profile.industry)) }
            return Suggestion(member: MemberSummary(member: member, profile: profile, relation: .member), score: score, reasons: reasons)
        }
    }

    /// At most three people from one cohort in the list, unless nothing else is left.
    static func diversified<Item>(_ scored: [(suggestion: Item, cohort: String)], limit: Int) -> [Item] {
        var chosen: [Item] = []
        var perCohort: [String: Int] = [:]
        var deferred: [Item] = []
        for (suggestion, cohort) in scored {
            if !cohort.isEmpty && perCohort[cohort, default: 0] >= 3 {
                deferred.append(suggestion)
                continue
            }
            perCohort[cohort, default: 0] += 1
            chosen.append(suggestion)
            if chosen.count == limit { return chosen }
        }
        return Array((chosen + deferred).prefix(limit))
    }

    /// A public reason the two could help each other, from stages and "open to" signals.
    enum Complement {
        case opensToMentoring, looksForAMentor, givesReferrals, opensToNewRoles

        func reason(industry: String) -> String {
            let inIndustry = industry.isEmpty ? "" : " in \(industry.lowercased())"
            switch self {
            case .opensToMentoring: return "Open to mentoring" + inIndustry
            case .looksForAMentor: return "Looking for a mentor" + inIndustry
            case .givesReferrals: return "Gives referrals"
            case .opensToNewRoles: return "Open to new roles"
            }
        }
    }

    static func complement(viewer: ProfileTraits, candidate: ProfileTraits) -> Complement? {
        guard let stage = viewer.careerStage else {
            return viewer.isOpen(to: .hiring) && candidate.isOpen(to: .referrals) ? .opensToNewRoles : nil
        }
        let theirs = candidate.careerStage
        if stage.isEarly, theirs?.isExperienced == true, candidate.isOpen(to: .mentoring) { return .opensToMentoring }
        if stage.isExperienced, viewer.isOpen(to: .mentoring), theirs?.isEarly == true, candidate.isOpen(to: .beingMentored) {
            return .looksForAMentor
        }
        if stage == .inTransition && candidate.isOpen(to: .givingReferrals) { return .givesReferrals }
        if viewer.isOpen(to: .hiring) && candidate.isOpen(to: .referrals) { return .opensToNewRoles }
        return nil
    }
}

extension CareerStage {
    /// Students and early-career members: the ones a mentor is for.
    fileprivate var isEarly: Bool { self == .student || self == .earlyCareer }
    /// Mid-career, senior and retired members: the ones who mentor.
    fileprivate var isExperienced: Bool { self == .midCareer || self == .senior || self == .retired }
}
