import Foundation
import KithApp
import KithDemo
import KithDomain
import KithStorage
import KithTestSupport
import KithWeb
import Testing

/// A member's suggestions are kept between asks (`SuggestionCache`) while nothing they were ranked
/// from changes. Whatever changes — on this instance or another sharing the database — the next
/// ask must give exactly what ranking afresh gives: the class of change does not matter.
@Suite struct SuggestionCacheTests {
    /// Two instances on one database, a demo community, and a random run of every kind of
    /// change suggestions depend on (blocks and unblocks, requests, accepted and withdrawn
    /// requests, disconnections, hidden and shown connection lists and affiliations, career
    /// stages and "open to" signals, affiliations added and removed, names and headlines, roles),
    /// each made on either instance. After each, six members ask twice on both instances for
    /// a page of 2, 5 or 20: each answer must equal a fresh ranking (`suggestions(forEach:)`,
    /// which never reads the cache), and the run must both reuse kept lists and see lists change.
    @Test func aKeptListIsNeverGivenAfterWhatItWasRankedFromChanged() async throws {
        try await withTwoInstances { first, second in
            try await DemoSeeding.seedIfEmpty(first, members: 80, publicURL: "http://kith.test")
            let here = testServices(first)
            let there = testServices(second)
            try await here.graph.rebuild()
            try await there.graph.rebuild()
            let plans = SQLPlanRepository(store: first)
            let everyone = try await plans.membersAwaitingWeeklyEmail(weekOf: .distantPast, after: nil, limit: 1_000).map(\.member)
            #expect(everyone.count == 80)
            let watched = Array(everyone.prefix(6))
            let actors = Array(everyone.prefix(30))
            var rng = SplitMix64(seed: 2026)
            var openRequests: [(id: String, to: Member)] = []
            var previous: [String: [Suggestion]] = [:]
            var changedLists = 0
            var steps = 0

            for step in 0..<40 {
                let services = step % 2 == 0 ? here : there
                // Half the time a watched member acts, so their own blocks and requests change often.
                let a =
                    Bool.random(using: &rng)
                    ? watched[Int.random(in: 0..<watched.count, using: &rng)] : actors[Int.random(in: 0..<actors.count, using: &rng)]
                var b = actors[Int.random(in: 0..<actors.count, using: &rng)]
                if b.id == a.id { b = actors[(actors.firstIndex(of: a)! + 1) % actors.count] }
                switch Int.random(in: 0..<11, using: &rng) {
                case 0: _ = try? await services.blocks.block(handle: b.handle.rawValue, by: a)
                case 1: _ = try? await services.blocks.unblock(handle: b.handle.rawValue, by: a)
                case 2:
                    if let request = try? await services.connections.request(to: b.handle.rawValue, note: nil, from: a) {
                        openRequests.append((request.id.description, b))
                    }
                case 3:
                    if !openRequests.isEmpty {
                        let request = openRequests.removeFirst()
                        _ = try? await services.connections.accept(request.id, by: request.to)
                    }
                case 4: _ = try? await services.connections.disconnect(from: b.handle.rawValue, by: a)
                case 5:
                    let section = Bool.random(using: &rng) ? "connections" : "affiliations"
                    let visibility = Bool.random(using: &rng) ? "only_me" : "community"
                    _ = try await services.profiles.update(ProfileChanges(visibility: [section: visibility]), of: a)
                case 6:
                    let stage = CareerStage.allCases.randomElement(using: &rng)!
                    let openTo = OpenTo.allCases.shuffled(using: &rng).prefix(Int.random(in: 0...3, using: &rng))
                    _ = try await services.profiles.update(
                        ProfileChanges(careerStage: stage.rawValue, openTo: openTo.map(\.rawValue)),
                        of: a
                    )
                case 7:
                    // Shares an organisation and cohort with one of b's, so a classmate appears.
                    if let shared = try await services.profiles.own(b).affiliations?.first {
                        _ = try? await services.profiles.addAffiliation(
                            AffiliationInput(kind: shared.kind.rawValue, organization: shared.organization, cohort: shared.cohort),
                            to: a
                        )
                    }
                case 8:
                    if let mine = try await services.profiles.own(a).affiliations?.first {
                        try await services.profiles.removeAffiliation(id: mine.id.description, of: a)
                    }
                case 9:
                    _ = try await services.profiles.update(
                        ProfileChanges(name: "Renamed \(step)", headline: "Headline \(step)"),
                        of: a
                    )
                default:
                    _ = try? await services.accounts.setRole(Bool.random(using: &rng) ? "moderator" : "member", ofHandle: a.handle.rawValue)
                }
                // What the background catch-up does on each instance.
                try await here.graph.catchUp()
                try await there.graph.catchUp()
                for viewer in watched {
                    // Twice on each instance: the second ask may be served from the first.
                    for (name, instance) in [("here", here), ("there", there), ("here", here), ("there", there)] {
                        let limit = ["2", "5", "20"][Int.random(in: 0..<3, using: &rng)]
                        let asked = try await instance.suggestions.suggestions(for: viewer, limit: limit)
                        let ranked = try await instance.suggestions.suggestions(forEach: [viewer], limit: limit)[viewer.id] ?? []
                        #expect(asked == ranked, "step \(step): \(viewer.handle) on \(name), limit \(limit)")
                        let key = "\(viewer.id) \(name) \(limit)"
                        if let before = previous[key], before != asked { changedLists += 1 }
                        previous[key] = asked
                    }
                }
                steps += 1
            }
            #expect(steps == 40)
            // The run reused kept lists (asked twice between changes below) and saw lists change.
            for viewer in watched {
                _ = try await here.suggestions.suggestions(for: viewer, limit: "20")
                let before = here.suggestions.cacheCounts.hits
                let again = try await here.suggestions.suggestions(for: viewer, limit: "5")
                #expect(here.suggestions.cacheCounts.hits == before + 1, "a shorter page comes from the kept list")
                #expect(again == (try await here.suggestions.suggestions(forEach: [viewer], limit: "5")[viewer.id] ?? []))
            }
            // Whom a list leaves out changes while no version moves: a request sent, a block made
            // on the other instance. Neither member may appear at the next ask.
            let viewer = watched[0]
            let before = try await here.suggestions.suggestions(for: viewer, limit: "20")
            let requested = try #require(before.first).member.handle
            _ = try await here.connections.request(to: requested.rawValue, note: nil, from: viewer)
            let afterRequest = try await here.suggestions.suggestions(for: viewer, limit: "20")
            #expect(!afterRequest.contains { $0.member.handle == requested })
            let blocker = try #require(everyone.first { $0.handle == afterRequest.first?.member.handle })
            try await there.blocks.block(handle: viewer.handle.rawValue, by: blocker)
            let afterBlock = try await here.suggestions.suggestions(for: viewer, limit: "20")
            #expect(!afterBlock.contains { $0.member.handle == blocker.handle })
            #expect(afterBlock == (try await here.suggestions.suggestions(forEach: [viewer], limit: "20")[viewer.id] ?? []))
            #expect(here.suggestions.cacheCounts.hits > 50 && there.suggestions.cacheCounts.hits > 50)
            #expect(changedLists > 20)
        }
    }
}
