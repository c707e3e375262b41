import Foundation
import KithApp
import KithDemo
import KithDomain
import KithTestSupport
import KithWeb
import Testing

@Suite struct ProfileServiceTests {
    @Test func updatesOnlyTheGivenFields() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            let ada = try await services.register("ada")

            _ = try await services.profiles.update(
                ProfileChanges(headline: "Engineer", skills: ["Swift", "swift", " SQL "]),
                of: ada.member
            )
            let view = try await services.profiles.update(ProfileChanges(bio: "Hello"), of: ada.member)

            #expect(view.headline == "Engineer")
            #expect(view.skills == ["Swift", "SQL"])
            #expect(view.bio == "Hello")
        }
    }

    @Test func aFailedUpdateChangesNothing() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            let ada = try await services.register("ada")
            _ = try await services.profiles.update(ProfileChanges(headline: "Before"), of: ada.member)

            do {
                _ = try await services.profiles.update(
                    ProfileChanges(headline: "After", careerStage: "wizard", openTo: ["napping"], visibility: ["bio": "friends"]),
                    of: ada.member
                )
                Issue.record("the update should fail")
            } catch DomainError.invalid(let errors) {
                #expect(Set(errors.map(\.field)) == ["career_stage", "open_to", "visibility.bio"])
            }

            #expect(try await services.profiles.own(ada.member).headline == "Before")
        }
    }

    @Test func affiliationsAreValidatedAndOnlyTheOwnerCanRemoveThem() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            let ada = try await services.register("ada")
            let bob = try await services.register("bob")
            await #expect(throws: DomainError.self) {
                try await services.profiles.addAffiliation(
                    AffiliationInput(kind: "school", organization: "X", startYear: 2010, endYear: 2005),
                    to: ada.member
                )
            }
            let school = try await services.profiles.addAffiliation(
                AffiliationInput(kind: "school", organization: "Northfield University", cohort: "Class of 2015"),
                to: ada.member
            )

            await #expect(throws: DomainError.notFound("affiliation")) {
                try await services.profiles.removeAffiliation(id: school.id.description, of: bob.member)
            }
            try await services.profiles.removeAffiliation(id: school.id.description, of: ada.member)
            #expect(try await services.profiles.own(ada.member).affiliations == [])
        }
    }

    @Test func blockedMembersDisappearForEachOther() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            let ada = try await services.register("ada")
            let bob = try await services.register("bob")

            try await services.blocks.block(handle: "bob", by: ada.member)

            await #expect(throws: DomainError.notFound("member")) { try await services.profiles.view(handle: "bob", by: ada.member) }
            await #expect(throws: DomainError.notFound("member")) { try await services.profiles.view(handle: "ada", by: bob.member) }
            let seenByBob = try await services.directory.search(DirectorySearch(), by: bob.member).items.map(\.handle.rawValue)
            #expect(seenByBob == ["bob"])

            try await services.blocks.unblock(handle: "bob", by: ada.member)
            #expect(try await services.profiles.view(handle: "ada", by: bob.member).name == "Ada")
        }
    }
}

@Suite struct DemoCommunityTests {
    @Test func isDeterministicAndValid() {
        let community = DemoCommunity(size: 500)
        let first = community.members(in: 0..<500)
        let second = community.members(in: 0..<500)

        #expect(first.map(\.member.handle) == second.map(\.member.handle))
        #expect(Set(first.map(\.member.handle)).count == 500)
        #expect(Set(first.map(\.member.email)).count == 500)
        #expect(first[0].member.email.rawValue == DemoCommunity.demoEmail)
        let stages = Set(first.compactMap(\.profile.careerStage))
        #expect(stages == Set(CareerStage.allCases))
        #expect(first.allSatisfy { $0.affiliations.contains { $0.kind == .school && $0.cohort.hasPrefix("Class of ") } })
    }
}
