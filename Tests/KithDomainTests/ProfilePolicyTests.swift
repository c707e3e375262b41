import Foundation
import KithDomain
import KithTestSupport
import Testing

@Suite struct ProfilePolicyTests {
    static let member = Member(
        id: .make(at: t0),
        email: try! EmailAddress("ada@example.org"),
        handle: try! Handle("ada"),
        name: "Ada",
        role: .member,
        createdAt: t0
    )

    static func profile(_ level: Visibility) -> Profile {
        Profile(
            memberID: member.id,
            headline: "Engineer",
            bio: "Secret bio",
            location: "London",
            skills: ["Swift"],
            website: "https://ada.example",
            visibility: Dictionary(uniqueKeysWithValues: ProfileSection.allCases.map { ($0, level) }),
            updatedAt: t0
        )
    }

    @Test(arguments: [
        (Visibility.community, ViewerRelation.member, true), (.community, .connection, true), (.community, .owner, true),
        (.connections, .member, false), (.connections, .connection, true), (.connections, .owner, true),
        (.onlyMe, .member, false), (.onlyMe, .connection, false), (.onlyMe, .owner, true),
    ])
    func everySectionFollowsItsVisibility(level: Visibility, relation: ViewerRelation, visible: Bool) {
        let view = ProfilePolicy.view(member: Self.member, profile: Self.profile(level), affiliations: [], as: relation)
        #expect((view.bio != nil) == visible)
        #expect((view.location != nil) == visible)
        #expect((view.skills != nil) == visible)
        #expect((view.affiliations != nil) == visible)
        #expect((view.contact != nil) == visible)
        #expect(view.headline == "Engineer")
        #expect((view.visibility != nil) == (relation == .owner))
    }

    @Test func contactIsHiddenFromTheCommunityByDefault() {
        let profile = Profile(memberID: Self.member.id, updatedAt: t0)
        let view = ProfilePolicy.view(member: Self.member, profile: profile, affiliations: [], as: .member)
        #expect(view.contact == nil)
        #expect(view.bio != nil)
    }
}
