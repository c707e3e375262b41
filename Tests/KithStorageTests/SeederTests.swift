import Foundation
import KithDemo
import KithDomain
import KithTestSupport
import KithWeb
import SQLKit
import Testing

@testable import KithStorage

/// Bulk seeding (by `COPY` on PostgreSQL, multi-row `INSERT` on SQLite) stores exactly what it was
/// given — text with tabs, line breaks and backslashes included — and both indexes find it.
@Suite struct SeederTests {
    @Test func seededMembersReadBackAsGiven() async throws {
        try await withMigratedStore { store in
            var batch = DemoCommunity(size: 120).members(in: 0..<120)
            batch[0].profile.headline = "Tab\tquixotic, a \\N, back\\slash and \\t"
            batch[0].profile.bio = "Line one\nline two\r\nend \\"
            batch[0].member.name = "Zoë \\ O'Neil"
            batch[1].profile.visibility[.skills] = .onlyMe
            try await SQLSeeder(store: store).insert(batch.map { ($0.member, $0.profile, $0.affiliations) }, passwordHash: "seeded")

            let profiles = try await SQLProfileRepository(store: store).profiles(of: batch.map(\.member.id))
            let affiliations = try await SQLProfileRepository(store: store).affiliations(of: batch.map(\.member.id))
            let members = try await SQLMemberRepository(store: store).members(ids: batch.map(\.member.id))
            for entry in batch {
                #expect(profiles[entry.member.id] == entry.profile)
                #expect(Set((affiliations[entry.member.id] ?? []).map(\.id)) == Set(entry.affiliations.map(\.id)))
                #expect(affiliations[entry.member.id]?.first { $0.id == entry.affiliations.first?.id } == entry.affiliations.first)
                #expect(members[entry.member.id]?.name == entry.member.name)
                #expect(members[entry.member.id]?.handle == entry.member.handle)
            }
            // Every member has its own place in the graph.
            let seqs = try await store.read { db in
                try await db.raw("SELECT seq FROM members").all().map { try $0.int64("seq") }
            }
            #expect(Set(seqs).count == batch.count)

            // The SQL full-text index and the word index both find the awkward headline's words,
            // and neither finds a section hidden from the community.
            let directory = SQLMemberDirectory(store: store)
            let viewer = batch[5].member.id
            let sqlHits = try await directory.rankedInSQL(DirectoryQuery(terms: ["quixotic"]), viewer: viewer)
            let wordHits = try await directory.search(DirectoryQuery(terms: ["quixotic"]), viewer: viewer).map(\.member.id)
            #expect(sqlHits == [batch[0].member.id])
            #expect(wordHits == [batch[0].member.id])
            let hiddenSkill = try #require(batch[1].profile.skills.first)
            let bySkill = try await directory.search(DirectoryQuery(terms: [], skill: hiddenSkill), viewer: viewer).map(\.member.id)
            #expect(!bySkill.contains(batch[1].member.id))
            #expect(!bySkill.isEmpty)
        }
    }

    /// Seeded connections (by `COPY` on PostgreSQL) are the graph's, both ways, after a rebuild.
    @Test func seededConnectionsAreTheGraphs() async throws {
        try await withMigratedStore { store in
            let batch = DemoCommunity(size: 60).members(in: 0..<60)
            let seeder = SQLSeeder(store: store)
            try await seeder.insert(batch.map { ($0.member, $0.profile, $0.affiliations) }, passwordHash: "seeded")
            let ties = DemoNetwork.ties(for: batch)
            try await seeder.insertConnections(ties.map { (batch[$0.a].member.id, batch[$0.b].member.id, $0.strength) }, at: Date())
            let services = testServices(store)
            try await services.graph.rebuild()
            for tie in ties.prefix(40) {
                #expect(try await GraphConnectionLookup(graph: services.graph).areConnected(batch[tie.a].member.id, batch[tie.b].member.id))
                #expect(try await GraphConnectionLookup(graph: services.graph).areConnected(batch[tie.b].member.id, batch[tie.a].member.id))
            }
            var degree: [Int: Int] = [:]
            for tie in ties {
                degree[tie.a, default: 0] += 1
                degree[tie.b, default: 0] += 1
            }
            for (index, count) in degree.prefix(20) {
                #expect(try await services.connections.connectionCount(of: batch[index].member) == count)
            }
        }
    }
}
