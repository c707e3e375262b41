public import Foundation
import Synchronization

/// An in-memory inverted index of members' community-visible words, per instance: ranked word
/// search with facets, a location filter, blocked members left out and keyset pages, without
/// reading the database.
///
/// **Shape.** Immutable `Segment`s (one large one built at start, small ones for changes) and,
/// per segment, the documents since removed. A change to a member builds a segment of that member
/// and marks their old document removed; when there are more than `segmentLimit` segments, the
/// small ones merge into one (reusing their weights), and when the removed documents or the small
/// segments grow large, everything merges. A search copies the current `Snapshot` under a lock
/// (a few references) and reads it without one, so searches never wait for each other or for a change.
///
/// **Ranking.** BM25F over the fields of `Field` with their weights (name, headline, skills,
/// organisations, other text); every word must match (a word of two or more letters as a prefix);
/// the score is the sum over the words of idf × the saturated field-weighted frequency. Words that
/// share a prefix add up ("engineer" and "engineering" for "engin"), as FTS5 counts them. Scores
/// are integers (× 1,000) so that a cursor (score, key) is exact. Idf counts removed documents
/// until their segment merges, as Lucene's does; small segments use the large segment's average
/// field lengths.
public final class WordIndex: Sendable {
    /// What a search reads: segments and their removed documents, never changed in place.
    public struct Snapshot: Sendable {
        var segments: [Segment] = []
        var removed: [Set<UInt32>] = []
        var lengths = FieldLengths.neutral
        /// The last change of the caller's feed that this snapshot includes (nil: never built).
        public internal(set) var applied: Int64?

        /// Documents in the index, including removed ones not yet merged away.
        public var documentCount: Int { segments.reduce(0) { $0 + $1.count } }
        public var liveCount: Int { documentCount - removed.reduce(0) { $0 + $1.count } }
        public var segmentCount: Int { segments.count }
        /// Postings held (each 8 bytes: a document number and a weight).
        public var postingCount: Int { segments.reduce(0) { $0 + $1.documents.count } }
        /// What the index's arrays and strings hold, roughly (not counting allocator overhead).
        public var approximateBytes: Int { segments.reduce(0) { $0 + $1.approximateBytes } }
    }

    /// Where a member's current document is.
    struct Address {
        var serial: Int
        var document: UInt32
    }

    struct Writer {
        var locator: [UUID: Address] = [:]
        var nextSerial = 0
    }

    static let segmentLimit = 8

    private let published = Mutex(Snapshot())
    /// Held by whoever changes the index, for the whole change (builds and merges included), so
    /// changes apply one at a time; searches never take it.
    private let writer = Mutex(Writer())

    public init() {}

    public var snapshot: Snapshot { published.withLock { $0 } }

    /// Replaces everything with `documents`, as of the caller's change `applied`.
    public func replaceAll(with documents: [IndexedDocument], applied: Int64) {
        var builder = SegmentBuilder()
        for document in documents { builder.add(document) }
        replaceAll(with: builder, applied: applied)
    }

    /// Replaces everything with what `builder` took in, as of the caller's change `applied`.
    public func replaceAll(with builder: SegmentBuilder, applied: Int64) {
        writer.withLock { writer in
            let segment = Segment(serial: writer.nextSerial, builder: builder, lengths: nil)
            writer.nextSerial += 1
            writer.locator = Dictionary(
                segment.ids.enumerated().map { ($0.element, Address(serial: segment.serial, document: UInt32($0.offset))) },
                uniquingKeysWith: { _, last in last }
            )
            var snapshot = Snapshot()
            snapshot.segments = [segment]
            snapshot.removed = [Self.duplicates(in: segment)]
            snapshot.lengths = Self.averages(of: [segment])
            snapshot.applied = applied
            published.withLock { $0 = snapshot }
        }
    }

    /// Takes `snapshot` (read back from a `WordIndexFile`) as the index, every member's document
    /// where the snapshot has it.
    public func restore(_ snapshot: Snapshot) {
        writer.withLock { writer in
            writer.locator = [:]
            writer.locator.reserveCapacity(snapshot.liveCount)
            for (segment, removed) in zip(snapshot.segments, snapshot.removed) {
                for (number, id) in segment.ids.enumerated() where !removed.contains(UInt32(number)) {
                    writer.locator[id] = Address(serial: segment.serial, document: UInt32(number))
                }
            }
            writer.nextSerial = (snapshot.segments.map(\.serial).max() ?? -1) + 1
            published.withLock { $0 = snapshot }
        }
    }

    /// Applies the caller's changes `changes` (change number, member) with the members' documents
    /// as read after those changes (a member without one is removed). Changes at or before the last
    /// one applied are skipped: another caller already applied them, with documents at least as new.
    public func apply(changes: [(Int64, UUID)], documents: [UUID: IndexedDocument]) {
        writer.withLock { writer in
            var snapshot = published.withLock { $0 }
            guard let applied = snapshot.applied else { return }
            let fresh = changes.filter { $0.0 > applied }
            guard let last = fresh.map(\.0).max() else { return }
            let members = Set(fresh.map(\.1))
            for member in members {
                guard let address = writer.locator.removeValue(forKey: member),
                    let index = snapshot.segments.firstIndex(where: { $0.serial == address.serial })
                else { continue }
                snapshot.removed[index].insert(address.document)
            }
            let added = members.compactMap { documents[$0] }
            if !added.isEmpty {
                let segment = Segment(serial: writer.nextSerial, documents: added, lengths: snapshot.lengths)
                writer.nextSerial += 1
                snapshot.segments.append(segment)
                snapshot.removed.append([])
                for (number, id) in segment.ids.enumerated() {
                    writer.locator[id] = Address(serial: segment.serial, document: UInt32(number))
                }
            }
            snapshot.applied = last
            Self.mergeIfNeeded(&snapshot, &writer)
            published.withLock { $0 = snapshot }
        }
    }

    /// Merges the small segments when there are too many, everything when a quarter of the
    /// documents are removed ones or the small segments hold a quarter of the live documents.
    static func mergeIfNeeded(_ snapshot: inout Snapshot, _ writer: inout Writer) {
        guard snapshot.segments.count > segmentLimit else { return }
        let removed = snapshot.removed.reduce(0) { $0 + $1.count }
        let small = snapshot.segments.dropFirst().reduce(0) { $0 + $1.count }
        let everything = removed * 4 > snapshot.documentCount || small * 4 > snapshot.segments[0].count
        let from = everything ? 0 : 1
        let parts = (from..<snapshot.segments.count).map { (snapshot.segments[$0], snapshot.removed[$0]) }
        let merged = Segment.merging(parts, serial: writer.nextSerial)
        writer.nextSerial += 1
        snapshot.segments = Array(snapshot.segments[..<from]) + [merged]
        snapshot.removed = Array(snapshot.removed[..<from]) + [[]]
        for (number, id) in merged.ids.enumerated() {
            writer.locator[id] = Address(serial: merged.serial, document: UInt32(number))
        }
        if everything { snapshot.lengths = averages(of: [merged]) }
    }

    static func averages(of segments: [Segment]) -> FieldLengths {
        let count = Double(max(segments.reduce(0) { $0 + $1.count }, 1))
        return FieldLengths(
            averages: Field.allCases.map { field in
                Float(max(segments.reduce(0) { $0 + $1.fieldWords[field.rawValue] } / count, 1))
            }
        )
    }

    /// A member given twice to `replaceAll` keeps their last document.
    private static func duplicates(in segment: Segment) -> Set<UInt32> {
        var last: [UUID: UInt32] = [:]
        var removed: Set<UInt32> = []
        for (number, id) in segment.ids.enumerated() {
            if let earlier = last.updateValue(UInt32(number), forKey: id) { removed.insert(earlier) }
        }
        return removed
    }
}
