import Foundation
import KithDomain
import Testing

/// The routing rule on its own: who a help ask reaches, in what order, and the words each reads.
@Suite struct AskRouterTests {
    static func member(_ handle: String) -> Member {
        Member(
            id: .make(at: Date()),
            email: try! EmailAddress("\(handle)@example.org"),
            handle: try! Handle(handle),
            name: handle.capitalized,
            role: .member,
            createdAt: Date()
        )
    }

    static func candidate(
        _ handle: String,
        degree: Int? = nil,
        skills: [String] = [],
        organizations: [String] = [],
        cohorts: [String] = [],
        stage: CareerStage? = nil,
        asked: Int = 0
    ) -> HelpCandidate {
        HelpCandidate(
            member: member(handle),
            degree: degree,
            skills: skills,
            organizations: organizations,
            cohorts: cohorts,
            stage: stage,
            askedThisWeek: asked
        )
    }

    @Test func skillsAndOrganisationOutrankClosenessAndNobodyWithoutAReasonIsAsked() {
        let routed = AskRouter.route(
            skills: ["SQL", "Spark"],
            organization: "Acme",
            asker: (.earlyCareer, ["Class of 2019"]),
            candidates: [
                Self.candidate("friend", degree: 1),
                Self.candidate("expert", skills: ["sql", "Spark", "Go"]),
                Self.candidate("insider", organizations: ["Acme Analytics"]),
                Self.candidate("classmate", cohorts: ["Class of 2019"]),
                Self.candidate("senior", stage: .senior),
                Self.candidate("stranger"),
            ]
        )
        // Two skills (6), the organisation (3), connected (1.5), then a shared cohort or further
        // along (1 each, in either order); the stranger has no reason to be asked.
        #expect(routed.prefix(3).map(\.member.handle.rawValue) == ["expert", "insider", "friend"])
        #expect(Set(routed.suffix(2).map(\.member.handle.rawValue)) == ["classmate", "senior"])
        let reasons = Dictionary(uniqueKeysWithValues: routed.map { ($0.member.handle.rawValue, $0.reasons) })
        #expect(reasons["expert"] == ["you list SQL, Spark among your skills"])
        #expect(reasons["insider"] == ["you have been at Acme Analytics"])
        #expect(reasons["friend"] == ["you are connected"])
        #expect(reasons["classmate"] == ["you share Class of 2019"])
        #expect(reasons["senior"] == ["you are further along in your career"])
    }

    @Test func atMostFiveAndAmongEqualsThoseAskedLeastThisWeek() {
        let candidates = (0..<8).map { Self.candidate("peer\($0)", skills: ["SQL"], asked: $0 % 3) }
        let routed = AskRouter.route(skills: ["SQL"], organization: "", asker: (nil, []), candidates: candidates)
        #expect(routed.count == AskRouter.perAsk)
        // Three asked 0 times, three once, two twice: the five are the 0s and two of the 1s.
        let asked = routed.map { candidate in candidates.first { $0.member.id == candidate.member.id }?.askedThisWeek ?? -1 }
        #expect(asked == [0, 0, 0, 1, 1])
        #expect(AskRouter.route(skills: ["Rust"], organization: "", asker: (nil, []), candidates: candidates).isEmpty)
    }
}
