public import Foundation

/// Browsing by facets without words: the members with every facet token (and the location, when
/// given), in name order — the sort key, then the id in the order of its text — after `after`.
public struct FacetBrowse: Sendable {
    public var facets: [String]
    public var location: String?
    public var excluding: Set<Int64>
    public var after: BrowseHit.Position?
    public var limit: Int

    public init(facets: [String], location: String? = nil, excluding: Set<Int64> = [], after: BrowseHit.Position? = nil, limit: Int) {
        self.facets = facets
        self.location = location
        self.excluding = excluding
        self.after = after
        self.limit = limit
    }
}

public struct BrowseHit: Sendable, Equatable {
    public var id: UUID
    public var key: Int64
    public var sortKey: String

    public struct Position: Sendable, Equatable {
        public var sortKey: String
        public var id: UUID

        public init(sortKey: String, id: UUID) {
            self.sortKey = sortKey
            self.id = id
        }
    }

    /// Sort key, then id: an id's text (lowercase hexadecimal) orders as its bytes do.
    static func precedes(_ first: Position, _ second: Position) -> Bool {
        if first.sortKey != second.sortKey { return first.sortKey < second.sortKey }
        return withUnsafeBytes(of: first.id.uuid) { a in
            withUnsafeBytes(of: second.id.uuid) { b in a.lexicographicallyPrecedes(b) }
        }
    }

    public var position: Position { Position(sortKey: sortKey, id: id) }
}

extension WordIndex.Snapshot {
    /// The first `limit` members for `query` in name order: facet postings intersected (rarest
    /// first); in each segment the documents' places in name order kept in a bounded heap of
    /// integers — once it is full, a document placed after its worst is dropped before any other
    /// check — and only the few kept turned into hits, merged across segments by name.
    public func browse(_ query: FacetBrowse) -> [BrowseHit] {
        guard query.limit > 0, !query.facets.isEmpty else { return [] }
        var best = TopK<BrowseHit>(limit: query.limit) { BrowseHit.precedes($0.position, $1.position) }
        for (number, segment) in segments.enumerated() {
            var lists = query.facets.map { segment.facets[$0] ?? [] }
            guard lists.allSatisfy({ !$0.isEmpty }) else { continue }
            lists.sort { $0.count < $1.count }
            var documents = lists[0]
            for list in lists.dropFirst() {
                documents = Self.intersection(documents, list)
                if documents.isEmpty { break }
            }
            let removed = self.removed[number]
            let ranks = segment.nameRanks
            // Places before this one are at or before the cursor.
            let first = query.after.map { segment.nameRank(after: $0) } ?? 0
            // Place in the high half, document in the low: ordered by place.
            var kept = TopK<UInt64>(limit: query.limit, by: <)
            for document in documents {
                let rank = ranks[Int(document)]
                guard rank >= first else { continue }
                let packed = UInt64(rank) << 32 | UInt64(document)
                if let worst = kept.worstIfFull, packed > worst { continue }
                let index = Int(document)
                guard !removed.contains(document), !query.excluding.contains(segment.keys[index]) else { continue }
                if let location = query.location {
                    guard let held = segment.locations[index], held.range(of: location) != nil else { continue }
                }
                kept.insert(packed)
            }
            for packed in kept.sorted() {
                let index = Int(UInt32(truncatingIfNeeded: packed))
                best.insert(BrowseHit(id: segment.ids[index], key: segment.keys[index], sortKey: segment.sortKeys[index]))
            }
        }
        return best.sorted()
    }

    /// The documents in both ascending lists.
    static func intersection(_ first: [UInt32], _ second: [UInt32]) -> [UInt32] {
        var result: [UInt32] = []
        var i = 0
        var j = 0
        while i < first.count && j < second.count {
            if first[i] == second[j] {
                result.append(first[i])
                i += 1
                j += 1
            } else if first[i] < second[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return result
    }
}
