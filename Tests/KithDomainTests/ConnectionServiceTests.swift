import Foundation
import KithApp
import KithDomain
import KithGraph
import KithStorage
import KithTestSupport
import KithWeb
import Testing

@Suite struct ConnectionServiceTests {
    static func three(_ services: Services) async throws -> (Member, Member, Member) {
        (
            try await services.register("ada").member, try await services.register("bob").member,
            try await services.register("cyd").member
        )
    }

    @Test func requestAcceptConnectsAndTheGraphKnowsAtOnce() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            let (ada, bob, _) = try await Self.three(services)

            let sent = try await services.connections.request(to: "bob", note: "Loved your talk", from: ada)
            #expect(sent.status == .pending)
            let inbox = try await services.connections.requests(box: "incoming", of: bob, after: nil, limit: nil)
            #expect(inbox.items.map(\.note) == ["Loved your talk"])

            let accepted = try await services.connections.accept(sent.id.description, by: bob)

            #expect(accepted.status == .accepted)
            let relationship = try await services.relationships.relationship(with: "bob", viewer: ada)
            #expect(relationship.degree == 1)
            #expect(try await services.connections.connectionCount(of: ada) == 1)
        }
    }

    /// Every change publishes a new snapshot of the graph; each borrows the same scratch buffers
    /// (a new pool per snapshot allocated a buffer per member for the first queries after every change).
    @Test func theGraphKeepsItsScratchBuffersAcrossChanges() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            let (ada, bob, cyd) = try await Self.three(services)
            let pool = services.graph.queries.scratchPool
            for (asker, other) in [(ada, "bob"), (bob, "cyd"), (cyd, "ada")] {
                let sent = try await services.connections.request(to: other, note: nil, from: asker)
                let answerer = other == "bob" ? bob : other == "cyd" ? cyd : ada
                _ = try await services.connections.accept(sent.id.description, by: answerer)
                #expect(try await services.relationships.relationship(with: other, viewer: asker).degree == 1)
                #expect(services.graph.queries.scratchPool == pool)
            }
            try await services.graph.rebuild()
            #expect(services.graph.queries.scratchPool == pool)
            #expect(try await services.relationships.relationship(with: "cyd", viewer: ada).degree == 1)
        }
    }

    @Test func anIgnoredRequestLooksPendingToItsSenderUntilItExpires() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let services = testServices(store, clock: clock)
            let (ada, bob, _) = try await Self.three(services)
            let sent = try await services.connections.request(to: "bob", note: nil, from: ada)

            try await services.connections.ignore(sent.id.description, by: bob)

            let outgoing = try await services.connections.requests(box: "outgoing", of: ada, after: nil, limit: nil)
            #expect(outgoing.items.map(\.status) == [.pending])
            #expect(try await services.connections.requests(box: "incoming", of: bob, after: nil, limit: nil).items.isEmpty)
            await #expect(throws: DomainError.self) { try await services.connections.request(to: "bob", note: nil, from: ada) }

            clock.advance(by: 31 * 86_400)
            #expect(try await services.connections.expireRequests() == 1)
            let later = try await services.connections.requests(box: "outgoing", of: ada, after: nil, limit: nil)
            #expect(later.items.map(\.status) == [.expired])
            _ = try await services.connections.request(to: "bob", note: "Trying again", from: ada)
        }
    }

    @Test func crossingRequestsConnectInsteadOfDuplicating() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            let (ada, bob, _) = try await Self.three(services)
            _ = try await services.connections.request(to: "bob", note: nil, from: ada)

            let answer = try await services.connections.request(to: "ada", note: nil, from: bob)

            #expect(answer.status == .accepted)
            #expect(try await services.relationships.relationship(with: "ada", viewer: bob).degree == 1)
            await #expect(throws: DomainError.conflict(field: "to", message: "You are already connected with Ada.")) {
                try await services.connections.request(to: "ada", note: nil, from: bob)
            }
        }
    }

    @Test func rulesSelfBlockedAndWeeklyLimit() async throws {
        try await withMigratedStore { store async throws in
            let services = Services(
                store: store,
                hasher: BcryptPasswordHasher(cost: 4),
                connectionSettings: .init(weeklyRequestLimit: 1),
                now: { t0 }
            )
            let (ada, bob, _) = try await Self.three(services)
            await #expect(throws: DomainError.invalid(field: "to", reason: "You cannot connect with yourself.")) {
                try await services.connections.request(to: "ada", note: nil, from: ada)
            }
            try await services.blocks.block(handle: "ada", by: bob)
            await #expect(throws: DomainError.notFound("member")) {
                try await services.connections.request(to: "bob", note: nil, from: ada)
            }
            _ = try await services.register("dan")
            _ = try await services.connections.request(to: "cyd", note: nil, from: ada)
            await #expect(throws: DomainError.rateLimited(retryAfterSeconds: 86_400)) {
                try await services.connections.request(to: "dan", note: nil, from: ada)
            }
            await #expect(throws: DomainError.self) {
                try await services.connections.request(to: "cyd", note: String(repeating: "x", count: 301), from: bob)
            }
        }
    }

    @Test func blockingEndsAConnectionAndPathsAvoidBlockers() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            let (ada, bob, cyd) = try await Self.three(services)
            let dan = try await services.register("dan").member
            for (from, to) in [(ada, "bob"), (bob, "cyd"), (ada, "dan"), (dan, "cyd")] {
                let request = try await services.connections.request(to: to, note: nil, from: from)
                let recipient = [bob, cyd, dan].first { $0.handle.rawValue == to }!
                _ = try await services.connections.accept(request.id.description, by: recipient)
            }
            let before = try await services.relationships.relationship(with: "cyd", viewer: ada)
            #expect(before.degree == 2)
            #expect(Set(before.mutuals.map(\.handle.rawValue)) == ["bob", "dan"])

            try await services.blocks.block(handle: "ada", by: bob)

            let after = try await services.relationships.relationship(with: "cyd", viewer: ada)
            #expect(after.mutuals.map(\.handle.rawValue) == ["dan"])
            #expect(after.paths.allSatisfy { !$0.map(\.handle.rawValue).contains("bob") })
            await #expect(throws: DomainError.notFound("member")) {
                try await services.relationships.relationship(with: "bob", viewer: ada)
            }
            #expect(try await services.connections.connectionCount(of: cyd) == 2)
            #expect(try await services.connections.connectionCount(of: ada) == 1)
        }
    }

    @Test func aHiddenConnectionsListIsRefused() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            let (ada, bob, _) = try await Self.three(services)
            _ = try await services.profiles.update(ProfileChanges(visibility: ["connections": "only_me"]), of: bob)
            await #expect(throws: DomainError.self) {
                try await services.connections.connections(of: "bob", viewer: ada, after: nil, limit: nil)
            }
            #expect(try await services.connections.connections(of: nil, viewer: bob, after: nil, limit: nil).items.isEmpty)
        }
    }

    @Test func suggestionsExplainThemselvesWithoutPrivateData() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            let (ada, bob, cyd) = try await Self.three(services)
            let eve = try await services.register("eve").member
            for member in [ada, cyd] {
                _ = try await services.profiles.addAffiliation(
                    AffiliationInput(kind: "school", organization: "Northfield University", cohort: "Class of 2015"),
                    to: member
                )
            }
            // Eve shares the cohort but hides her affiliations: no suggestion may reveal it.
            _ = try await services.profiles.addAffiliation(
                AffiliationInput(kind: "school", organization: "Northfield University", cohort: "Class of 2015"),
                to: eve
            )
            _ = try await services.profiles.update(ProfileChanges(visibility: ["affiliations": "only_me"]), of: eve)
            let request = try await services.connections.request(to: "bob", note: nil, from: ada)
            _ = try await services.connections.accept(request.id.description, by: bob)
            let second = try await services.connections.request(to: "cyd", note: nil, from: bob)
            _ = try await services.connections.accept(second.id.description, by: cyd)

            let suggestions = try await services.suggestions.suggestions(for: ada, limit: "10")

            #expect(suggestions.first?.member.handle.rawValue == "cyd")
            #expect(suggestions.first?.reasons.contains("1 mutual connection") == true)
            #expect(suggestions.first?.reasons.contains("Both Class of 2015 at Northfield University") == true)
            #expect(!suggestions.map(\.member.handle.rawValue).contains("eve"))
            #expect(!suggestions.map(\.member.handle.rawValue).contains("bob"))
        }
    }

    /// Complementary stages are a reason of their own, and one cohort fills at most three places
    /// while others are left.
    @Test func suggestionsGiveComplementaryStagesAndDiversifyCohorts() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            let student = try await services.register("stu").member
            _ = try await services.profiles.update(ProfileChanges(careerStage: "student"), of: student)
            let mentor = try await services.register("men").member
            _ = try await services.profiles.update(
                ProfileChanges(industry: "Education", careerStage: "senior", openTo: ["mentoring"]),
                of: mentor
            )
            let peer = try await services.register("pee").member
            _ = try await services.profiles.update(ProfileChanges(careerStage: "student", openTo: ["mentoring"]), of: peer)
            var classmates: [String] = []
            for index in 0..<5 {
                let classmate = try await services.register("cla\(index)").member
                classmates.append(classmate.handle.rawValue)
                _ = try await services.profiles.addAffiliation(
                    AffiliationInput(kind: "school", organization: "Northfield University", cohort: "Class of 2015"),
                    to: classmate
                )
            }
            let colleague = try await services.register("col").member
            for member in [student, colleague, mentor, peer] {
                _ = try await services.profiles.addAffiliation(AffiliationInput(kind: "employer", organization: "Acme Ltd"), to: member)
            }
            _ = try await services.profiles.addAffiliation(
                AffiliationInput(kind: "school", organization: "Northfield University", cohort: "Class of 2015"),
                to: student
            )

            let suggestions = try await services.suggestions.suggestions(for: student, limit: "10")
            let handles = suggestions.map(\.member.handle.rawValue)

            #expect(suggestions.first?.member.handle.rawValue == "men")
            #expect(suggestions.first?.reasons == ["Both at Acme Ltd", "Open to mentoring in education"])
            // Another student open to mentoring is no complement to a student.
            #expect(suggestions.first { $0.member.handle.rawValue == "pee" }?.reasons == ["Both at Acme Ltd"])
            // Three classmates first, then the colleague, then the classmates left over.
            #expect(handles.filter { classmates.contains($0) }.count == 5)
            let colleaguePlace = try #require(handles.firstIndex(of: "col"))
            #expect(handles[..<colleaguePlace].filter { classmates.contains($0) }.count == 3)
            #expect(handles.count == 8)
        }
    }
}

@Suite struct NetworkGraphTests {
    @Test func aSecondInstanceSeesAConnectionAfterCatchingUp() async throws {
        try await withMigratedStore { store async throws in
            let first = testServices(store)
            let second = testServices(store)
            try await second.graph.rebuild()
            let ada = try await first.register("ada").member
            let bob = try await first.register("bob").member
            let request = try await first.connections.request(to: "bob", note: nil, from: ada)
            _ = try await first.connections.accept(request.id.description, by: bob)
            #expect(try await second.relationships.relationship(with: "bob", viewer: ada).degree == nil)

            try await second.graph.catchUp()

            #expect(try await second.relationships.relationship(with: "bob", viewer: ada).degree == 1)
        }
    }

    @Test func concurrentAcceptsAndRemovesLeaveTheDatabaseAndTheGraphIdentical() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            let hub = try await services.register("hub").member
            var members: [Member] = []
            for index in 0..<200 { members.append(try await services.register("member-\(index)").member) }
            var requests: [(Member, String)] = []
            for member in members {
                requests.append(
                    (member, try await services.connections.request(to: "hub", note: nil, from: member).id.description)
                )
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, (member, id)) in requests.enumerated() {
                    group.addTask {
                        _ = try await services.connections.accept(id, by: hub)
                        if index % 3 == 0 { try await services.connections.disconnect(from: "hub", by: member) }
                    }
                }
                try await group.waitForAll()
            }
            try await services.graph.catchUp()
            var stored = Set<String>()
            var after: String?
            repeat {
                let page = try await services.connections.connections(of: nil, viewer: hub, after: after, limit: "100")
                stored.formUnion(page.items.map(\.handle.rawValue))
                after = page.next
            } while after != nil
            let fresh = testServices(store)
            try await fresh.graph.rebuild()
            for graph in [services.graph, fresh.graph] {
                let hubVertex = try await graph.vertex(of: hub.id)!
                let neighbours = Set(
                    try await graph.members(at: graph.queries.graph.neighbors(of: hubVertex)).values.map(\.handle.rawValue)
                )
                #expect(neighbours == stored)
            }
            #expect(stored.count == 200 - 67)
        }
    }
}

@Suite struct ConnectionPrivacyTests {
    @Test func mutualsAndPathsNeverRevealAHiddenConnectionsList() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            let ada = try await services.register("ada").member
            let bob = try await services.register("bob").member
            let cyd = try await services.register("cyd").member
            for (from, to, recipient) in [(ada, "bob", bob), (bob, "cyd", cyd)] {
                let request = try await services.connections.request(to: to, note: nil, from: from)
                _ = try await services.connections.accept(request.id.description, by: recipient)
            }
            // Both Bob and Cyd keep their connections to themselves: Ada may not learn Bob–Cyd.
            for member in [bob, cyd] {
                _ = try await services.profiles.update(ProfileChanges(visibility: ["connections": "only_me"]), of: member)
            }

            // Cyd and Ada share an employer, so Cyd is suggested for that (public) reason alone.
            for member in [ada, cyd] {
                _ = try await services.profiles.addAffiliation(AffiliationInput(kind: "employer", organization: "Acme Ltd"), to: member)
            }

            let hidden = try await services.relationships.relationship(with: "cyd", viewer: ada)
            // Not even the degree tells that Bob and Cyd are connected.
            #expect(hidden.degree == nil)
            #expect(hidden.mutuals.isEmpty && hidden.mutualCount == 0 && hidden.paths.isEmpty)
            let suggestion = try await services.suggestions.suggestions(for: ada, limit: "5").first { $0.member.handle.rawValue == "cyd" }
            #expect(suggestion?.reasons == ["Both at Acme Ltd"])
            // The hidden connection adds nothing to the score (so nothing to the order either).
            #expect(
                suggestion?.score
                    == SuggestionScoring.score(
                        adamicAdar: 0,
                        mutuals: 0,
                        sharedCohort: false,
                        sharedOrganization: true,
                        complementary: false
                    )
            )

            _ = try await services.profiles.update(ProfileChanges(visibility: ["connections": "connections"]), of: bob)
            _ = try await services.profiles.update(ProfileChanges(visibility: ["connections": "community"]), of: cyd)
            let shown = try await services.relationships.relationship(with: "cyd", viewer: ada)
            #expect(shown.degree == 2)
            #expect(shown.mutuals.map(\.handle.rawValue) == ["bob"])
            let counted = try await services.suggestions.suggestions(for: ada, limit: "5").first { $0.member.handle.rawValue == "cyd" }
            #expect((counted?.score ?? 0) > (suggestion?.score ?? 0))
            #expect(shown.paths.map { $0.map(\.handle.rawValue) } == [["ada", "bob", "cyd"]])
        }
    }
}
