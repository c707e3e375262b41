import Foundation
import KithApp
import KithDemo
import KithDomain
import KithStorage
import KithTestSupport
import KithWeb
import Testing

/// The weekly run computes a batch of members' suggestions at once, with one read of each kind
/// for the batch. Whatever it shares between members must not change what any one of them is
/// shown: every list must be, member for member and in order, what that member's own request gives.
@Suite struct SuggestionBatchTests {
    /// Over a demo community with, between its members, blocks both ways, open requests both
    /// ways, hidden connection lists and hidden affiliations, members without a profile or a
    /// connection, and an employer whose newest staff mostly hide their affiliations (so a
    /// member's peers run past the first page the batch shares): the batch's suggestions and
    /// classmates-and-colleagues are each member's own.
    @Test func aBatchGivesEachMemberTheirOwnSuggestions() async throws {
        try await withMigratedStore { store async throws in
            try await DemoSeeding.seedIfEmpty(store, members: 120, publicURL: "http://kith.test")
            let clock = TestClock(Date())
            let services = testServices(store, clock: clock)
            let plans = SQLPlanRepository(store: store)
            let demo = try await plans.membersAwaitingWeeklyEmail(weekOf: .distantPast, after: nil, limit: 1_000).map(\.member)
            #expect(demo.count == 120)

            // An employer shared by two newcomers and 45 staff, the newest 36 hiding their affiliations.
            var newcomers: [Member] = []
            for handle in ["newcomer-a", "newcomer-b"] {
                let member = try await services.register(handle).member
                _ = try await services.profiles.addAffiliation(AffiliationInput(kind: "employer", organization: "Paging Works"), to: member)
                newcomers.append(member)
            }
            var staff: [Member] = []
            for index in 0..<45 {
                clock.advance(by: 60)
                let member = try await services.register("paging-staff-\(index)").member
                _ = try await services.profiles.addAffiliation(AffiliationInput(kind: "employer", organization: "Paging Works"), to: member)
                if index >= 9 {
                    _ = try await services.profiles.update(ProfileChanges(visibility: ["affiliations": "only_me"]), of: member)
                }
                staff.append(member)
            }
            // Blocks and open requests both ways; hidden connection lists and affiliations.
            try await services.blocks.block(handle: demo[1].handle.rawValue, by: demo[0])
            try await services.blocks.block(handle: demo[0].handle.rawValue, by: demo[2])
            try await services.blocks.block(handle: staff[0].handle.rawValue, by: newcomers[0])
            _ = try await services.connections.request(to: demo[3].handle.rawValue, note: nil, from: demo[0])
            _ = try await services.connections.request(to: demo[0].handle.rawValue, note: nil, from: demo[4])
            _ = try await services.connections.request(to: staff[1].handle.rawValue, note: nil, from: newcomers[1])
            for member in demo[10..<30] where member.handle.rawValue != DemoCommunity.demoHandle {
                let section = member.handle.rawValue.count % 2 == 0 ? "connections" : "affiliations"
                _ = try await services.profiles.update(ProfileChanges(visibility: [section: "only_me"]), of: member)
            }
            try await services.graph.rebuild()
            let everyone = demo + newcomers + staff

            // Classmates and colleagues, with a limit small enough that the hidden staff run the
            // newcomers past the shared first page.
            let profiles = SQLProfileRepository(store: store)
            let peers = try await profiles.affiliationPeers(ofEach: everyone.map(\.id), limit: 5)
            var compared = 0
            for member in everyone {
                let own = try await profiles.affiliationPeers(of: member.id, limit: 5)
                let batch = peers[member.id] ?? []
                #expect(batch.map(\.member.id) == own.map(\.member.id), "peers of \(member.handle)")
                #expect(batch.map(\.shared.id) == own.map(\.shared.id), "shared affiliations of \(member.handle)")
                compared += own.isEmpty ? 0 : 1
            }
            #expect(compared > 50)
            let newcomerPeers = try #require(peers[newcomers[0].id])
            // The five newest staff who show their affiliations (the newer ones hide them).
            #expect(newcomerPeers.map(\.member.id) == staff[4..<9].reversed().map(\.id))

            // Suggestions, in batches of different sizes.
            var shown = 0
            for size in [7, everyone.count] {
                for start in stride(from: 0, to: everyone.count, by: size) {
                    let batch = Array(everyone[start..<min(everyone.count, start + size)])
                    let together = try await services.suggestions.suggestions(forEach: batch, limit: "20")
                    for member in batch {
                        let own = try await services.suggestions.suggestions(for: member, limit: "20")
                        let got = together[member.id] ?? []
                        // The same people in the same order, with the same reasons, scores and summaries.
                        #expect(got == own, "suggestions for \(member.handle)")
                        shown += got.count
                    }
                }
            }
            #expect(shown > 20 * everyone.count)
            // The rules hold in the batch: nobody blocked either way or with an open request.
            let forDemo0 = try await services.suggestions.suggestions(forEach: everyone, limit: "50")[demo[0].id] ?? []
            let excluded = Set([demo[1], demo[2], demo[3], demo[4]].map(\.handle))
            #expect(!forDemo0.isEmpty && forDemo0.allSatisfy { !excluded.contains($0.member.handle) && $0.member.handle != demo[0].handle })
        }
    }
}
