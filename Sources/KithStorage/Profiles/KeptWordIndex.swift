public import Foundation
import KithDomain
import KithSearch
import SQLKit
import Synchronization

/// The word index kept in a file between runs (`WordIndexFile`): `kith serve` reads it back at
/// start instead of indexing every member again, then applies what changed since through the
/// member change feed, as it does between searches.
///
/// **When a file is used.** Only when it still describes this database as the current code
/// indexes it: the file's label names this database (a random mark made in it on first use), the
/// indexing rules (a fingerprint of the format, the scoring constants, the tokeniser and probe
/// documents built by `SearchDocument.indexed`, so a release that indexes differently builds
/// again), and the feed change the index includes — that change's row must still be in the feed
/// with the same member and time, which proves both that it is this database's history and that
/// nothing after it was pruned — and the schema version (a migration may rewrite what is
/// indexed). Anything else — no file, a damaged one, another database's, a
/// change for everyone since, more than `startCatchUpLimit` changes since — builds the index
/// from the database as before. A file never serves what the database no longer says: every
/// change since it was written is applied before the first search.
extension MemberWordSearch {
    /// Changes since the file was written that start-up applies before building again instead.
    static let startCatchUpLimit = 100_000

    /// How start-up got its index.
    public enum StartUp: Sendable, Equatable, CustomStringConvertible {
        /// Read from the file, with `caughtUp` changes applied since it was written.
        case read(members: Int, caughtUp: Int)
        /// Built from the database (`reason`: why a file was not used; nil when none was asked for).
        case built(reason: String?)

        public var description: String {
            switch self {
            case .read(let members, let caughtUp): "read from its file (\(members) members), \(caughtUp) changes applied since"
            case .built(let reason?): "built from the database (\(reason))"
            case .built(nil): "built from the database"
            }
        }
    }

    /// What a file says about the index it holds, checked before it is used.
    struct Label: Codable, Equatable {
        var fingerprint: String
        var database: String
        var schema: Int
        var change: FeedChange
    }

    /// One row of `member_changes`, as the file names the last change its index includes.
    struct FeedChange: Codable, Equatable {
        var seq: Int64
        var member: String?
        var changedAt: Int64
    }

    private struct Rejected: Error {
        let reason: String
    }

    /// Whether the index as it is now was read from or written to a file.
    public var isKept: Bool { kept.withLock { $0 }.map { $0 == index.snapshot.applied } ?? false }

    /// Start-up: the index from `file` when it may be used (then what changed since), else built.
    public func start(_ store: any Store, keptIn file: URL?) async throws -> StartUp {
        guard let file else {
            try await warm(store)
            return .built(reason: nil)
        }
        do {
            let caughtUp = try await restore(store, from: file)
            return .read(members: index.snapshot.liveCount, caughtUp: caughtUp)
        } catch let rejected as Rejected {
            // A file read and then refused (too much changed since) describes nothing kept.
            kept.withLock { $0 = nil }
            try await rebuild(store)
            return .built(reason: rejected.reason)
        }
    }

    /// Writes the index to `file` when it includes changes the file does not. Returns whether it
    /// wrote; an index whose last change has left the feed is not written (it could not be checked).
    @discardableResult
    public func save(_ store: any Store, to file: URL) async throws -> Bool {
        let snapshot = index.snapshot
        guard let applied = snapshot.applied, kept.withLock({ $0 }) != applied,
            let change = try await Self.feedChange(applied, store: store)
        else { return false }
        let label = Label(
            fingerprint: Self.fingerprint,
            database: try await Self.databaseMark(store),
            schema: Migrator.latestVersion,
            change: change
        )
        let bytes = Array(try JSONEncoder().encode(label))
        try await Self.offThePool { try WordIndexFile.write(snapshot, label: bytes, to: file) }
        kept.withLock { $0 = applied }
        return true
    }

    /// Restores the index from `file` and applies the changes since; throws `Rejected` when the
    /// file may not be used (the index is then unchanged).
    private func restore(_ store: any Store, from file: URL) async throws -> Int {
        WordIndexFile.removeLeftovers(of: file)
        guard FileManager.default.fileExists(atPath: file.path) else { throw Rejected(reason: "no file at \(file.path) yet") }
        let (snapshot, bytes): (WordIndex.Snapshot, [UInt8])
        do {
            (snapshot, bytes) = try await Self.offThePool { try WordIndexFile.read(from: file) }
        } catch let unreadable as WordIndexFile.Unreadable {
            throw Rejected(reason: "its file is unreadable: \(unreadable.description)")
        }
        guard let label = try? JSONDecoder().decode(Label.self, from: Data(bytes)) else {
            throw Rejected(reason: "its file's label is unreadable")
        }
        guard label.fingerprint == Self.fingerprint else { throw Rejected(reason: "its file was indexed by other rules") }
        guard label.database == (try await Self.databaseMark(store)) else {
            throw Rejected(reason: "its file is another database's")
        }
        guard label.schema == Migrator.latestVersion else { throw Rejected(reason: "the database's schema changed since its file") }
        guard snapshot.applied == label.change.seq, try await Self.feedChange(label.change.seq, store: store) == label.change else {
            throw Rejected(reason: "its file is older than the change feed")
        }
        index.restore(snapshot)
        lastSync.withLock { $0 = Date() }
        kept.withLock { $0 = label.change.seq }
        // What changed since, a page of the feed at a time, as searches apply it.
        var applied = label.change.seq
        var caughtUp = 0
        while true {
            let after = applied
            let page = try await store.read { db in
                try await db.raw(
                    """
                    SELECT seq, member_id FROM member_changes WHERE seq > \(bind: after)
                    ORDER BY seq LIMIT \(literal: Self.catchUpLimit)
                    """
                ).all().map { (try $0.int64("seq"), try $0.optionalUUID("member_id")) }
            }
            guard let last = page.last?.0 else { break }
            let changes = page.compactMap { change in change.1.map { (change.0, $0) } }
            guard changes.count == page.count else { throw Rejected(reason: "a change for everyone since its file was written") }
            caughtUp += changes.count
            guard caughtUp <= Self.startCatchUpLimit else {
                throw Rejected(reason: "more than \(Self.startCatchUpLimit) changes since its file was written")
            }
            try await apply(changes, store: store)
            applied = last
        }
        return caughtUp
    }

    private static func feedChange(_ seq: Int64, store: any Store) async throws -> FeedChange? {
        try await store.read { db in
            try await db.raw("SELECT member_id, changed_at FROM member_changes WHERE seq = \(bind: seq)").first().map { row in
                FeedChange(seq: seq, member: try row.optionalUUID("member_id")?.uuidString, changedAt: try row.int64("changed_at"))
            }
        }
    }

    private static func databaseMark(_ store: any Store) async throws -> String {
        try await InstanceMarks(store: store).secret(named: "word-index-file")
    }

    /// Blocking file work on a thread of its own, leaving the task pool's threads to requests.
    private static func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .utility).async { continuation.resume(with: Result(catching: body)) }
        }
    }

    /// The format's fingerprint with probe documents built by today's `SearchDocument.indexed`:
    /// a member with every section open to the community and one with every section closed.
    static let fingerprint: String = {
        let member = Member.ID(UUID(uuid: (0, 0, 0, 0, 0, 0, 0x70, 0, 0x80, 0, 0, 0, 0, 0, 0, 1)))
        let day = Date(timeIntervalSince1970: 86_400)
        let affiliation = Affiliation(
            id: Affiliation.ID(UUID(uuid: (0, 0, 0, 0, 0, 0, 0x70, 0, 0x80, 0, 0, 0, 0, 0, 0, 2))),
            memberID: member,
            kind: AffiliationKind.allCases[0],
            organization: "Université Laval",
            title: "Research Engineer",
            cohort: "Class of 2015",
            startYear: 2011,
            endYear: 2015,
            createdAt: day
        )
        let open = Profile(
            memberID: member,
            headline: "Data engineer, ex-Shopify",
            bio: "Builds **pipelines**; mentors new grads.",
            location: "Montréal, QC",
            industry: "Software",
            careerStage: CareerStage.allCases.last,
            skills: ["Swift", "PostgreSQL"],
            interests: ["climbing", "jazz"],
            openTo: Set(OpenTo.allCases),
            website: "https://example.org",
            phone: "+1 514 555 0100",
            visibility: Dictionary(uniqueKeysWithValues: ProfileSection.allCases.map { ($0, Visibility.community) }),
            updatedAt: day
        )
        var closed = open
        closed.visibility = Dictionary(uniqueKeysWithValues: ProfileSection.allCases.map { ($0, Visibility.onlyMe) })
        let parts = [open, closed].flatMap { profile -> [String] in
            let document = SearchDocument.indexed(
                id: member,
                seq: 7,
                name: "Zoë Tremblay",
                handle: "zoe",
                profile: profile,
                affiliations: [affiliation]
            )
            return document.texts + document.facets + [document.location ?? "-", document.sortKey, String(document.key)]
        }
        return String(WordIndexFile.fingerprint(adding: parts), radix: 16)
    }()
}
