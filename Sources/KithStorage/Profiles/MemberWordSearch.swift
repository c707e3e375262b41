import Foundation
import KithDomain
public import KithSearch
import SQLKit
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// This instance's word index of the directory (`WordIndex`), kept current through the member
/// change feed that `MemberCards` reads (`member_changes`): every write that changes what a
/// search can match — a profile or name saved, an affiliation added or removed, a registration,
/// a bulk seed (a change for everyone) — records it in the same transaction.
///
/// **Never stale after a change is committed.** Each search first reads the feed past the last
/// change the index applied (one indexed range read that returns nothing when nothing changed),
/// reads the changed members' documents and applies them, so a search that starts after a commit
/// on any instance sees it. A change for everyone, more than `catchUpLimit` changes at once, or a
/// feed not read for `idleLimit` (it is pruned after an hour) rebuild the index from the
/// database; one rebuild runs at a time and concurrent searches wait for it.
public final class MemberWordSearch: Sendable {
    static let catchUpLimit = 2_000
    static let idleLimit: TimeInterval = 30 * 60
    /// Members read per statement when rebuilding.
    static let rebuildChunk = 20_000

    public let index = WordIndex()
    let lastSync = Mutex(Date.distantPast)
    /// The last change the index kept in a file includes (`KeptWordIndex`).
    let kept = Mutex<Int64?>(nil)
    private let rebuilding = Mutex<Task<Void, any Error>?>(nil)

    public init() {}

    /// Builds the index if it was never built, else applies what changed (start-up, benchmarks).
    public func warm(_ store: any Store) async throws {
        _ = try await current(store) { _ in () }
    }

    /// The index with every change committed before this call applied, what `alongside` read in
    /// the same visit to the database, and — when the member cache could take the same changes —
    /// its ticket, so the caller's reads through the cache need no catch-up of their own.
    struct Current<Extra: Sendable> {
        let snapshot: WordIndex.Snapshot
        let cards: MemberCards.Ticket?
        let extra: Extra
    }

    func current<Extra: Sendable>(
        _ store: any Store,
        alongside: @escaping @Sendable (any SQLDatabase) async throws -> Extra
    ) async throws -> Current<Extra> {
        let applied = index.snapshot.applied
        let idle = lastSync.withLock { Date().timeIntervalSince($0) > Self.idleLimit }
        guard let applied, !idle else {
            try await rebuild(store)
            return Current(snapshot: index.snapshot, cards: nil, extra: try await store.read(alongside))
        }
        // The member cache reads the same feed: one read serves both when the cache is not far behind.
        let cardsApplied = store.memberCards.applied.flatMap { applied - $0 <= Int64(MemberCards.catchUpLimit) ? $0 : nil }
        let from = min(applied, cardsApplied ?? applied)
        let (changes, extra) = try await store.read { db in
            let changes = try await db.raw(
                """
                SELECT seq, member_id FROM member_changes WHERE seq > \(bind: from)
                ORDER BY seq LIMIT \(literal: Self.catchUpLimit + 1)
                """
            ).all().map { (try $0.int64("seq"), try $0.optionalUUID("member_id")) }
            return (changes, try await alongside(db))
        }
        lastSync.withLock { $0 = Date() }
        let complete = changes.count <= Self.catchUpLimit
        let cards =
            cardsApplied == nil
            ? nil
            : store.memberCards.absorb(changes.map { ($0.0, $0.1.map(Member.ID.init)) }, readAfter: from, complete: complete)
        let fresh = changes.filter { $0.0 > applied }
        guard !fresh.isEmpty else { return Current(snapshot: index.snapshot, cards: cards, extra: extra) }
        if !complete || fresh.contains(where: { $0.1 == nil }) {
            try await rebuild(store)
            return Current(snapshot: index.snapshot, cards: cards, extra: extra)
        }
        try await apply(fresh.compactMap { change in change.1.map { (change.0, $0) } }, store: store)
        return Current(snapshot: index.snapshot, cards: cards, extra: extra)
    }

    /// Applies `changes` (change number, member) with the members' documents read now.
    func apply(_ changes: [(Int64, UUID)], store: any Store) async throws {
        let members = Array(Set(changes.map(\.1)))
        var documents: [UUID: IndexedDocument] = [:]
        for chunk in SQLSeeder.chunks(members, size: 500) {
            let list = chunk.map { "\(bind: Member.ID($0).description)" as SQLQueryString }.joined(separator: ", ")
            for document in try await Self.documents(where: "m.id IN (\(list))", store: store) {
                documents[document.id] = document
            }
        }
        index.apply(changes: changes, documents: documents)
    }

    /// Builds the index again from every member, once however many searches ask at the same time.
    func rebuild(_ store: any Store) async throws {
        let task = rebuilding.withLock { running in
            if let running { return running }
            let task = Task {
                defer { self.rebuilding.withLock { $0 = nil } }
                try await self.build(store)
            }
            running = task
            return task
        }
        try await task.value
    }

    private func build(_ store: any Store) async throws {
        // The feed's head first: changes committed while the members are read are applied again later.
        let head = try await store.read { db in
            try await db.raw("SELECT COALESCE(MAX(seq), 0) AS head FROM member_changes").first()?.int64("head") ?? 0
        }
        lastSync.withLock { $0 = Date() }
        // Members are read by ranges of `seq`, two ranges at a time (each read and decoded on a
        // connection of its own), while the range before them is added to the index: a rebuild
        // keeps both cores busy and never holds every member's text at once.
        let top = try await store.read { db in
            try await db.raw("SELECT COALESCE(MAX(seq), 0) AS top FROM members").first()?.int64("top") ?? 0
        }
        let ranges = stride(from: Int64(0), through: top, by: Self.rebuildChunk).map { ($0, $0 + Int64(Self.rebuildChunk) - 1) }
        var builder = SegmentBuilder()
        var pending: [Task<[IndexedDocument], any Error>] = []
        var started = 0
        func startNext() {
            guard started < ranges.count else { return }
            let (low, high) = ranges[started]
            started += 1
            pending.append(
                Task { try await Self.documents(where: "m.seq BETWEEN \(bind: low) AND \(bind: high)", store: store, long: true) }
            )
        }
        // A read left running when another fails is stopped, not awaited.
        defer { for task in pending { task.cancel() } }
        startNext()
        startNext()
        while !pending.isEmpty {
            let chunk = try await pending.removeFirst().value
            startNext()
            for document in chunk { builder.add(document) }
        }
        index.replaceAll(with: builder, applied: head)
        Self.returnFreedMemory()
    }

    #if canImport(Glibc)
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = dlsym(dlopen(nil, RTLD_NOW), "malloc_trim").map {
        unsafeBitCast($0, to: (@convention(c) (Int) -> Int32).self)
    }
    #endif

    /// Gives the memory a rebuild used for a while back to the system (glibc keeps it otherwise).
    private static func returnFreedMemory() {
        #if canImport(Glibc)
        // `malloc_trim` is not in Swift's Glibc module: looked up once by name.
        if let trim = mallocTrim { _ = trim(0) }
        #endif
    }

    /// The documents of the members matching `condition` (on `members m`), in `seq` order.
    /// `long`: a rebuild's read, exempt from the per-statement limit that protects requests (a
    /// range of 20,000 members read cold, just after the database started, can pass it).
    static func documents(
        where condition: SQLQueryString,
        limit: Int? = nil,
        store: any Store,
        long: Bool = false
    ) async throws -> [IndexedDocument] {
        let body: @Sendable (any SQLDatabase) async throws -> [IndexedDocument] = { db in
            let limited: SQLQueryString = limit.map { " LIMIT \(literal: $0)" } ?? ""
            let rows = try await db.raw(
                """
                SELECT m.seq, m.handle, m.name, \(unsafeRaw: Columns.profile)
                FROM members m JOIN profiles p ON p.member_id = m.id
                WHERE \(condition) ORDER BY m.seq\(limited)
                """
            ).all()
            guard let first = rows.first, let last = rows.last else { return [] }
            let range = (try first.int64("seq"), try last.int64("seq"))
            var affiliations: [UUID: [Affiliation]] = [:]
            for row in try await db.raw(
                """
                SELECT \(unsafeRaw: Columns.affiliation) FROM affiliations a JOIN members m ON m.id = a.member_id
                WHERE \(condition) AND m.seq BETWEEN \(bind: range.0) AND \(bind: range.1)
                """
            ).all() {
                let affiliation = try row.affiliation()
                affiliations[affiliation.memberID.rawValue, default: []].append(affiliation)
            }
            return try rows.map { row in
                let profile = try row.profile()
                return SearchDocument.indexed(
                    id: profile.memberID,
                    seq: try row.int64("seq"),
                    name: try row.string("name"),
                    handle: try row.string("handle"),
                    profile: profile,
                    affiliations: affiliations[profile.memberID.rawValue] ?? []
                )
            }
        }
        return long ? try await store.longRead(body) : try await store.read(body)
    }
}
