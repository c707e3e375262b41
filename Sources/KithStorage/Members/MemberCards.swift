import Foundation
import KithDomain
import SQLKit
import Synchronization

/// This instance's memory of the member rows that every list of people reads again and again —
/// members, their graph vertex (`members.seq`), their profiles (with each section's visibility) and
/// their affiliations — so that suggestions, routing, the weekly plan and lists read a few hundred
/// of them from memory instead of three `IN (…)` queries.
///
/// **Never stale after a change is committed.** Every write that changes what is kept here (a
/// profile or name saved, an affiliation added or removed, a role changed) appends the member's id
/// to `member_changes` in the same transaction (`MemberChanges.record`). Every read through the
/// cache first reads that feed past the last change it applied (one indexed range read that
/// returns nothing when nothing changed) and forgets the members named there, so a read that
/// starts after another instance's commit never gets the old row — the visibility rules hold
/// exactly as without the cache. What a read loads from the database is remembered only if no
/// change was applied while it ran (`Ticket`), so a row read just before a change commits cannot
/// outlive it.
///
/// Bounded: past about `capacityBytes` of kept values, about half of the whole profiles,
/// affiliations and peer pages are dropped — or, when that is not enough, half of everything (they
/// are read again when next needed): the summaries that every list of people reads (members,
/// vertices, traits) outlast the heavier rows read for one page. A server fills the summaries at
/// start-up (`MemberCards.warm`). Vertices are never invalidated: a member's `seq` never changes.
public final class MemberCards: Sendable {
    /// What the kept values may weigh by default, roughly (strings' bytes plus a fixed overhead per value).
    public static let defaultCapacity = 64 << 20
    /// More unapplied changes than this at once and the cache starts again empty.
    static let catchUpLimit = 500
    /// A cache that has not read the feed for this long starts again empty (changes older than
    /// `MemberChanges.retention` are pruned, and it may have missed them).
    static let idleLimit: TimeInterval = 30 * 60

    struct State {
        /// The last change applied; nil until the feed's head has been read once.
        var applied: Int64?
        var lastSync = Date.distantPast
        /// Moves whenever anything is forgotten; a load remembers its rows only if it has not moved.
        var generation: UInt64 = 0
        var members: [Member.ID: Member] = [:]
        var vertices: [Member.ID: Int32] = [:]
        var idsAtVertex: [Int32: Member.ID] = [:]
        /// A handle never changes and a member is never removed: kept like vertices, never invalidated.
        var idsByHandle: [Handle: Member.ID] = [:]
        /// nil: the member has no profile (also worth remembering: a list asks again).
        var profiles: [Member.ID: Profile?] = [:]
        /// The profiles' traits (what lists score by), kept apart so that reading them copies a few
        /// bytes instead of a profile's dozen strings. nil: the member has no profile.
        var traits: [Member.ID: ProfileTraits?] = [:]
        var affiliations: [Member.ID: [Affiliation]] = [:]
        /// The first page of each organisation's and cohort's peers (`affiliationPeers`), by the
        /// page size it was read at. Any member's change may move a group's page, so every applied
        /// change forgets them all.
        var peerPages: [PeerGroup.Sized: PeerGroup.Page] = [:]
        var bytes = 0
        /// Of `bytes`, what the summaries weigh — members, vertices, handles and traits, which every
        /// list of people reads (the rest: whole profiles, affiliations, peer pages).
        var summaryBytes = 0
        var hits = 0
        var misses = 0

        mutating func forget(_ id: Member.ID) {
            members[id] = nil
            profiles[id] = nil
            traits[id] = nil
            affiliations[id] = nil
            peerPages = [:]
        }

        mutating func forgetEverything() {
            members = [:]
            vertices = [:]
            idsAtVertex = [:]
            idsByHandle = [:]
            profiles = [:]
            traits = [:]
            affiliations = [:]
            peerPages = [:]
            bytes = 0
            summaryBytes = 0
        }

        /// Over `capacity`, drops about half of the whole profiles, affiliations and peer pages
        /// when that is enough (the summaries every list reads stay), else about half of everything.
        mutating func trim(to capacity: Int) {
            guard bytes > capacity else { return }
            func halve<K, V>(_ table: inout [K: V]) {
                var keep = true
                table = table.filter { _ in
                    keep.toggle()
                    return keep
                }
            }
            let rest = bytes - summaryBytes
            halve(&profiles)
            halve(&affiliations)
            peerPages = [:]
            if summaryBytes + rest / 2 <= capacity {
                bytes = summaryBytes + rest / 2
            } else {
                halve(&members)
                halve(&traits)
                if vertices.count > 200_000 {
                    vertices = [:]
                    idsAtVertex = [:]
                }
                if idsByHandle.count > 200_000 { idsByHandle = [:] }
                // Re-weighed only roughly: halving keeps the bound without walking every value.
                bytes /= 2
                summaryBytes /= 2
                if bytes > capacity { forgetEverything() }
            }
            generation &+= 1
        }
    }

    /// Proof that no change was applied between the catch-up and a load.
    struct Ticket: Sendable {
        let generation: UInt64
    }

    private let state = Mutex(State())
    /// This cache's entry in a `RequestScope` (one cache per store).
    private let scopeKey = "memberCards.\(UUID().uuidString)"
    let capacity: Int

    /// Real time, never a test's clock: the feed's pruning uses it too.
    private func now() -> Date { Date() }

    public init(capacityBytes: Int = MemberCards.defaultCapacity) {
        capacity = capacityBytes
    }

    /// What the kept values weigh now, roughly.
    var weight: Int { state.withLock { $0.bytes } }

    /// How often reads found what they needed here (for `/metrics` and the benchmarks).
    public var counts: (hits: Int, misses: Int, members: Int, profiles: Int) {
        state.withLock { ($0.hits, $0.misses, $0.members.count, $0.profiles.count) }
    }

    /// Applies every change committed since the last catch-up: the members named are forgotten.
    /// Within one request (`RequestScope`) the first catch-up serves the request's later reads.
    func catchUp(_ store: any Store) async throws -> Ticket {
        let scope = RequestScope.current
        if let scope, let kept = scope.value(scopeKey, as: Ticket.self) { return kept }
        let ticket = try await readFeed(store)
        scope?.keep(ticket, as: scopeKey)
        return ticket
    }

    private func readFeed(_ store: any Store) async throws -> Ticket {
        let (applied, idle) = state.withLock { ($0.applied, now().timeIntervalSince($0.lastSync) > Self.idleLimit) }
        guard let applied, !idle else {
            let head = try await store.read { db in
                try await db.raw("SELECT COALESCE(MAX(seq), 0) AS head FROM member_changes").first()?.int64("head") ?? 0
            }
            return state.withLock { state in
                state.forgetEverything()
                state.generation &+= 1
                state.applied = head
                state.lastSync = now()
                return Ticket(generation: state.generation)
            }
        }
        let changes = try await store.read { db in
            try await db.raw(
                """
                SELECT seq, member_id FROM member_changes WHERE seq > \(bind: applied)
                ORDER BY seq LIMIT \(literal: Self.catchUpLimit + 1)
                """
            ).all().map { (try $0.int64("seq"), try $0.optionalUUID("member_id").map { Member.ID($0) }) }
        }
        return state.withLock { state in Self.apply(changes, complete: changes.count <= Self.catchUpLimit, to: &state, at: now()) }
    }

    /// The last change applied (nil: the feed was never read, or not for `idleLimit`).
    var applied: Int64? {
        state.withLock { now().timeIntervalSince($0.lastSync) > Self.idleLimit ? nil : $0.applied }
    }

    /// Applies changes someone else read from the feed: every change after `readAfter`, in order
    /// (`complete`: all of them, not the first few). Nil when they do not reach back to the last
    /// change applied here: then the caller reads through `catchUp` as usual.
    func absorb(_ changes: [(Int64, Member.ID?)], readAfter: Int64, complete: Bool) -> Ticket? {
        state.withLock { state in
            guard let applied = state.applied, applied >= readAfter, now().timeIntervalSince(state.lastSync) <= Self.idleLimit
            else { return nil }
            return Self.apply(changes, complete: complete && changes.count <= Self.catchUpLimit, to: &state, at: now())
        }
    }

    private static func apply(_ changes: [(Int64, Member.ID?)], complete: Bool, to state: inout State, at date: Date) -> Ticket {
        state.lastSync = date
        let fresh = changes.filter { $0.0 > (state.applied ?? 0) }
        if let last = fresh.last?.0 {
            if !complete || fresh.contains(where: { $0.1 == nil }) {
                state.forgetEverything()
            } else {
                for (_, id) in fresh { if let id { state.forget(id) } }
            }
            state.applied = last
            state.generation &+= 1
        }
        return Ticket(generation: state.generation)
    }

    /// Values for `keys` kept in `table`, and the keys to load (each once).
    private func lookup<Key: Hashable & Sendable, Value: Sendable>(
        _ keys: [Key],
        in table: KeyPath<State, [Key: Value]>
    ) -> (found: [Key: Value], missing: [Key]) {
        lookup(keys, in: table) { $0 }
    }

    /// The same, each kept value passed through `present` (nil: found, but nothing to return).
    private func lookup<Key: Hashable & Sendable, Stored: Sendable, Value: Sendable>(
        _ keys: [Key],
        in table: KeyPath<State, [Key: Stored]>,
        present: (Stored) -> Value?
    ) -> (found: [Key: Value], missing: [Key]) {
        state.withLock { state in
            let kept = state[keyPath: table]
            var found: [Key: Value] = Dictionary(minimumCapacity: keys.count)
            var missing: [Key] = []
            var hits = 0
            for key in keys {
                if let value = kept[key] {
                    hits += 1
                    if let value = present(value) { found[key] = value }
                } else {
                    missing.append(key)
                }
            }
            if !missing.isEmpty { missing = Array(Set(missing)) }
            state.hits += hits
            state.misses += missing.count
            return (found, missing)
        }
    }

    /// The values for `keys`: from memory where kept, the rest through `load` (then kept, unless a
    /// change was applied meanwhile). `absent` is what to keep for a key `load` did not return
    /// (nil: keep nothing, ask the database again next time). `summary`: the table is one of the
    /// summaries every list reads (see `State.summaryBytes`).
    func read<Key: Hashable & Sendable, Value: Sendable, Stored: Sendable>(
        _ keys: [Key],
        store: any Store,
        table: WritableKeyPath<State, [Key: Stored]>,
        stored: (Value) -> Stored,
        absent: Stored?,
        present: (Stored) -> Value?,
        weight: (Stored) -> Int,
        summary: Bool = false,
        caughtUp: Ticket? = nil,
        load: ([Key]) async throws -> [Key: Value]
    ) async throws -> [Key: Value] {
        guard !keys.isEmpty else { return [:] }
        let ticket: Ticket
        if let caughtUp { ticket = caughtUp } else { ticket = try await catchUp(store) }
        var (result, missing) = lookup(keys, in: table, present: present)
        guard !missing.isEmpty else { return result }
        let loaded = try await load(missing)
        for (key, value) in loaded { result[key] = value }
        state.withLock { state in
            guard state.generation == ticket.generation else { return }
            for key in missing {
                guard let value = loaded[key].map(stored) ?? absent else { continue }
                state[keyPath: table][key] = value
                let weight = weight(value)
                state.bytes += weight
                if summary { state.summaryBytes += weight }
            }
            state.trim(to: capacity)
        }
        return result
    }

    /// Members' graph vertices: a member's `seq` never changes, so no catch-up is needed.
    func vertices(
        of ids: [Member.ID],
        load: ([Member.ID]) async throws -> [Member.ID: Int32]
    ) async throws -> [Member.ID: Int32] {
        let (kept, missing) = lookup(ids, in: \.vertices)
        guard !missing.isEmpty else { return kept }
        let loaded = try await load(missing)
        remember(loaded.map { ($0.key, $0.value) })
        return kept.merging(loaded) { first, _ in first }
    }

    /// The members at graph vertices (the inverse of `vertices(of:)`).
    func ids(
        at vertices: [Int32],
        load: ([Int32]) async throws -> [Int32: Member.ID]
    ) async throws -> [Int32: Member.ID] {
        let (kept, missing) = lookup(vertices, in: \.idsAtVertex)
        guard !missing.isEmpty else { return kept }
        let loaded = try await load(missing)
        remember(loaded.map { ($0.value, $0.key) })
        return kept.merging(loaded) { first, _ in first }
    }

    /// The members kept at `vertices`, in two lists in step, and the vertices to read (their id or
    /// their member not kept): one look-up under the lock, no dictionary built. The caller has
    /// caught up with the feed first.
    func members(atVertices vertices: [Int32]) -> (found: (vertices: [Int32], members: [Member]), missing: [Int32]) {
        state.withLock { state in
            var found: (vertices: [Int32], members: [Member]) = ([], [])
            found.vertices.reserveCapacity(vertices.count)
            found.members.reserveCapacity(vertices.count)
            var missing: [Int32] = []
            for vertex in vertices {
                if let id = state.idsAtVertex[vertex], let member = state.members[id] {
                    found.vertices.append(vertex)
                    found.members.append(member)
                } else {
                    missing.append(vertex)
                }
            }
            state.hits += found.members.count
            state.misses += missing.count
            return (found, missing)
        }
    }

    /// Members' ids by handle, where kept (a handle never changes: no catch-up is needed), and the
    /// handles to read from the database.
    func ids(ofHandles handles: [Handle]) -> (found: [Handle: Member.ID], missing: [Handle]) {
        lookup(handles, in: \.idsByHandle)
    }

    /// Keeps whose handle is whose (it never changes).
    func remember(handles pairs: [(Handle, Member.ID)]) {
        guard !pairs.isEmpty else { return }
        state.withLock { state in
            for (handle, id) in pairs { state.idsByHandle[handle] = id }
            state.bytes += pairs.count * 64
            state.summaryBytes += pairs.count * 64
            state.trim(to: capacity)
        }
    }

    /// Keeps which member is at which vertex (it never changes).
    func remember(_ pairs: [(Member.ID, Int32)]) {
        state.withLock { state in
            for (id, vertex) in pairs {
                state.vertices[id] = vertex
                state.idsAtVertex[vertex] = id
            }
            state.bytes += pairs.count * 48
            state.summaryBytes += pairs.count * 48
            state.trim(to: capacity)
        }
    }

    /// Profiles by member (a member without one is kept as such: lists ask again).
    func profiles(
        _ ids: [Member.ID],
        store: any Store,
        caughtUp: Ticket? = nil,
        load: ([Member.ID]) async throws -> [Member.ID: Profile]
    ) async throws -> [Member.ID: Profile] {
        try await read(
            ids,
            store: store,
            table: \.profiles,
            stored: { Optional($0) },
            absent: .some(nil),
            present: { $0 },
            weight: MemberCards.weight,
            caughtUp: caughtUp,
            load: load
        )
    }

    /// Profiles' traits by member (absent: no profile), derived under one ticket from the profiles
    /// kept here or, for the rest, from profiles read through `load` for the purpose and not kept:
    /// a list scores hundreds of people to show a few, and keeping every profile it scored crowded
    /// the cache (a weekly run over 100,000 members halved it again and again and read the same
    /// profiles back). Traits are never older than the profiles they come from.
    func traits(
        _ ids: [Member.ID],
        store: any Store,
        load: ([Member.ID]) async throws -> [Member.ID: Profile]
    ) async throws -> [Member.ID: ProfileTraits] {
        guard !ids.isEmpty else { return [:] }
        let ticket = try await catchUp(store)
        var (result, missing) = lookup(ids, in: \.traits, present: { $0 })
        guard !missing.isEmpty else { return result }
        // Kept profiles answer at once (a member kept without one is in neither list).
        let (kept, unread) = lookup(missing, in: \.profiles, present: { $0 })
        let loaded = unread.isEmpty ? [:] : try await load(unread)
        var derived: [(Member.ID, ProfileTraits?)] = []
        derived.reserveCapacity(missing.count)
        for id in missing {
            let traits = (kept[id] ?? loaded[id]).map(ProfileTraits.init)
            if let traits { result[id] = traits }
            derived.append((id, traits))
        }
        state.withLock { state in
            guard state.generation == ticket.generation else { return }
            for (id, traits) in derived { state.traits[id] = .some(traits) }
            state.bytes += derived.count * 40
            state.summaryBytes += derived.count * 40
            state.trim(to: capacity)
        }
        return result
    }

    /// The first page (`size` rows, newest first) of each group's affiliations: from memory where
    /// kept, the rest through `load` (then kept, unless a change was applied meanwhile). A
    /// community has a few dozen to a few thousand groups, and every batch of suggestions asks for
    /// most of them again.
    func peerPages(
        of groups: [PeerGroup],
        size: Int,
        store: any Store,
        load: ([PeerGroup]) async throws -> [PeerGroup: PeerGroup.Page]
    ) async throws -> [PeerGroup: PeerGroup.Page] {
        let pages = try await read(
            groups.map { PeerGroup.Sized(group: $0, size: size) },
            store: store,
            table: \.peerPages,
            stored: { $0 },
            absent: nil,
            present: { $0 },
            weight: MemberCards.weight
        ) { missing in
            try await load(missing.map(\.group)).reduce(into: [:]) { $0[PeerGroup.Sized(group: $1.key, size: size)] = $1.value }
        }
        return pages.reduce(into: [:]) { $0[$1.key.group] = $1.value }
    }

    /// Members by id (names and roles change: through the feed).
    func members(
        _ ids: [Member.ID],
        store: any Store,
        caughtUp: Ticket? = nil,
        load: ([Member.ID]) async throws -> [Member.ID: Member]
    ) async throws -> [Member.ID: Member] {
        try await read(
            ids,
            store: store,
            table: \.members,
            stored: { $0 },
            absent: nil,
            present: { $0 },
            weight: MemberCards.weight,
            summary: true,
            caughtUp: caughtUp,
            load: load
        )
    }
}

/// Rough sizes of kept values, for the cache's bound.
extension MemberCards {
    static func weight(_ member: Member) -> Int {
        160 + member.name.utf8.count + member.handle.rawValue.utf8.count + member.email.rawValue.utf8.count
    }

    static func weight(_ profile: Profile?) -> Int {
        guard let profile else { return 48 }
        let text = [profile.headline, profile.bio, profile.location, profile.industry, profile.website, profile.phone]
        return 400 + text.reduce(0) { $0 + $1.utf8.count } + (profile.skills + profile.interests).reduce(0) { $0 + 16 + $1.utf8.count }
    }

    static func weight(_ page: PeerGroup.Page) -> Int {
        64 + page.rows.count * 32
    }

    static func weight(_ affiliations: [Affiliation]) -> Int {
        48 + affiliations.reduce(0) { $0 + 160 + $1.organization.utf8.count + $1.title.utf8.count + $1.cohort.utf8.count }
    }
}

/// The feed `MemberCards` reads: one row per committed change to what it keeps.
enum MemberChanges {
    /// How long a change stays in the feed (an instance idle for longer starts its cache again).
    static let retention: TimeInterval = 60 * 60

    /// Records, inside the writing transaction, that `member`'s kept rows changed (nil: everyone's).
    /// On PostgreSQL the writes take one advisory lock so sequence numbers commit in order and no
    /// reader skips one (SQLite has one writer). Changes older than `retention` are pruned here.
    static func record(_ member: Member.ID?, in db: any SQLDatabase, dialect: StoreDialect) async throws {
        // Real time, never a caller's clock: a test clock far ahead must not prune what a cache needs.
        let date = Date()
        if dialect == .postgres { try await AdvisoryLock.memberChanges.hold(in: db) }
        try await db.raw(
            "INSERT INTO member_changes (member_id, changed_at) VALUES (\(bind: member?.description), \(bind: Millis.from(date)))"
        ).run()
        try await db.raw(
            "DELETE FROM member_changes WHERE changed_at < \(bind: Millis.from(date.addingTimeInterval(-retention)))"
        ).run()
    }
}
