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

    struct Candidate {
        var member: Member?
        var id: Member.ID?
        var vertex: Int32?
        var mutuals = 0
        var adamicAdar = 0.0
        var shared: Affiliation?
    }

    public func suggestions(for viewer: Member, limit rawLimit: String?) async throws -> [Suggestion] {
        let limit = try PageSize(rawLimit).value
        let queries = graph.queries
        let viewerVertex = try await graph.vertex(of: viewer.id)
        var byVertex: [Int32: Candidate] = [:]
        if let viewerVertex {
            for (candidate, _) in queries.topCandidates(
                of: viewerVertex,
                limit: 80,
                score: { $0.adamicAdar * WeakTie.factor(mutuals: $0.mutualCount) }
            ) {
                byVertex[candidate.vertex] = Candidate(
                    vertex: candidate.vertex,
                    mutuals: candidate.mutualCount,
                    adamicAdar: candidate.adamicAdar
                )
            }
        }
        let resolved = try await graph.members(at: Array(byVertex.keys))
        var byID: [Member.ID: Candidate] = [:]
        for (vertex, var candidate) in byVertex {
            guard let member = resolved[vertex] else { continue }
            candidate.member = member
            byID[member.id] = candidate
        }
        for (member, shared) in try await profiles.affiliationPeers(of: viewer.id, limit: 60) where member.id != viewer.id {
            var candidate = byID[member.id] ?? Candidate(member: member)
            if candidate.shared == nil || (candidate.shared?.cohort.isEmpty ?? true) { candidate.shared = shared }
            byID[member.id] = candidate
        }
        // Never suggest yourself, your connections, people you have an open request with, or anyone blocked.
        let excluded = Set(try await blocks.blockedEither(of: viewer.id))
            .union(try await requests.openRequestCounterparts(of: viewer.id, now: now()))
        // Graph candidates came with their vertex; only classmates and colleagues need theirs.
        var vertices = try await graph.vertices(of: byID.compactMap { $0.value.vertex == nil ? $0.key : nil })
        for (id, candidate) in byID { if let vertex = candidate.vertex { vertices[id] = vertex } }
        byID = byID.filter { id, _ in
            guard id != viewer.id, !excluded.contains(id) else { return false }
            if let viewerVertex, let vertex = vertices[id], queries.graph.areConnected(viewerVertex, vertex) { return false }
            return true
        }
        for (id, var candidate) in byID where candidate.vertex == nil {
            if let viewerVertex, let vertex = vertices[id] {
                candidate.vertex = vertex
                candidate.mutuals = queries.mutualCount(viewerVertex, vertex)
                byID[id] = candidate
            }
        }
        let profilesByID = try await profiles.profiles(of: Array(byID.keys) + [viewer.id])
        let viewerProfile = profilesByID[viewer.id] ?? Profile(memberID: viewer.id, updatedAt: viewer.createdAt)

        var scored: [(suggestion: Suggestion, cohort: String)] = []
        for (id, candidate) in byID {
            guard let member = candidate.member else { continue }
            let profile = profilesByID[id] ?? Profile(memberID: id, updatedAt: member.createdAt)
            let complement = Self.complement(viewer: viewerProfile, candidate: profile)
            // Shared connections count — in the reasons, the score and so the order — only when the
            // candidate shows their connections list to the community: a hidden list must not be
            // readable from a number or a ranking either.
            let listShown = ProfilePolicy.canSee(.connections, of: profile, as: .member)
            let score = SuggestionScoring.score(
                adamicAdar: listShown ? candidate.adamicAdar : 0,
                mutuals: listShown ? candidate.mutuals : 0,
                sharedCohort: candidate.shared.map { !$0.cohort.isEmpty } ?? false,
                sharedOrganization: candidate.shared != nil,
                complementary: complement != nil
            )
            var reasons: [String] = []
            // The count of shared connections is only told when the candidate shows their
            // connections list to the community.
            if candidate.mutuals > 0 && listShown {
                reasons.append(candidate.mutuals == 1 ? "1 mutual connection" : "\(candidate.mutuals) mutual connections")
            }
            if let shared = candidate.shared {
                reasons.append(shared.cohort.isEmpty ? "Both at \(shared.organization)" : "Both \(shared.cohort) at \(shared.organization)")
            }
            if let complement { reasons.append(complement) }
            guard !reasons.isEmpty else { continue }
            scored.append(
                (
                    Suggestion(member: MemberSummary(member: member, profile: profile, relation: .member), score: score, reasons: reasons),
                    candidate.shared?.cohort ?? ""
                )
            )
        }
        scored.sort {
            $0.suggestion.score != $1.suggestion.score
                ? $0.suggestion.score > $1.suggestion.score : $0.suggestion.member.handle < $1.suggestion.member.handle
        }
        return Self.diversified(scored, limit: limit)
    }

    /// At most three people from one cohort in the list, unless nothing else is left.
    static func diversified(_ scored: [(suggestion: Suggestion, cohort: String)], limit: Int) -> [Suggestion] {
        var chosen: [Suggestion] = []
        var perCohort: [String: Int] = [:]
        var deferred: [Suggestion] = []
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
    static func complement(viewer: Profile, candidate: Profile) -> String? {
        let early: Set<CareerStage> = [.student, .earlyCareer]
        let experienced: Set<CareerStage> = [.midCareer, .senior, .retired]
        if let stage = viewer.careerStage, early.contains(stage), let theirs = candidate.careerStage, experienced.contains(theirs),
            candidate.openTo.contains(.mentoring)
        {
            return "Open to mentoring" + (candidate.industry.isEmpty ? "" : " in \(candidate.industry.lowercased())")
        }
        if let stage = viewer.careerStage, experienced.contains(stage), viewer.openTo.contains(.mentoring),
            let theirs = candidate.careerStage, early.contains(theirs), candidate.openTo.contains(.beingMentored)
        {
            return "Looking for a mentor" + (candidate.industry.isEmpty ? "" : " in \(candidate.industry.lowercased())")
        }
        if viewer.careerStage == .inTransition && candidate.openTo.contains(.givingReferrals) {
            return "Gives referrals"
        }
        if viewer.openTo.contains(.hiring) && candidate.openTo.contains(.referrals) {
            return "Open to new roles"
        }
        return nil
    }
}
