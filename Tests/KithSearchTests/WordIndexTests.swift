import Foundation
import Testing

@testable import KithSearch

@Suite struct WordsTests {
    @Test func wordsAreLowercasedRunsOfLettersAndDigitsWithoutAccents() {
        #expect(Words.split("Ada Lovelace-Byron, 1815!") == ["ada", "lovelace", "byron", "1815"])
        #expect(Words.split("Zoë Müller — Ærø Straße") == ["zoe", "muller", "ærø", "straße"].map { Words.split($0)[0] })
        #expect(Words.split("Zoë") == ["zoe"])
        #expect(Words.split("ZOË") == Words.split("zoë"))
        #expect(Words.split("") == [])
        #expect(Words.split(String(repeating: "a", count: 60)) == [String(repeating: "a", count: Words.maxLength)])
    }
}

@Suite struct WordIndexTests {
    static func document(
        _ key: Int64,
        name: String = "",
        headline: String = "",
        skills: String = "",
        organizations: String = "",
        other: String = "",
        facets: [String] = [],
        location: String? = nil
    ) -> IndexedDocument {
        IndexedDocument(
            id: UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", key))!,
            key: key,
            texts: [.name: name, .headline: headline, .skills: skills, .organizations: organizations, .other: other],
            facets: facets,
            location: location
        )
    }

    static func keys(_ index: WordIndex, _ words: String, limit: Int = 20, facets: [String] = [], excluding: Set<Int64> = []) -> [Int64] {
        index.snapshot.search(WordQuery(words: [words], facets: facets, excluding: excluding, limit: limit)).map(\.key)
    }

    /// The relevance check of the directory: the same word in a name, a headline, skills,
    /// organisations and the bio ranks the members in that order (bios of realistic length).
    @Test func nameMatchesComeFirstThenHeadlineSkillsOrganisationsBio() {
        let index = WordIndex()
        let filler = "Likes long walks, jazz records and building community gardens with neighbours on weekends."
        index.replaceAll(
            with: [
                Self.document(1, name: "Pat Jones", headline: "Teacher", other: "Kestrel enthusiast. " + filler),
                Self.document(2, name: "Sam Ode", headline: "Kestrel ranger at the national park", other: filler),
                Self.document(3, name: "Kim Lu", headline: "Analyst", skills: "Kestrel tracking, data analysis", other: filler),
                Self.document(4, name: "Lee Roy", headline: "Manager", organizations: "Kestrel Holdings Director", other: filler),
                Self.document(5, name: "Kestrel Smith", headline: "Pilot", other: filler),
                Self.document(6, name: "No Match", headline: "Baker", other: filler),
            ],
            applied: 0
        )
        #expect(Self.keys(index, "kestrel") == [5, 2, 3, 4, 1])
        #expect(Self.keys(index, "kest") == [5, 2, 3, 4, 1])
        #expect(Self.keys(index, "kestrel likes") == [5, 2, 3, 4, 1])
        #expect(Self.keys(index, "kestrel pilot") == [5])
        #expect(Self.keys(index, "k") == [])
        #expect(Self.keys(index, "kestrel", excluding: [5, 3]) == [2, 4, 1])
    }

    @Test func facetsAreExactAndNeverMatchedByWords() {
        let index = WordIndex()
        index.replaceAll(
            with: [
                Self.document(1, name: "Ada", headline: "Engineer", facets: ["zqc01"], location: "lisbon portugal"),
                Self.document(2, name: "Bea", headline: "Engineer", facets: ["zqc02"], location: nil),
            ],
            applied: 0
        )
        #expect(Self.keys(index, "engineer", facets: ["zqc01"]) == [1])
        #expect(Self.keys(index, "engineer", facets: ["zqc0"]) == [])
        #expect(Self.keys(index, "zqc01") == [])
        let located = index.snapshot.search(WordQuery(words: ["engineer"], location: "lisbon", limit: 5))
        #expect(located.map(\.key) == [1])
    }

    @Test func pagesContinueExactlyAfterTheirCursor() {
        let index = WordIndex()
        index.replaceAll(with: (1...50).map { Self.document(Int64($0), name: "Member \($0)", headline: "Engineer") }, applied: 0)
        var seen: [Int64] = []
        var after: WordHit.Position?
        repeat {
            let page = index.snapshot.search(WordQuery(words: ["engineer"], after: after, limit: 7))
            seen += page.map(\.key)
            after = page.count == 7 ? page.last?.position : nil
        } while after != nil
        #expect(seen == Array(1...50))
    }

    /// Random documents, random changes (new, edited, removed members) applied in batches, against
    /// a brute-force search over the current documents: same members, same order, at every step,
    /// across merges.
    @Test func changesAndMergesAgreeWithBruteForce() {
        var generator = SystemRandomNumberGenerator()
        let vocabulary = [
            "anna", "annabel", "bob", "data", "database", "design", "engineer", "engineering", "finance", "go", "golang", "lisbon", "rust",
        ]
        func text(_ count: Int) -> String {
            (0..<count).map { _ in vocabulary.randomElement(using: &generator)! }.joined(separator: " ")
        }
        func randomDocument(_ key: Int64) -> IndexedDocument {
            Self.document(
                key,
                name: text(2),
                headline: text(Int.random(in: 0...4, using: &generator)),
                skills: text(Int.random(in: 0...3, using: &generator)),
                organizations: text(Int.random(in: 0...2, using: &generator)),
                other: text(Int.random(in: 0...12, using: &generator)),
                facets: Bool.random(using: &generator) ? ["zqa"] : ["zqb"]
            )
        }
        var current: [Int64: IndexedDocument] = [:]
        for key in 1...300 { current[Int64(key)] = randomDocument(Int64(key)) }
        let index = WordIndex()
        index.replaceAll(with: current.values.sorted { $0.key < $1.key }, applied: 0)
        var change: Int64 = 0
        var nextKey: Int64 = 301
        for _ in 0..<60 {
            var changes: [(Int64, UUID)] = []
            var documents: [UUID: IndexedDocument] = [:]
            for _ in 0..<Int.random(in: 1...12, using: &generator) {
                change += 1
                switch Int.random(in: 0..<3, using: &generator) {
                case 0:
                    let document = randomDocument(nextKey)
                    nextKey += 1
                    current[document.key] = document
                    changes.append((change, document.id))
                    documents[document.id] = document
                case 1:
                    guard let key = current.keys.randomElement(using: &generator) else { continue }
                    let document = randomDocument(key)
                    current[key] = document
                    changes.append((change, document.id))
                    documents[document.id] = document
                default:
                    guard let key = current.keys.randomElement(using: &generator) else { continue }
                    changes.append((change, current.removeValue(forKey: key)!.id))
                    documents[Self.document(key).id] = nil
                }
            }
            index.apply(changes: changes, documents: documents)
            let snapshot = index.snapshot
            #expect(snapshot.liveCount == current.count)
            #expect(snapshot.segmentCount <= WordIndex.segmentLimit + 1)
            for words in ["eng", "engineer", "data go", "anna rust", "lis", "annabel design engineering"] {
                for facets in [[], ["zqa"]] {
                    let found = snapshot.search(WordQuery(words: [words], facets: facets, limit: 1_000))
                    let expected = current.values.filter { document in
                        let all = document.texts.flatMap(Words.split)
                        return Words.split(words).allSatisfy { word in all.contains { $0.hasPrefix(word) } }
                            && facets.allSatisfy(document.facets.contains)
                    }
                    #expect(Set(found.map(\.key)) == Set(expected.map(\.key)), "\(words) \(facets)")
                    #expect(found == found.sorted(by: WordHit.precedes))
                    let limited = snapshot.search(WordQuery(words: [words], facets: facets, limit: 5))
                    #expect(limited == Array(found.prefix(5)))
                    // Short pages with members left out and a cursor: the full list, filtered.
                    let excluded = Set(found.prefix(8).map(\.key).filter { $0 % 2 == 0 })
                    let rest = found.filter { !excluded.contains($0.key) }
                    let firstPage = snapshot.search(WordQuery(words: [words], facets: facets, excluding: excluded, limit: 3))
                    #expect(firstPage == Array(rest.prefix(3)))
                    if let cursor = firstPage.last?.position {
                        let next = snapshot.search(
                            WordQuery(words: [words], facets: facets, excluding: excluded, after: cursor, limit: 3)
                        )
                        #expect(next == Array(rest.dropFirst(3).prefix(3)))
                    }
                }
            }
        }
        // A change already applied (an older feed position) changes nothing.
        let before = index.snapshot.liveCount
        index.apply(changes: [(1, Self.document(1).id)], documents: [:])
        #expect(index.snapshot.liveCount == before)
    }

    /// Browsing by facets (no words): across segments, changes and merges, with members left out,
    /// a location and a cursor paging through, exactly the brute-force list — the documents with
    /// every facet in name order (sort key, then id), many of them with equal sort keys.
    @Test func facetBrowseAgreesWithBruteForce() {
        var generator = SystemRandomNumberGenerator()
        let names = ["adams", "baker", "baker", "chen", "diaz", "diaz", "diaz", "evans"]
        let locations: [String?] = [nil, "lisbon portugal", "paris france", "new lisbon"]
        func randomDocument(_ key: Int64) -> IndexedDocument {
            IndexedDocument(
                id: UUID(),
                key: key,
                texts: [.name: "x"],
                facets: ["zqa", "zqb", "zqc"].filter { _ in Int.random(in: 0..<3, using: &generator) > 0 },
                location: locations.randomElement(using: &generator)!,
                sortKey: names.randomElement(using: &generator)!
            )
        }
        func precedes(_ a: IndexedDocument, _ b: IndexedDocument) -> Bool {
            BrowseHit.precedes(BrowseHit.Position(sortKey: a.sortKey, id: a.id), BrowseHit.Position(sortKey: b.sortKey, id: b.id))
        }
        var current: [Int64: IndexedDocument] = [:]
        for key in 1...400 { current[Int64(key)] = randomDocument(Int64(key)) }
        let index = WordIndex()
        index.replaceAll(with: current.values.sorted { $0.key < $1.key }, applied: 0)
        var change: Int64 = 0
        var nextKey: Int64 = 401
        var compared = 0
        var segmentsSeen = 0
        for round in 0..<40 {
            if round > 0 {
                var changes: [(Int64, UUID)] = []
                var documents: [UUID: IndexedDocument] = [:]
                for _ in 0..<Int.random(in: 1...15, using: &generator) {
                    change += 1
                    if Bool.random(using: &generator), let key = current.keys.randomElement(using: &generator) {
                        // Removed: a changed id without a document (even one added in this batch).
                        let id = current.removeValue(forKey: key)!.id
                        changes.append((change, id))
                        documents[id] = nil
                    } else {
                        let document = randomDocument(nextKey)
                        nextKey += 1
                        current[document.key] = document
                        changes.append((change, document.id))
                        documents[document.id] = document
                    }
                }
                index.apply(changes: changes, documents: documents)
            }
            let snapshot = index.snapshot
            segmentsSeen = max(segmentsSeen, snapshot.segmentCount)
            for facets in [["zqa"], ["zqa", "zqb"], ["zqc", "zqb", "zqa"]] {
                for location in [nil, "lisbon"] {
                    let excluded = Set(current.keys.filter { $0 % 7 == 0 })
                    let expected = current.values.filter { document in
                        facets.allSatisfy(document.facets.contains) && !excluded.contains(document.key)
                            && (location.map { document.location?.contains($0) ?? false } ?? true)
                    }
                    .sorted(by: precedes)
                    .map(\.key)
                    let all = snapshot.browse(FacetBrowse(facets: facets, location: location, excluding: excluded, limit: 10_000))
                    #expect(all.map(\.key) == expected, "round \(round), \(facets), \(location ?? "anywhere")")
                    // Pages of 7 after each cursor add up to the whole list.
                    var paged: [Int64] = []
                    var after: BrowseHit.Position?
                    repeat {
                        let page = snapshot.browse(
                            FacetBrowse(facets: facets, location: location, excluding: excluded, after: after, limit: 7)
                        )
                        paged += page.map(\.key)
                        after = page.count == 7 ? page.last?.position : nil
                    } while after != nil
                    #expect(paged == expected, "paged: round \(round), \(facets)")
                    compared += expected.count
                }
            }
        }
        #expect(segmentsSeen > 1, "more than one segment was browsed")
        #expect(compared > 10_000)
    }
}
