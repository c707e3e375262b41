import Foundation
import KithDemo
import KithDomain
import KithSearch
import KithTestSupport
import KithWeb
import SQLKit
import Testing

@testable import KithStorage

/// The word index kept in a file between runs (`MemberWordSearch.start` and `save`): an
/// instance starting from the file answers as one that built its index from the database, with
/// every change since the file was written applied before its first search — hidden sections
/// included — and a file that cannot be trusted is never used.
@Suite struct KeptWordIndexTests {
    static func temporaryFile() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("kith-kept-\(UUID().uuidString)")
    }

    static func keys(_ search: MemberWordSearch, _ words: String) -> [Int64] {
        search.index.snapshot.search(WordQuery(words: [words], limit: 50)).map(\.key)
    }

    static func seq(of member: Member, in store: any Store) async throws -> Int64 {
        try await store.read { db in
            try await db.raw("SELECT seq FROM members WHERE id = \(bind: member.id.description)").first()!.int64("seq")
        }
    }

    @Test func anInstanceStartsFromTheFileAndAppliesWhatChangedSince() async throws {
        let file = Self.temporaryFile()
        defer { try? FileManager.default.removeItem(at: file) }
        try await withTwoInstances { first, second in
            let services = testServices(first)
            let viewer = try await services.register("viewer").member
            let ada = try await services.register("ada", name: "Ada Lovelace").member
            _ = try await services.profiles.update(
                ProfileChanges(headline: "Engineer", skills: ["Quaternions"], visibility: ["skills": "community"]),
                of: ada
            )
            let bob = try await services.register("bob", name: "Bob Builder").member
            _ = try await services.profiles.update(ProfileChanges(headline: "Engineer"), of: bob)
            try await first.wordSearch.warm(first)
            #expect(try await first.wordSearch.save(first, to: file))
            #expect(try await first.wordSearch.save(first, to: file) == false, "nothing new to write")

            // While the second instance is "down": a section hidden, a headline changed, a newcomer.
            _ = try await services.profiles.update(ProfileChanges(headline: "Pilot", visibility: ["skills": "only_me"]), of: ada)
            let carol = try await services.register("carol", name: "Carol Quaternion").member
            _ = try await services.profiles.update(ProfileChanges(headline: "Engineer"), of: carol)

            let how = try await second.wordSearch.start(second, keptIn: file)
            guard case .read(let members, let caughtUp) = how else {
                Issue.record("the file was not used: \(how)")
                return
            }
            #expect(members == 4)
            #expect(caughtUp >= 3)
            let (adaSeq, bobSeq, carolSeq) = (
                try await Self.seq(of: ada, in: first), try await Self.seq(of: bob, in: first), try await Self.seq(of: carol, in: first)
            )
            let started = second.wordSearch
            #expect(Set(Self.keys(started, "engineer")) == [bobSeq, carolSeq])
            #expect(Self.keys(started, "pilot") == [adaSeq])
            #expect(Self.keys(started, "quaternion") == [carolSeq], "a section hidden since the file was written is not matched")
            // The same answers as an index the first instance built and kept current.
            for words in ["engineer", "pilot", "quaternion", "ada", "bui", "lovelace"] {
                _ = try await first.wordSearch.current(first) { _ in () }
                #expect(Self.keys(started, words) == Self.keys(first.wordSearch, words), "\(words)")
            }
            // And the search the directory serves, through the second instance.
            let found = try await testServices(second).directory.search(DirectorySearch(q: "quaternion"), by: viewer)
            #expect(found.items.map(\.handle.rawValue) == ["carol"])
        }
    }

    @Test func aFileThatCannotBeTrustedIsNeverUsed() async throws {
        let file = Self.temporaryFile()
        defer { try? FileManager.default.removeItem(at: file) }
        func reason(_ how: MemberWordSearch.StartUp) -> String {
            if case .built(let reason?) = how { return reason }
            return "used: \(how)"
        }
        try await withMigratedStore { other in
            let services = testServices(other)
            let ada = try await services.register("ada", name: "Ada Lovelace").member
            _ = try await services.profiles.update(ProfileChanges(headline: "Engineer"), of: ada)
            try await other.wordSearch.warm(other)
            #expect(try await other.wordSearch.save(other, to: file))
        }
        try await withTwoInstances { first, second in
            let services = testServices(first)
            let bea = try await services.register("bea", name: "Bea Quill").member
            _ = try await services.profiles.update(ProfileChanges(headline: "Nurse"), of: bea)
            let beaSeq = try await Self.seq(of: bea, in: first)

            // Another database's file: built, and the index is this database's.
            #expect(reason(try await second.wordSearch.start(second, keptIn: file)).contains("another database"))
            #expect(Self.keys(second.wordSearch, "nurse") == [beaSeq])
            #expect(Self.keys(second.wordSearch, "engineer") == [])

            let fresh = { MemberWordSearch() }
            let missing = Self.temporaryFile()
            #expect(reason(try await fresh().start(first, keptIn: missing)).contains("no file"))

            try await first.wordSearch.warm(first)
            #expect(try await first.wordSearch.save(first, to: file))
            // The file as written is used…
            #expect(try await fresh().start(first, keptIn: file) == .read(members: 1, caughtUp: 0))
            // …but not once damaged.
            var bytes = try Data(contentsOf: file)
            bytes[bytes.count / 2] ^= 0x01
            try bytes.write(to: file)
            #expect(reason(try await fresh().start(first, keptIn: file)).contains("unreadable"))

            // Not when the change it includes has left the feed (pruned: changes since are unknown).
            let rewritten = fresh()
            try await rewritten.warm(first)
            #expect(try await rewritten.save(first, to: file))
            let applied = rewritten.index.snapshot.applied!
            try await first.write { db in try await db.raw("DELETE FROM member_changes WHERE seq = \(bind: applied)").run() }
            #expect(reason(try await fresh().start(first, keptIn: file)).contains("older than the change feed"))

            // Not after a change for everyone (a bulk load); the index built then has the newcomers.
            _ = try await services.profiles.update(ProfileChanges(headline: "Nurse practitioner"), of: bea)
            let again = fresh()
            try await again.warm(first)
            #expect(try await again.save(first, to: file))
            let community = DemoCommunity(size: 12).members(in: 0..<12)
            try await SQLSeeder(store: first).insert(community.map { ($0.member, $0.profile, $0.affiliations) }, passwordHash: "x")
            let afterSeed = fresh()
            #expect(reason(try await afterSeed.start(first, keptIn: file)).contains("a change for everyone"))
            #expect(afterSeed.index.snapshot.liveCount == 13)
        }
    }
}
