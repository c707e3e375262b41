import Foundation
import KithDomain
import KithTestSupport
import KithWeb
import SQLKit
import Testing

@testable import KithStorage

/// The member cache (`MemberCards`): every committed change shows at the next read on every
/// instance — the visibility rules hold exactly as if nothing were cached — and reads that find
/// what they need make no query for it.
@Suite struct MemberCardsTests {
    @Test func aChangeCommittedOnOneInstanceShowsAtOnceOnTheOther() async throws {
        try await withTwoInstances { first, second in
            let here = testServices(first)
            let there = testServices(second)
            let owner = try await here.register("ada")
            let viewer = try await here.register("grace")
            _ = try await here.profiles.update(
                ProfileChanges(headline: "Engineer", skills: ["Swift", "Rust"], visibility: ["skills": "community"]),
                of: owner.member
            )
            _ = try await here.profiles.addAffiliation(
                AffiliationInput(kind: "school", organization: "Lyon Tech", cohort: "Class of 2015"),
                to: owner.member
            )
            // The other instance reads (and so keeps) the profile, the affiliations and the member.
            let before = try await there.profiles.view(handle: "ada", by: viewer.member)
            #expect(before.skills == ["Swift", "Rust"])
            #expect(before.affiliations?.map(\.organization) == ["Lyon Tech"])
            #expect(before.headline == "Engineer")
            let kept = second.memberCards.counts
            _ = try await there.profiles.view(handle: "ada", by: viewer.member)
            #expect(second.memberCards.counts.misses == kept.misses, "a second read finds everything kept")
            // Traits (what suggestions score by) are kept too, derived from the kept profile.
            let traitsThere = { try await SQLProfileRepository(store: second).traits(of: [owner.member.id])[owner.member.id] }
            #expect(try await traitsThere()?.visibility(of: .skills) == .community)
            #expect(try await traitsThere()?.visibility(of: .connections) == .community)

            // Hidden on the first instance: the second never shows it again, not even once.
            _ = try await here.profiles.update(
                ProfileChanges(name: "Ada L.", visibility: ["skills": "only_me", "affiliations": "only_me"]),
                of: owner.member
            )
            #expect(try await traitsThere()?.visibility(of: .skills) == .onlyMe, "the first read after the change, and of traits")
            let after = try await there.profiles.view(handle: "ada", by: viewer.member)
            #expect(after.skills == nil)
            #expect(after.affiliations == nil)
            #expect(after.name == "Ada L.")
            let repository = SQLProfileRepository(store: second)
            #expect(try await repository.profile(of: owner.member.id)?.visibility(of: .skills) == .onlyMe)

            // Affiliations added and removed elsewhere, and a role changed, show at once too.
            let added = try await here.profiles.addAffiliation(AffiliationInput(kind: "employer", organization: "Acme"), to: owner.member)
            #expect(try await repository.affiliations(of: owner.member.id).map(\.organization).sorted() == ["Acme", "Lyon Tech"])
            try await here.profiles.removeAffiliation(id: added.id.description, of: owner.member)
            #expect(try await repository.affiliations(of: owner.member.id).map(\.organization) == ["Lyon Tech"])
            let vertex = try #require(try await NetworkGraph(feed: SQLGraphFeed(store: second)).vertex(of: owner.member.id))
            #expect(try await SQLGraphFeed(store: second).members(at: [vertex])[vertex]?.role == .member)
            #expect(try await SQLMemberRepository(store: first).setRole(.moderator, of: owner.member.id))
            #expect(try await SQLGraphFeed(store: second).members(at: [vertex])[vertex]?.role == .moderator)
            // The same through the list that suggestions read (kept members straight from memory).
            let listed = try await SQLGraphFeed(store: second).memberList(at: [vertex])
            #expect(listed.vertices == [vertex] && listed.members.map(\.role) == [.moderator])
            #expect(try await SQLMemberRepository(store: first).setRole(.member, of: owner.member.id))
            #expect(try await SQLGraphFeed(store: second).memberList(at: [vertex]).members.map(\.role) == [.member])
        }
    }

    /// Within one request (`RequestScope`) the member cache reads the feed once: the request sees
    /// the data as of its first read, until it writes — then its next read catches up and sees
    /// everything committed, its own write and others'. A new request always reads the feed.
    @Test func aRequestReadsTheFeedOnceUntilItWrites() async throws {
        try await withTwoInstances { first, second in
            let here = testServices(first)
            let there = testServices(second)
            let ada = try await here.register("ada").member
            let viewer = try await here.register("grace").member
            _ = try await here.profiles.update(ProfileChanges(headline: "Engineer"), of: ada)
            try await RequestScope.$current.withValue(RequestScope(lifetime: 600)) { () async throws in
                #expect(try await there.profiles.view(handle: "ada", by: viewer).headline == "Engineer")
                // Another instance's write, outside this request (a detached task has no scope).
                _ = try await Task.detached { try await here.profiles.update(ProfileChanges(headline: "Pilot"), of: ada) }.value
                // The same request: its snapshot (this is the feed read the scope saves).
                #expect(try await there.profiles.view(handle: "ada", by: viewer).headline == "Engineer")
                _ = try await there.profiles.update(ProfileChanges(headline: "Reader"), of: viewer)
                #expect(try await there.profiles.view(handle: "ada", by: viewer).headline == "Pilot")
                #expect(try await there.profiles.view(handle: "grace", by: viewer).headline == "Reader")
            }
            _ = try await here.profiles.update(ProfileChanges(headline: "Astronaut"), of: ada)
            try await RequestScope.$current.withValue(RequestScope()) { () async throws in
                #expect(try await there.profiles.view(handle: "ada", by: viewer).headline == "Astronaut")
            }
        }
    }

    /// Classmates and colleagues (for suggestions): only those who show the community their
    /// affiliations, newest first however many newer ones hide theirs, and a change made on one
    /// instance counts on the other at its next read.
    @Test func affiliationPeersAreTheNewestWhoShowTheirAffiliations() async throws {
        try await withTwoInstances { first, second in
            let clock = TestClock()
            let here = testServices(first, clock: clock)
            let viewer = try await here.register("viewer").member
            _ = try await here.profiles.addAffiliation(AffiliationInput(kind: "employer", organization: "Acme Ltd"), to: viewer)
            var hidden: Set<Member.ID> = []
            var everyone: [Member.ID] = []
            for index in 0..<45 {
                clock.advance(by: 60)
                let peer = try await here.register("peer-\(index)").member
                everyone.append(peer.id)
                _ = try await here.profiles.addAffiliation(AffiliationInput(kind: "employer", organization: "Acme Ltd"), to: peer)
                // The newest 36 hide their affiliations: more than one page of the index.
                if index >= 9 {
                    _ = try await here.profiles.update(
                        ProfileChanges(visibility: ["affiliations": index % 2 == 0 ? "only_me" : "connections"]),
                        of: peer
                    )
                    hidden.insert(peer.id)
                }
            }
            let other = try await here.register("elsewhere").member
            _ = try await here.profiles.addAffiliation(AffiliationInput(kind: "employer", organization: "Other Co"), to: other)
            everyone.append(other.id)

            func expected(limit: Int) async throws -> [Member.ID] {
                let rows = try await SQLProfileRepository(store: first).affiliations(of: everyone)
                let shown: [Affiliation] = rows.values.flatMap { $0 }.filter { affiliation in
                    affiliation.organization == "Acme Ltd" && !hidden.contains(affiliation.memberID)
                }
                let newestFirst = shown.sorted { (a: Affiliation, b: Affiliation) -> Bool in
                    if a.createdAt != b.createdAt { return a.createdAt > b.createdAt }
                    return a.memberID.description > b.memberID.description
                }
                return Array(newestFirst.prefix(limit).map(\.memberID))
            }
            let peers = try await SQLProfileRepository(store: second).affiliationPeers(of: viewer.id, limit: 5)
            #expect(peers.map(\.member.id) == (try await expected(limit: 5)))
            #expect(peers.count == 5 && peers.allSatisfy { !hidden.contains($0.member.id) && $0.shared.organization == "Acme Ltd" })

            // The newest peer who shows them hides them on the first instance: gone on the second.
            let newest = try #require(peers.first?.member)
            _ = try await here.profiles.update(ProfileChanges(visibility: ["affiliations": "only_me"]), of: newest)
            hidden.insert(newest.id)
            let after = try await SQLProfileRepository(store: second).affiliationPeers(of: viewer.id, limit: 5)
            #expect(after.map(\.member.id) == (try await expected(limit: 5)))
            #expect(!after.map(\.member.id).contains(newest.id))

            // Each group's page is kept (asked again, nothing is read), and forgotten at any change:
            // a newcomer to the group on the first instance is a peer on the second at once, and
            // gone as soon as their affiliation is removed.
            let peersThere = { try await SQLProfileRepository(store: second).affiliationPeers(of: viewer.id, limit: 5).map(\.member.id) }
            let misses = second.memberCards.counts.misses
            #expect(try await peersThere() == after.map(\.member.id))
            #expect(second.memberCards.counts.misses == misses, "the group's page and its peers are kept")
            clock.advance(by: 60)
            let newcomer = try await here.register("newcomer").member
            let joined = try await here.profiles.addAffiliation(AffiliationInput(kind: "employer", organization: "Acme Ltd"), to: newcomer)
            everyone.append(newcomer.id)
            let withNewcomer = try await peersThere()
            #expect(withNewcomer.first == newcomer.id)
            #expect(withNewcomer == (try await expected(limit: 5)))
            try await here.profiles.removeAffiliation(id: joined.id.description, of: newcomer)
            #expect(try await peersThere() == after.map(\.member.id))
        }
    }

    /// The start-up warm-up reads members, their vertices and their profiles' traits a page at a
    /// time until its share of the bound is kept: afterwards lists read them without a query, and
    /// a change committed on another instance still shows at the next read.
    @Test func theWarmUpKeepsWhatListsScoreFromAndStillSeesChanges() async throws {
        try await withTwoInstances { first, second in
            let here = testServices(first)
            var registered: [Member] = []
            for index in 0..<23 {
                let member = try await here.register("warm-\(index)").member
                _ = try await here.profiles.update(
                    ProfileChanges(headline: "Headline \(index)", skills: ["Swift"], visibility: ["skills": "community"]),
                    of: member
                )
                registered.append(member)
            }
            let ids = registered.map(\.id)
            let everyone = try await first.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM members").first()?.int64("n") ?? 0
            }
            // A share of the bound that one page exceeds: the warm-up stops after it.
            let share = 1_000 / Double(second.memberCards.capacity)
            let partial = try await MemberCards.warm(second, share: share, page: 10)
            #expect(partial.members == 10 && !partial.complete)
            let warm = try await MemberCards.warm(second, page: 10)
            #expect(warm.complete && Int64(warm.members) == everyone)
            #expect(warm.bytes == second.memberCards.weight && warm.bytes > partial.bytes)

            let misses = second.memberCards.counts.misses
            let members = try await SQLMemberRepository(store: second).members(ids: ids)
            let traits = try await SQLProfileRepository(store: second).traits(of: ids)
            let vertices = try await SQLGraphFeed(store: second).vertices(of: ids)
            #expect(members.count == 23 && traits.count == 23 && vertices.count == 23)
            #expect(traits[ids[4]]?.visibility(of: .skills) == .community)
            #expect(second.memberCards.counts.misses == misses, "everything was kept by the warm-up")

            _ = try await here.profiles.update(ProfileChanges(name: "Renamed", visibility: ["skills": "only_me"]), of: registered[4])
            #expect(try await SQLProfileRepository(store: second).traits(of: [ids[4]])[ids[4]]?.visibility(of: .skills) == .onlyMe)
            #expect(try await SQLMemberRepository(store: second).members(ids: [ids[4]])[ids[4]]?.name == "Renamed")
        }
    }

    /// A row read just before a change commits (elsewhere) must not be kept past that change.
    @Test func aReadThatRacedAChangeIsNotKept() async throws {
        try await withTwoInstances { first, second in
            let here = testServices(first)
            let owner = try await here.register("ada")
            _ = try await here.profiles.update(ProfileChanges(headline: "Before"), of: owner.member)
            let stale = try #require(try await SQLProfileRepository(store: first).profile(of: owner.member.id))
            let cards = second.memberCards
            // The load returns the old row, and the change commits while it runs.
            let raced = try await cards.profiles([owner.member.id], store: second) { _ in
                _ = try await here.profiles.update(ProfileChanges(headline: "After"), of: owner.member)
                return [owner.member.id: stale]
            }
            #expect(raced[owner.member.id]?.headline == "Before")
            #expect(try await SQLProfileRepository(store: second).profile(of: owner.member.id)?.headline == "After")
        }
    }

    /// Twelve members, each with a profile headed "Headline <n>".
    private func twelveWithProfiles(in store: any Store, bio: String? = nil) async throws -> [Member.ID] {
        let services = testServices(store)
        var ids: [Member.ID] = []
        for index in 0..<12 {
            let member = try await services.register("member\(index)")
            _ = try await services.profiles.update(ProfileChanges(headline: "Headline \(index)", bio: bio), of: member.member)
            ids.append(member.member.id)
        }
        return ids
    }

    @Test func theCacheStaysWithinItsBoundAndStillAnswersRight() async throws {
        try await withMigratedStore { store in
            let ids = try await twelveWithProfiles(in: store)
            let cards = MemberCards(capacityBytes: 4_000)
            let repository = SQLProfileRepository(store: store)
            for _ in 0..<3 {
                let found = try await cards.profiles(ids, store: store) { missing in
                    try await repository.profiles(of: missing)
                }
                #expect(found.count == 12)
                #expect(found[ids[7]]?.headline == "Headline 7")
                #expect(cards.weight <= 4_000)
            }
        }
    }

    /// Over its bound the cache drops whole profiles before the members every list reads.
    @Test func overItsBoundTheCacheDropsWholeProfilesBeforeMembers() async throws {
        try await withMigratedStore { store in
            let bio = String(repeating: "A long biography, read only on the profile page. ", count: 14)
            let ids = try await twelveWithProfiles(in: store, bio: bio)
            let cards = MemberCards(capacityBytes: 6_000)
            let members = SQLMemberRepository(store: store)
            let profiles = SQLProfileRepository(store: store)
            _ = try await cards.members(ids, store: store) { try await members.loadMembers($0) }
            for id in ids {
                let found = try await cards.profiles([id], store: store) { try await profiles.profiles(of: $0) }
                #expect(found[id]?.headline != nil)
                #expect(cards.weight <= 6_000)
            }
            #expect(cards.counts.profiles < 12, "profiles were dropped to stay within the bound")
            let misses = cards.counts.misses
            let again = try await cards.members(ids, store: store) { try await members.loadMembers($0) }
            #expect(again.count == 12)
            #expect(cards.counts.misses == misses, "the members stayed")
        }
    }

    @Test func theFeedKeepsOnlyRecentChanges() async throws {
        try await withMigratedStore { store in
            let old = Millis.from(Date().addingTimeInterval(-2 * MemberChanges.retention))
            try await store.write { db in
                try await db.raw("INSERT INTO member_changes (member_id, changed_at) VALUES (NULL, \(bind: old))").run()
                try await MemberChanges.record(Member.ID.make(at: Date()), in: db, dialect: store.dialect)
            }
            let left = try await store.read { db in
                try await db.raw("SELECT changed_at FROM member_changes").all().map { try $0.int64("changed_at") }
            }
            #expect(left.count == 1)
            #expect(left.allSatisfy { $0 > old })
        }
    }
}
