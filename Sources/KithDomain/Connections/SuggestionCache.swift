import Synchronization

/// Each member's last suggestions, kept while nothing they were ranked from has changed — so a
/// home page, a suggestions page and the API asked again and again rank once.
///
/// A list is ranked from the graph (its last change applied), the members' rows (names, profiles
/// with each section's visibility, affiliations, roles: `ProfileRepository.memberDataMark()`,
/// which moves whenever this instance learns that any of them changed) and the viewer's blocks and
/// open connection requests (read fresh on every ask, never kept). A kept list is given only when
/// all of these are what they were when it was ranked; anything else ranks again. So a hidden
/// section, a block or a new connection is honoured exactly as without the cache, on the next ask.
///
/// A list ranked for a page of `limit` starts every shorter page (`SuggestionService.diversified`
/// keeps its order as the page grows), so the home page's two and the page's twenty share one.
final class SuggestionCache: Sendable {
    /// What a list was ranked from, besides the viewer's blocks and requests.
    struct Version: Equatable, Sendable {
        var graph: Int64
        var members: UInt64
    }

    private struct Entry: Sendable {
        var version: Version
        /// Blocked either way and open requests: members the list had to leave out.
        var excluded: Set<Member.ID>
        var limit: Int
        var suggestions: [Suggestion]

        /// The first `limit` suggestions when this list holds them: ranked for at least as many,
        /// or shorter than it was allowed to be (there are no more).
        func page(_ limit: Int) -> [Suggestion]? {
            guard limit <= self.limit || suggestions.count < self.limit else { return nil }
            // The kept array itself when it is the whole page: one that asks again gets the same
            // storage, so comparing it with an earlier answer takes no time (`AnswerMemo`).
            return limit >= suggestions.count ? suggestions : Array(suggestions.prefix(limit))
        }
    }

    private struct State: Sendable {
        /// The newest version stored; lists ranked from any other are dropped as soon as one is.
        var version: Version?
        var entries: [Member.ID: Entry] = [:]
        var hits = 0
        var misses = 0
    }

    private let state = Mutex(State())
    /// At most this many members' lists (past it, all are dropped and kept again as asked).
    let capacity: Int

    init(capacity: Int = 4_096) {
        self.capacity = capacity
    }

    /// The kept list for `viewer`, when it was ranked from `version` with the same members left
    /// out and holds a page of `limit`.
    func suggestions(for viewer: Member.ID, limit: Int, version: Version, excluded: Set<Member.ID>) -> [Suggestion]? {
        state.withLock { state in
            guard let entry = state.entries[viewer], entry.version == version, entry.excluded == excluded,
                let page = entry.page(limit)
            else {
                state.misses += 1
                return nil
            }
            state.hits += 1
            return page
        }
    }

    /// Keeps a list just ranked. A list from another version than the newest kept replaces every
    /// list kept (they can no longer be given); a list from an older one is not kept.
    func keep(_ suggestions: [Suggestion], for viewer: Member.ID, limit: Int, version: Version, excluded: Set<Member.ID>) {
        state.withLock { state in
            if let current = state.version, current != version {
                guard version.graph >= current.graph && version.members >= current.members else { return }
                state.entries.removeAll(keepingCapacity: true)
            }
            state.version = version
            if let kept = state.entries[viewer], kept.version == version, kept.excluded == excluded, kept.limit > limit {
                return
            }
            if state.entries.count >= capacity && state.entries[viewer] == nil { state.entries.removeAll(keepingCapacity: true) }
            state.entries[viewer] = Entry(version: version, excluded: excluded, limit: limit, suggestions: suggestions)
        }
    }

    /// How often a list was given from here (for the benchmarks and tests).
    var counts: (hits: Int, misses: Int) { state.withLock { ($0.hits, $0.misses) } }
}
