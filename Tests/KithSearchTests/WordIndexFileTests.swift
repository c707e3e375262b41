import Foundation
import Testing

@testable import KithSearch

/// The word index written to a file and read back (`WordIndexFile`): the same answers as the
/// index it was written from, changes applied afterwards land alike, and a damaged file is an
/// error — never a crash or an index that answers differently.
@Suite struct WordIndexFileTests {
    static let words = ["engineer", "eng", "nurse", "lisbon", "data", "kestrel", "ada", "zz", "engineer data", "ma"]

    /// An index of several segments with removed documents: one large segment, then changes.
    static func index() -> WordIndex {
        let index = WordIndex()
        let headlines = ["Engineer", "Nurse", "Data engineer", "Kestrel ranger", "Teacher", "Manager"]
        index.replaceAll(
            with: (1...300).map { key in
                WordIndexTests.document(
                    Int64(key),
                    name: "Member \(key) " + (key % 7 == 0 ? "Ada" : "Bea"),
                    headline: headlines[key % headlines.count],
                    skills: key % 3 == 0 ? "Data, Swift" : "Care",
                    organizations: key % 5 == 0 ? "Lisbon Hospital" : "Acme",
                    other: "Zoë likes jazz " + String(repeating: "and walks ", count: key % 4),
                    facets: ["zqc0\(key % 3)"],
                    location: key % 2 == 0 ? "lisbon portugal" : nil
                )
            },
            applied: 10
        )
        for round in 0..<4 {
            let changed = (1...12).map { Int64($0 * 23 + round) }
            let documents = changed.filter { $0 % 5 != 0 }.map { key in
                WordIndexTests.document(key, name: "Renamed \(key)", headline: "Kestrel engineer \(round)", facets: ["zqc09"])
            }
            // Members whose key is a multiple of five leave (no document): removed, not replaced.
            index.apply(
                changes: changed.enumerated().map { (Int64(11 + round * 12 + $0.offset), WordIndexTests.document($0.element).id) },
                documents: Dictionary(uniqueKeysWithValues: documents.map { ($0.id, $0) })
            )
        }
        return index
    }

    static func answers(_ index: WordIndex) -> [[WordHit]] {
        words.flatMap { words in
            [
                index.snapshot.search(WordQuery(words: [words], limit: 50)),
                index.snapshot.search(WordQuery(words: [words], facets: ["zqc00"], location: "lisbon", limit: 50)),
            ]
        } + [index.snapshot.search(WordQuery(words: ["kestrel"], facets: ["zqc09"], limit: 50))]
    }

    static func temporaryFile() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("kith-word-index-\(UUID().uuidString)")
    }

    @Test func anIndexReadBackAnswersAsTheOneWritten() throws {
        let index = Self.index()
        let written = index.snapshot
        #expect(written.segmentCount > 1, "the test needs several segments")
        #expect(written.liveCount < written.documentCount, "and removed documents")
        let file = Self.temporaryFile()
        defer { try? FileManager.default.removeItem(at: file) }
        try WordIndexFile.write(written, label: Array("label".utf8), to: file)
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        let (read, label) = try WordIndexFile.read(from: file)
        #expect(label == Array("label".utf8))
        let restored = WordIndex()
        restored.restore(read)
        #expect(restored.snapshot.applied == written.applied)
        #expect(restored.snapshot.documentCount == written.documentCount)
        #expect(restored.snapshot.liveCount == written.liveCount)
        #expect(restored.snapshot.segmentCount == written.segmentCount)
        let before = Self.answers(index)
        #expect(before.contains { $0.count > 5 })
        #expect(Self.answers(restored) == before)

        // A change applied to both after reading lands alike: the locator was restored.
        let change = WordIndexTests.document(7, name: "Quilla Moss", headline: "Nurse")
        let gone = WordIndexTests.document(8)
        for each in [index, restored] {
            each.apply(changes: [(500, change.id), (501, gone.id)], documents: [change.id: change])
        }
        #expect(Self.answers(restored) == Self.answers(index))
        #expect(restored.snapshot.search(WordQuery(words: ["quilla"], limit: 5)).map(\.key) == [7])
        #expect(restored.snapshot.liveCount == index.snapshot.liveCount)
    }

    @Test func anEmptyIndexAndANeverBuiltOneRoundTrip() throws {
        let file = Self.temporaryFile()
        defer { try? FileManager.default.removeItem(at: file) }
        try WordIndexFile.write(WordIndex().snapshot, label: [], to: file)
        #expect(try WordIndexFile.read(from: file).snapshot.applied == nil)
        let empty = WordIndex()
        empty.replaceAll(with: [], applied: 3)
        try WordIndexFile.write(empty.snapshot, label: [1, 2], to: file)
        let (read, label) = try WordIndexFile.read(from: file)
        #expect(read.applied == 3 && read.documentCount == 0 && label == [1, 2])
    }

    /// Every truncation and a changed byte at many places: an error each time, never a crash.
    @Test func aDamagedFileIsAnErrorNeverACrash() throws {
        let file = Self.temporaryFile()
        defer { try? FileManager.default.removeItem(at: file) }
        try WordIndexFile.write(Self.index().snapshot, label: Array("label".utf8), to: file)
        let whole = try Data(contentsOf: file)
        var rejected = 0
        let cuts = Array(stride(from: 0, to: whole.count, by: max(1, whole.count / 97))) + [whole.count - 1]
        for cut in cuts {
            try whole.prefix(cut).write(to: file)
            #expect(throws: WordIndexFile.Unreadable.self) { try WordIndexFile.read(from: file) }
            rejected += 1
        }
        for place in stride(from: 0, to: whole.count, by: max(1, whole.count / 211)) {
            var damaged = whole
            damaged[place] ^= 0x5a
            try damaged.write(to: file)
            #expect(throws: WordIndexFile.Unreadable.self) { try WordIndexFile.read(from: file) }
            rejected += 1
        }
        var longer = whole
        longer.append(contentsOf: [0, 0, 0, 0])
        try longer.write(to: file)
        #expect(throws: WordIndexFile.Unreadable.self) { try WordIndexFile.read(from: file) }
        try FileManager.default.removeItem(at: file)
        #expect(throws: WordIndexFile.Unreadable.self) { try WordIndexFile.read(from: file) }
        #expect(rejected > 250)
    }

    /// A file whose checksum is right but whose numbers point past their arrays (written by a
    /// faulty build, say) is refused by the structural checks.
    @Test func aConsistentChecksumDoesNotMakeInconsistentArraysReadable() throws {
        let file = Self.temporaryFile()
        defer { try? FileManager.default.removeItem(at: file) }
        let index = WordIndex()
        index.replaceAll(with: [WordIndexTests.document(1, name: "Ada"), WordIndexTests.document(2, name: "Bea")], applied: 1)
        try WordIndexFile.write(index.snapshot, label: [], to: file)
        var data = try Data(contentsOf: file)
        let payload = data.count - WordIndexFile.headerSize
        // The postings' document numbers as written, with the last one made 9 (two documents).
        var segmentDocuments = index.snapshot.segments[0].documents
        segmentDocuments[segmentDocuments.count - 1] = 9
        // As written: the count, then the numbers (little-endian).
        func encoded(_ numbers: [UInt32]) -> Data {
            withUnsafeBytes(of: UInt64(numbers.count).littleEndian) { Data($0) } + numbers.withUnsafeBytes { Data($0) }
        }
        let needle = encoded(segmentDocuments)
        let original = encoded(index.snapshot.segments[0].documents)
        guard let range = data.range(of: original, in: WordIndexFile.headerSize..<data.count) else {
            Issue.record("postings not found in the file")
            return
        }
        #expect(data.range(of: original, in: range.upperBound..<data.count) == nil, "found once")
        data.replaceSubrange(range, with: needle)
        let checksum = data.suffix(payload).withUnsafeBytes { WordIndexFile.Checksum.blocks(of: $0) }
        withUnsafeBytes(of: checksum.littleEndian) { data.replaceSubrange(16..<24, with: $0) }
        try data.write(to: file)
        let error = #expect(throws: WordIndexFile.Unreadable.self) { try WordIndexFile.read(from: file) }
        #expect(error?.description.contains("posting documents") == true)
    }

    @Test func writingReplacesTheFileWholeAndLeavesNoPartialFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kith-wi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("word-index")
        let first = WordIndex()
        first.replaceAll(with: [WordIndexTests.document(1, name: "Ada")], applied: 1)
        try WordIndexFile.write(first.snapshot, label: [1], to: file)
        try WordIndexFile.write(Self.index().snapshot, label: [2], to: file)
        #expect(try WordIndexFile.read(from: file).label == [2])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["word-index"])
        // A partial file of a process that no longer runs is removed; the file itself stays.
        let leftover = directory.appendingPathComponent(".word-index.999999999.partial")
        try Data([1, 2, 3]).write(to: leftover)
        WordIndexFile.removeLeftovers(of: file)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["word-index"])
    }

    @Test func theFingerprintFollowsWhatTheCallerAdds() {
        #expect(WordIndexFile.fingerprint(adding: ["a"]) == WordIndexFile.fingerprint(adding: ["a"]))
        #expect(WordIndexFile.fingerprint(adding: ["a"]) != WordIndexFile.fingerprint(adding: ["b"]))
        #expect(WordIndexFile.fingerprint(adding: ["ab"]) != WordIndexFile.fingerprint(adding: ["a", "b"]))
    }
}
