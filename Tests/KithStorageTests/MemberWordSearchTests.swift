import Foundation
import KithDemo
import KithDomain
import KithTestSupport
import KithWeb
import SQLKit
import Testing

@testable import KithStorage

/// The directory's in-memory word index (`MemberWordSearch`): it follows every committed change
/// on every instance at the next search, matches exactly what the SQL full-text index it replaced
/// matched, and ranks a word in a name first, then headline, skills, organisations and bio.
@Suite struct MemberWordSearchTests {
    static func handles(_ services: Services, _ viewer: Member, _ search: DirectorySearch) async throws -> [String] {
        try await services.directory.search(search, by: viewer).items.map(\.handle.rawValue)
    }

    @Test func aChangeCommittedOnOneInstanceIsFoundAtOnceOnTheOther() async throws {
        try await withTwoInstances { first, second in
            let here = testServices(first)
            let there = testServices(second)
            let viewer = try await here.register("viewer").member
            let ada = try await here.register("ada", name: "Ada Lovelace").member
            _ = try await here.profiles.update(
                ProfileChanges(headline: "Engineer", skills: ["Quaternions"], visibility: ["skills": "community"]),
                of: ada
            )
            // The other instance builds its index now.
            #expect(try await Self.handles(there, viewer, DirectorySearch(q: "engineer")) == ["ada"])
            #expect(try await Self.handles(there, viewer, DirectorySearch(q: "quaternions")) == ["ada"])

            _ = try await here.profiles.update(
                ProfileChanges(headline: "Pilot", visibility: ["skills": "only_me"]),
                of: ada
            )
            let bob = try await here.register("bob", name: "Bob Builder").member
            _ = try await here.profiles.update(ProfileChanges(headline: "Engineer"), of: bob)
            _ = try await here.profiles.addAffiliation(AffiliationInput(kind: "employer", organization: "Kestrel Works"), to: bob)

            #expect(try await Self.handles(there, viewer, DirectorySearch(q: "engineer")) == ["bob"])
            #expect(try await Self.handles(there, viewer, DirectorySearch(q: "pilot")) == ["ada"])
            #expect(try await Self.handles(there, viewer, DirectorySearch(q: "quaternions")) == [], "a hidden section stops matching")
            #expect(try await Self.handles(there, viewer, DirectorySearch(q: "kestrel")) == ["bob"])
            #expect(try await Self.handles(there, viewer, DirectorySearch(q: "builder")) == ["bob"], "a new member is found")
            _ = try await here.profiles.update(ProfileChanges(name: "Ada Byron"), of: ada)
            #expect(try await Self.handles(there, viewer, DirectorySearch(q: "lovelace")) == [])
            #expect(try await Self.handles(there, viewer, DirectorySearch(q: "byron")) == ["ada"])
            // What the rows show comes from the member cache, caught up by the same feed read.
            let shown = try await there.directory.search(DirectorySearch(q: "pilot"), by: viewer).items
            #expect(shown.map(\.name) == ["Ada Byron"])
            #expect(shown.first?.skills == nil)
            _ = try await here.profiles.update(ProfileChanges(name: "Ada King", visibility: ["skills": "community"]), of: ada)
            let again = try await there.directory.search(DirectorySearch(q: "pilot"), by: viewer).items
            #expect(again.map(\.name) == ["Ada King"])
            #expect(again.first?.skills == ["Quaternions"])
            // A block made on one instance hides the member on the other's next search, both ways.
            try await here.blocks.block(handle: "viewer", by: bob)
            #expect(try await Self.handles(there, viewer, DirectorySearch(q: "engineer")) == [])
        }
    }

    @Test func seededMembersAreFoundWithoutARestart() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            let viewer = try await services.register("viewer").member
            #expect(try await Self.handles(services, viewer, DirectorySearch(q: "northfield")) == [])
            let community = DemoCommunity(size: 40).members(in: 0..<40)
            try await SQLSeeder(store: store).insert(community.map { ($0.member, $0.profile, $0.affiliations) }, passwordHash: "x")
            let found = try await services.directory.search(DirectorySearch(q: "northfield", limit: "100"), by: viewer).items
            #expect(found.count > 5)
        }
    }

    /// The word index against the SQL full-text index it replaced (FTS5 or PostgreSQL's
    /// tsvector), on a demo community: for words, prefixes, two words and words with facets, the
    /// same members match.
    @Test func theIndexMatchesWhatTheFullTextIndexMatched() async throws {
        try await withMigratedStore { store async throws in
            let community = DemoCommunity(size: 400).members(in: 0..<400)
            try await SQLSeeder(store: store).insert(community.map { ($0.member, $0.profile, $0.affiliations) }, passwordHash: "x")
            let viewer = community[0].member
            let directory = SQLMemberDirectory(store: store)
            var queries: [DirectoryQuery] = []
            for entry in community[1...30] {
                let words = DirectoryQuery.terms(from: entry.profile.headline + " " + entry.member.name)
                guard let word = words.first else { continue }
                queries.append(DirectoryQuery(terms: [word], limit: 500))
                queries.append(DirectoryQuery(terms: [String(word.prefix(3))], limit: 500))
                queries.append(DirectoryQuery(terms: Array(words.prefix(2)), limit: 500))
                queries.append(DirectoryQuery(terms: [word], careerStage: entry.profile.careerStage, limit: 500))
                if let skill = entry.profile.skills.first {
                    queries.append(DirectoryQuery(terms: [word], skill: skill, limit: 500))
                }
            }
            var nonEmpty = 0
            for query in queries {
                let sql = try SQLMemberDirectory.rankedSQL(query, viewer: viewer.id, dialect: store.dialect)
                let expected = try await store.read { db in
                    Set(try await db.raw(sql).all().map { try $0.decode(column: "id", as: String.self) })
                }
                let found = try await directory.ranked(query, viewer: viewer.id)
                #expect(Set(found.map(\.member.id.description)) == expected, "\(query.terms)")
                if !expected.isEmpty { nonEmpty += 1 }
            }
            #expect(nonEmpty > queries.count / 2)
        }
    }
}

extension MemberWordSearchTests {
    /// Browsing by facets from the word index against the SQL facet conditions it replaced, on a
    /// demo community: the same members in the same order (name key, then id), pages included,
    /// with blocks and a location.
    @Test func browsingByFacetsMatchesTheSQLBrowse() async throws {
        try await withMigratedStore { store async throws in
            let community = DemoCommunity(size: 400).members(in: 0..<400)
            try await SQLSeeder(store: store).insert(community.map { ($0.member, $0.profile, $0.affiliations) }, passwordHash: "x")
            let viewer = community[0].member
            try await testServices(store).blocks.block(handle: community[5].member.handle.rawValue, by: viewer)
            let directory = SQLMemberDirectory(store: store)
            var queries: [DirectoryQuery] = []
            for entry in community[1...25] {
                let affiliation = entry.affiliations.first
                queries += [
                    DirectoryQuery(skill: entry.profile.skills.first, limit: 500),
                    DirectoryQuery(industry: entry.profile.industry, careerStage: entry.profile.careerStage, limit: 500),
                    DirectoryQuery(careerStage: entry.profile.careerStage, limit: 500),
                    DirectoryQuery(cohort: affiliation?.cohort, limit: 500),
                    DirectoryQuery(organization: affiliation?.organization, openTo: entry.profile.openTo.first, limit: 500),
                    DirectoryQuery(careerStage: entry.profile.careerStage, location: String(entry.profile.location.prefix(4)), limit: 500),
                ]
            }
            var nonEmpty = 0
            for query in queries where !SQLMemberDirectory.indexedFacetTokens(query).isEmpty {
                let sql = SQLMemberDirectory.sql(query, viewer: viewer.id, dialect: store.dialect)
                let expected = try await store.read { db in
                    try await db.raw(sql).all().map { try $0.decode(column: "id", as: String.self) }
                }
                let found = try await directory.browsed(query, viewer: viewer.id)
                #expect(found.map(\.member.id.description) == expected, "\(query)")
                if expected.count > 1 { nonEmpty += 1 }
                // The second page of seven continues exactly where the first ended.
                var paged = query
                paged.limit = 7
                let first = try await directory.browsed(paged, viewer: viewer.id)
                if first.count > 7 {
                    paged.after = try Cursor.decode(first[6].cursor, parts: 2)
                    let second = try await directory.browsed(paged, viewer: viewer.id)
                    #expect(second.map(\.member.id.description) == Array(expected.dropFirst(7).prefix(8)))
                }
            }
            #expect(nonEmpty > queries.count / 2)
        }
    }
}

@Suite struct DirectoryRelevanceTests {
    /// The relevance check: one word in one member's name, another's headline, skills,
    /// organisation and bio — the directory lists them in that order, and pages keep it.
    @Test func aWordInTheNameRanksFirstThenHeadlineSkillsOrganisationsBio() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            let viewer = try await services.register("viewer").member
            let bio = "Likes long walks, jazz records and building community gardens with neighbours."
            let people: [(String, String, ProfileChanges, String?)] = [
                ("in-bio", "Pat Jones", ProfileChanges(headline: "Teacher", bio: "Osprey watcher. " + bio), nil),
                ("in-headline", "Sam Ode", ProfileChanges(headline: "Osprey ranger at the park", bio: bio), nil),
                ("in-skills", "Kim Lu", ProfileChanges(headline: "Analyst", bio: bio, skills: ["Osprey tracking"]), nil),
                ("in-organization", "Lee Roy", ProfileChanges(headline: "Manager", bio: bio), "Osprey Holdings"),
                ("in-name", "Osprey Smith", ProfileChanges(headline: "Pilot", bio: bio), nil),
            ]
            for (handle, name, changes, organization) in people {
                let member = try await services.register(handle, name: name).member
                var visible = changes
                visible.visibility = ["bio": "community", "skills": "community", "affiliations": "community"]
                _ = try await services.profiles.update(visible, of: member)
                if let organization {
                    _ = try await services.profiles.addAffiliation(
                        AffiliationInput(kind: "employer", organization: organization),
                        to: member
                    )
                }
            }
            let expected = ["in-name", "in-headline", "in-skills", "in-organization", "in-bio"]
            #expect(try await MemberWordSearchTests.handles(services, viewer, DirectorySearch(q: "osprey")) == expected)
            #expect(try await MemberWordSearchTests.handles(services, viewer, DirectorySearch(q: "ospr")) == expected)
            var paged: [String] = []
            var after: String?
            repeat {
                let page = try await services.directory.search(DirectorySearch(q: "osprey", after: after, limit: "2"), by: viewer)
                paged += page.items.map(\.handle.rawValue)
                after = page.next
            } while after != nil
            #expect(paged == expected)
        }
    }
}
