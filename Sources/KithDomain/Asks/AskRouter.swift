public import Foundation

/// Someone a help ask could reach, described only by what the asker may see of them (their
/// community- or connection-visible skills and affiliations, their career stage) and where they
/// sit in the asker's network.
public struct HelpCandidate: Sendable, Equatable {
    public var member: Member
    /// 1 or 2; nil when further or unconnected.
    public var degree: Int?
    public var skills: [String]
    public var organizations: [String]
    public var cohorts: [String]
    public var stage: CareerStage?
    /// Asks of this kind that reached them in the last seven days.
    public var askedThisWeek: Int

    public init(
        member: Member,
        degree: Int?,
        skills: [String],
        organizations: [String],
        cohorts: [String],
        stage: CareerStage?,
        askedThisWeek: Int = 0
    ) {
        self.member = member
        self.degree = degree
        self.skills = skills
        self.organizations = organizations
        self.cohorts = cohorts
        self.stage = stage
        self.askedThisWeek = askedThisWeek
    }
}

/// One member an ask is routed to, with the reasons they will read ("you list SQL among your skills").
public struct RoutedCandidate: Sendable, Equatable {
    public var member: Member
    public var score: Double
    public var reasons: [String]
}

/// Chooses the few members most able to help with an ask: skills and organisation first, then
/// career stage, a shared cohort and closeness in the network. Pure: the service gathers the
/// candidates (within the audience, not blocked, not paused, under their weekly budget).
public enum AskRouter {
    /// At most this many members are asked for each ask.
    public static let perAsk = 5

    public static func route(
        skills wanted: [String],
        organization: String,
        asker: (stage: CareerStage?, cohorts: [String]),
        candidates: [HelpCandidate],
        limit: Int = perAsk
    ) -> [RoutedCandidate] {
        let wantedSkills = wanted.map { $0.lowercased() }
        let wantedOrganization = organization.lowercased()
        let askerCohorts = Set(asker.cohorts.map { $0.lowercased() }.filter { !$0.isEmpty })
        var scored: [(RoutedCandidate, Int)] = []
        for candidate in candidates {
            var score = 0.0
            var reasons: [String] = []
            let theirs = Set(candidate.skills.map { $0.lowercased() })
            let matched = zip(wanted, wantedSkills).filter { theirs.contains($0.1) }.map(\.0)
            if !matched.isEmpty {
                score += 3 * Double(matched.count)
                reasons.append("you list \(matched.joined(separator: ", ")) among your skills")
            }
            if !wantedOrganization.isEmpty,
                let place = candidate.organizations.first(where: {
                    let lower = $0.lowercased()
                    return lower == wantedOrganization || lower.contains(wantedOrganization) || wantedOrganization.contains(lower)
                })
            {
                score += 3
                reasons.append("you have been at \(place)")
            }
            if let theirs = candidate.stage?.seniority, let mine = asker.stage?.seniority ?? CareerStage.earlyCareer.seniority,
                theirs > mine
            {
                score += 1
                reasons.append("you are further along in your career")
            }
            if let cohort = candidate.cohorts.first(where: { askerCohorts.contains($0.lowercased()) }) {
                score += 1
                reasons.append("you share \(cohort)")
            }
            switch candidate.degree {
            case 1?:
                score += 1.5
                reasons.append("you are connected")
            case 2?:
                score += 0.75
                reasons.append("you know someone they know")
            default: break
            }
            guard score > 0 else { continue }
            scored.append((RoutedCandidate(member: candidate.member, score: score, reasons: reasons), candidate.askedThisWeek))
        }
        // Best first; among equals, those asked least this week, then a stable order.
        scored.sort { a, b in
            if a.0.score != b.0.score { return a.0.score > b.0.score }
            if a.1 != b.1 { return a.1 < b.1 }
            return a.0.member.id.description < b.0.member.id.description
        }
        return scored.prefix(limit).map(\.0)
    }
}

extension CareerStage {
    /// Further along is higher; in transition and retired carry no order.
    var seniority: Int? {
        switch self {
        case .student: 0
        case .earlyCareer: 1
        case .midCareer: 2
        case .senior: 3
        case .inTransition, .retired: nil
        }
    }
}
