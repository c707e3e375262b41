import Foundation

/// An immutable part of the word index (as in Lucene): documents numbered from 0, a sorted term
/// dictionary, and for each term its postings — documents in increasing order, each with the
/// term's BM25F weight in that document (saturated, before idf). Facet tokens have their own
/// postings, without weights. Never changed once built, so any number of searches read it
/// without a lock; changes go into new segments and merges build new ones.
final class Segment: Sendable {
    /// Unique within the index: what the index's locator names a document's segment by.
    let serial: Int
    let ids: [UUID]
    let keys: [Int64]
    let locations: [String?]
    let sortKeys: [String]
    /// Sorted; `starts[t]..<starts[t + 1]` are term `t`'s postings.
    let terms: [String]
    let starts: [Int32]
    let documents: [UInt32]
    let weights: [Float]
    let facets: [String: [UInt32]]
    /// Words per field summed over the documents (for the index's averages).
    let fieldWords: [Double]
    /// The documents in name order (sort key, then id: `BrowseHit.precedes`), and each document's
    /// place in it: browsing by facets compares places, not strings. Derived when the segment is
    /// made (also when read from a file, which does not hold them).
    let byName: [UInt32]
    let nameRanks: [UInt32]

    var count: Int { ids.count }

    /// Arrays and strings, roughly: strings of more than 15 bytes live outside their 16-byte value.
    var approximateBytes: Int {
        func text(_ string: String) -> Int { 16 + (string.utf8.count > 15 ? string.utf8.count + 32 : 0) }
        let postings = documents.count * 8 + starts.count * 4
        let dictionary = terms.reduce(0) { $0 + text($1) }
        let facetBytes = facets.reduce(0) { $0 + text($1.key) + 32 + $1.value.count * 4 }
        // Id, key, and the two name-order arrays.
        let perDocument =
            ids.count * (16 + 8 + 8) + locations.reduce(0) { $0 + ($1.map(text) ?? 16) } + sortKeys.reduce(0) { $0 + text($1) }
        return postings + dictionary + facetBytes + perDocument
    }

    init(
        serial: Int,
        ids: [UUID],
        keys: [Int64],
        locations: [String?],
        sortKeys: [String],
        terms: [String],
        starts: [Int32],
        documents: [UInt32],
        weights: [Float],
        facets: [String: [UInt32]],
        fieldWords: [Double]
    ) {
        self.serial = serial
        self.ids = ids
        self.keys = keys
        self.locations = locations
        self.sortKeys = sortKeys
        self.terms = terms
        self.starts = starts
        self.documents = documents
        self.weights = weights
        self.facets = facets
        self.fieldWords = fieldWords
        let byName = Self.nameOrder(sortKeys: sortKeys, ids: ids)
        var nameRanks = [UInt32](repeating: 0, count: byName.count)
        for (rank, document) in byName.enumerated() { nameRanks[Int(document)] = UInt32(rank) }
        self.byName = byName
        self.nameRanks = nameRanks
    }

    /// Document numbers sorted as `BrowseHit.precedes` orders their positions.
    static func nameOrder(sortKeys: [String], ids: [UUID]) -> [UInt32] {
        (0..<UInt32(sortKeys.count)).sorted { first, second in
            let a = Int(first)
            let b = Int(second)
            if sortKeys[a] != sortKeys[b] { return sortKeys[a] < sortKeys[b] }
            return withUnsafeBytes(of: ids[a].uuid) { x in withUnsafeBytes(of: ids[b].uuid) { y in x.lexicographicallyPrecedes(y) } }
        }
    }

    /// How many documents come at or before `position` in name order: the first place after it.
    func nameRank(after position: BrowseHit.Position) -> UInt32 {
        var low = 0
        var high = byName.count
        while low < high {
            let middle = (low + high) / 2
            let document = Int(byName[middle])
            let here = BrowseHit.Position(sortKey: sortKeys[document], id: ids[document])
            if BrowseHit.precedes(position, here) { high = middle } else { low = middle + 1 }
        }
        return UInt32(low)
    }

    static let k1: Float = 1.2
    static let fields = Field.allCases

    /// A segment of `source`, weighed against `lengths` (nil: the documents' own averages).
    convenience init(serial: Int, documents source: [IndexedDocument], lengths: FieldLengths?) {
        var builder = SegmentBuilder()
        for document in source { builder.add(document) }
        self.init(serial: serial, builder: builder, lengths: lengths)
    }

    /// The segment of what `builder` took in: the weights are computed here, once the averages are known.
    convenience init(serial: Int, builder: SegmentBuilder, lengths: FieldLengths?) {
        let averages = lengths?.averages ?? builder.averages
        let terms = builder.postings.keys.sorted()
        var starts: [Int32] = [0]
        var documents: [UInt32] = []
        var weights: [Float] = []
        starts.reserveCapacity(terms.count + 1)
        documents.reserveCapacity(builder.postingCount)
        weights.reserveCapacity(builder.postingCount)
        let fields = Self.fields
        for term in terms {
            let list = builder.postings[term]!
            for (doc, packed) in zip(list.docs, list.packed) {
                var tf: Float = 0
                for field in fields {
                    let frequency = Float((packed >> UInt32(field.rawValue * SegmentBuilder.tfBits)) & SegmentBuilder.tfMax)
                    guard frequency > 0 else { continue }
                    let length = Float(builder.lengths[Int(doc) * fields.count + field.rawValue])
                    let b = field.lengthNormalisation
                    tf += field.weight * frequency / (1 - b + b * length / averages[field.rawValue])
                }
                documents.append(doc)
                weights.append(tf / (Self.k1 + tf))
            }
            starts.append(Int32(documents.count))
        }
        self.init(
            serial: serial,
            ids: builder.ids,
            keys: builder.keys,
            locations: builder.locations,
            sortKeys: builder.sortKeys,
            terms: terms,
            starts: starts,
            documents: documents,
            weights: weights,
            facets: builder.facets,
            fieldWords: builder.fieldWords
        )
    }

    /// The live documents of `parts` (in order) as one segment, reusing their postings' weights:
    /// no text is tokenised again. Returns the new segment.
    static func merging(_ parts: [(segment: Segment, dead: Set<UInt32>)], serial: Int) -> Segment {
        var ids: [UUID] = []
        var keys: [Int64] = []
        var locations: [String?] = []
        var sortKeys: [String] = []
        var renumbered: [[UInt32]] = []
        var fieldWords = [Double](repeating: 0, count: fields.count)
        for (segment, dead) in parts {
            var map = [UInt32](repeating: .max, count: segment.count)
            for doc in 0..<segment.count where !dead.contains(UInt32(doc)) {
                map[doc] = UInt32(ids.count)
                ids.append(segment.ids[doc])
                keys.append(segment.keys[doc])
                locations.append(segment.locations[doc])
                sortKeys.append(segment.sortKeys[doc])
            }
            renumbered.append(map)
            let live = Double(segment.count - dead.count) / Double(max(segment.count, 1))
            for field in fields { fieldWords[field.rawValue] += segment.fieldWords[field.rawValue] * live }
        }
        var allTerms = Set<String>()
        for (segment, _) in parts { allTerms.formUnion(segment.terms) }
        var terms: [String] = []
        var starts: [Int32] = [0]
        var documents: [UInt32] = []
        var weights: [Float] = []
        var cursors = [Int](repeating: 0, count: parts.count)
        for term in allTerms.sorted() {
            for (part, (segment, _)) in parts.enumerated() {
                // Each part's terms are sorted too: its cursor only moves forward.
                var index = cursors[part]
                while index < segment.terms.count && segment.terms[index] < term { index += 1 }
                cursors[part] = index
                guard index < segment.terms.count, segment.terms[index] == term else { continue }
                let map = renumbered[part]
                for posting in Int(segment.starts[index])..<Int(segment.starts[index + 1]) {
                    let doc = map[Int(segment.documents[posting])]
                    guard doc != .max else { continue }
                    documents.append(doc)
                    weights.append(segment.weights[posting])
                }
            }
            // A term whose postings all belonged to removed documents is dropped.
            guard Int(starts.last!) < documents.count else { continue }
            terms.append(term)
            starts.append(Int32(documents.count))
        }
        var facets: [String: [UInt32]] = [:]
        for (part, (segment, _)) in parts.enumerated() {
            let map = renumbered[part]
            for (token, docs) in segment.facets {
                for doc in docs where map[Int(doc)] != .max { facets[token, default: []].append(map[Int(doc)]) }
            }
        }
        return Segment(
            serial: serial,
            ids: ids,
            keys: keys,
            locations: locations,
            sortKeys: sortKeys,
            terms: terms,
            starts: starts,
            documents: documents,
            weights: weights,
            facets: facets,
            fieldWords: fieldWords
        )
    }
}

/// Takes in documents one at a time (so a rebuild never holds every member's text at once):
/// each is tokenised once into, per term, its documents and the term's frequency in each field
/// (packed 6 bits a field), and each field's length. `Segment(serial:builder:lengths:)` then
/// computes the weights.
public struct SegmentBuilder: Sendable {
    static let tfBits = 6
    static let tfMax = UInt32(1 << tfBits) - 1

    var ids: [UUID] = []
    var keys: [Int64] = []
    var locations: [String?] = []
    var sortKeys: [String] = []
    var postings: [String: (docs: [UInt32], packed: [UInt32])] = [:]
    var postingCount = 0
    var facets: [String: [UInt32]] = [:]
    /// Words per field per document, `Field.allCases.count` per document.
    var lengths: [UInt16] = []
    var fieldWords = [Double](repeating: 0, count: Field.allCases.count)
    private var counts: [String: UInt32] = [:]

    public init() {}

    public var count: Int { ids.count }

    var averages: [Float] {
        fieldWords.map { ids.isEmpty ? 1 : Float(max($0 / Double(ids.count), 1)) }
    }

    public mutating func add(_ document: IndexedDocument) {
        let number = UInt32(ids.count)
        ids.append(document.id)
        keys.append(document.key)
        locations.append(document.location)
        sortKeys.append(document.sortKey)
        counts.removeAll(keepingCapacity: true)
        for field in Segment.fields {
            var length = 0
            let shift = UInt32(field.rawValue * Self.tfBits)
            Words.forEach(in: document.texts[field.rawValue]) { word in
                length += 1
                let packed = counts[word, default: 0]
                if (packed >> shift) & Self.tfMax < Self.tfMax { counts[word] = packed + (1 << shift) }
            }
            lengths.append(UInt16(min(length, Int(UInt16.max))))
            fieldWords[field.rawValue] += Double(length)
        }
        for (word, packed) in counts {
            if let found = postings.index(forKey: word) {
                postings.values[found].docs.append(number)
                postings.values[found].packed.append(packed)
            } else {
                postings[word] = ([number], [packed])
            }
        }
        postingCount += counts.count
        for token in Set(document.facets) { facets[token, default: []].append(number) }
    }
}
