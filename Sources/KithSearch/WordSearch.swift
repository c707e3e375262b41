public import Foundation

/// A ranked word search: every word must match (two letters or more: as a prefix), every facet
/// token too; `excluding` members (by key) never appear; `after` continues a list.
public struct WordQuery: Sendable {
    public var words: [String]
    public var facets: [String]
    /// A substring the member's location must contain (already in the form the documents hold).
    public var location: String?
    public var excluding: Set<Int64>
    public var after: WordHit.Position?
    public var limit: Int

    public init(
        words: [String],
        facets: [String] = [],
        location: String? = nil,
        excluding: Set<Int64> = [],
        after: WordHit.Position? = nil,
        limit: Int
    ) {
        self.words = words
        self.facets = facets
        self.location = location
        self.excluding = excluding
        self.after = after
        self.limit = limit
    }
}

/// One member found, with the integer score the list is ordered by (then `key`).
public struct WordHit: Sendable, Equatable {
    public var id: UUID
    public var key: Int64
    public var score: Int64

    /// A place in a ranked list: what a cursor holds.
    public struct Position: Sendable, Equatable {
        public var score: Int64
        public var key: Int64

        public init(score: Int64, key: Int64) {
            self.score = score
            self.key = key
        }
    }

    public var position: Position { Position(score: score, key: key) }

    /// Higher score first, then lower key: the list's order.
    static func precedes(_ first: WordHit, _ second: WordHit) -> Bool {
        first.score > second.score || (first.score == second.score && first.key < second.key)
    }
}

extension WordIndex.Snapshot {
    /// One word's or facet's postings in each segment (ranges of postings with the idf of their
    /// term), which every document must have at least once.
    private struct Clause {
        var ranges: [[(postings: Range<Int>, idf: Float)]]
        var facetDocuments: [[UInt32]]
        var size: Int
    }

    /// The best `limit` members for `query`, best first: every match is scored in memory from the
    /// postings (a few nanoseconds each) and only `limit` are kept (a bounded heap).
    public func search(_ query: WordQuery) -> [WordHit] {
        let words = query.words.flatMap(Words.split)
        guard query.limit > 0, !words.isEmpty || !query.facets.isEmpty, !segments.isEmpty else { return [] }
        var clauses: [Clause] = []
        let total = Float(documentCount)
        for word in words {
            let prefix = word.count >= 2
            var frequency: [String: Int] = [:]
            let matches = segments.map { segment in
                let terms = segment.matching(word, prefix: prefix)
                for term in terms { frequency[segment.terms[term], default: 0] += segment.postingCount(term) }
                return terms
            }
            var clause = Clause(ranges: [], facetDocuments: [], size: 0)
            for (segment, terms) in zip(segments, matches) {
                clause.ranges.append(
                    terms.map { term in
                        let df = Float(frequency[segment.terms[term]] ?? 0)
                        let idf = Float(log(1 + (Double(total) - Double(df) + 0.5) / (Double(df) + 0.5)))
                        return (Int(segment.starts[term])..<Int(segment.starts[term + 1]), idf)
                    }
                )
            }
            clause.size = frequency.values.reduce(0, +)
            guard clause.size > 0 else { return [] }
            clauses.append(clause)
        }
        for token in query.facets {
            let lists = segments.map { $0.facets[token] ?? [] }
            let size = lists.reduce(0) { $0 + $1.count }
            guard size > 0 else { return [] }
            clauses.append(Clause(ranges: [], facetDocuments: lists, size: size))
        }
        // The rarest first: the first clause decides the candidates.
        clauses.sort { $0.size < $1.size }
        var best = TopK<WordHit>(limit: query.limit, by: WordHit.precedes)
        for (number, segment) in segments.enumerated() {
            search(segment, removed: removed[number], at: number, clauses: clauses, query: query, into: &best)
        }
        return best.sorted()
    }

    private func search(
        _ segment: Segment,
        removed: Set<UInt32>,
        at number: Int,
        clauses: [Clause],
        query: WordQuery,
        into best: inout TopK<WordHit>
    ) {
        guard segment.count > 0 else { return }
        for clause in clauses {
            let empty = clause.ranges.isEmpty ? clause.facetDocuments[number].isEmpty : clause.ranges[number].isEmpty
            if empty { return }
        }
        var scores = [Float](repeating: 0, count: segment.count)
        var matched = [UInt8](repeating: 0, count: segment.count)
        var candidates: [UInt32] = []
        for (stage, clause) in clauses.enumerated() {
            let before = UInt8(stage)
            let last = stage == clauses.count - 1
            if clause.ranges.isEmpty {
                for document in clause.facetDocuments[number] where matched[Int(document)] == before {
                    matched[Int(document)] = before + 1
                    if last { candidates.append(document) }
                }
                continue
            }
            segment.documents.withUnsafeBufferPointer { documents in
                segment.weights.withUnsafeBufferPointer { weights in
                    for (postings, idf) in clause.ranges[number] {
                        for posting in postings {
                            let document = Int(documents[posting])
                            let seen = matched[document]
                            if seen == before {
                                matched[document] = before + 1
                                scores[document] += idf * weights[posting]
                                if last { candidates.append(UInt32(document)) }
                            } else if seen == before + 1 {
                                scores[document] += idf * weights[posting]
                            }
                        }
                    }
                }
            }
        }
        let excludes = !removed.isEmpty || !query.excluding.isEmpty
        for document in candidates {
            let score = Int64((scores[Int(document)] * 1000).rounded())
            let key = segment.keys[Int(document)]
            // Cheapest first: once the list is full, a match that would not enter it is not looked
            // at further (a common word matches far more members than a page shows).
            if let worst = best.worstIfFull, !(score > worst.score || (score == worst.score && key < worst.key)) { continue }
            if let after = query.after {
                guard score < after.score || (score == after.score && key > after.key) else { continue }
            }
            if excludes && (removed.contains(document) || query.excluding.contains(key)) { continue }
            if let location = query.location {
                guard let held = segment.locations[Int(document)], held.range(of: location) != nil else { continue }
            }
            best.insert(WordHit(id: segment.ids[Int(document)], key: key, score: score))
        }
    }
}

extension Segment {
    /// The terms `word` matches: those starting with it, or only itself.
    func matching(_ word: String, prefix: Bool) -> Range<Int> {
        var low = 0
        var high = terms.count
        while low < high {
            let middle = (low + high) / 2
            if terms[middle] < word { low = middle + 1 } else { high = middle }
        }
        guard prefix else { return low < terms.count && terms[low] == word ? low..<(low + 1) : low..<low }
        var end = low
        while end < terms.count && terms[end].hasPrefix(word) { end += 1 }
        return low..<end
    }

    func postingCount(_ term: Int) -> Int { Int(starts[term + 1] - starts[term]) }
}

/// The best `limit` elements seen so far (by `precedes`): a binary heap whose root is the worst.
struct TopK<Element> {
    let limit: Int
    let precedes: (Element, Element) -> Bool
    private var heap: [Element] = []

    init(limit: Int, by precedes: @escaping (Element, Element) -> Bool) {
        self.limit = limit
        self.precedes = precedes
        heap.reserveCapacity(limit)
    }

    mutating func insert(_ element: Element) {
        if heap.count < limit {
            heap.append(element)
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard precedes(heap[parent], heap[child]) else { break }
                heap.swapAt(parent, child)
                child = parent
            }
        } else if let root = heap.first, precedes(element, root) {
            heap[0] = element
            var parent = 0
            while true {
                var worst = parent
                for child in [2 * parent + 1, 2 * parent + 2] where child < heap.count {
                    if precedes(heap[worst], heap[child]) { worst = child }
                }
                guard worst != parent else { break }
                heap.swapAt(parent, worst)
                parent = worst
            }
        }
    }

    /// The worst element kept, once `limit` are: what a new one must precede to be kept.
    var worstIfFull: Element? { heap.count == limit ? heap.first : nil }

    func sorted() -> [Element] { heap.sorted(by: precedes) }
}
