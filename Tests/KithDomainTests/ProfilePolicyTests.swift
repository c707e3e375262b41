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

/// A profile's traits (what suggestions and routing score by) must say exactly what the profile
/// says: a traits bit out of place would let a hidden connections list count, or show a section.
@Suite struct ProfileTraitsTests {
    @Test func traitsAgreeWithTheirProfileForEveryCombination() {
        #expect(OpenTo.allCases.count <= 16, "traits keep one bit a signal in 16 bits")
        #expect(ProfileSection.allCases.count <= 8 && Visibility.allCases.count <= 4, "traits keep two bits a section in 16 bits")
        var generator = SystemRandomNumberGenerator()
        for round in 0..<2_000 {
            var visibility: [ProfileSection: Visibility] = [:]
            // Sometimes a section is left unset, so the default applies.
            for section in ProfileSection.allCases where Bool.random(using: &generator) {
                visibility[section] = Visibility.allCases.randomElement(using: &generator)
            }
            let profile = Profile(
                memberID: ProfilePolicyTests.member.id,
                careerStage: round % 7 == 0 ? nil : CareerStage.allCases.randomElement(using: &generator),
                openTo: Set(OpenTo.allCases.filter { _ in Bool.random(using: &generator) }),
                visibility: visibility,
                updatedAt: t0
            )
            let traits = ProfileTraits(profile)
            #expect(traits.careerStage == profile.careerStage)
            for signal in OpenTo.allCases { #expect(traits.isOpen(to: signal) == profile.openTo.contains(signal)) }
            for section in ProfileSection.allCases {
                #expect(traits.visibility(of: section) == profile.visibility(of: section))
                for relation in ViewerRelation.allCases {
                    #expect(
                        ProfilePolicy.canSee(section, of: traits, as: relation) == ProfilePolicy.canSee(section, of: profile, as: relation)
                    )
                }
            }
        }
    }
}
