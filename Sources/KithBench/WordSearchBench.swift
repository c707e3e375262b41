import Foundation
import KithApp
import KithDemo
import KithDomain
import KithSearch
import KithStorage
import KithWeb

/// Word search three ways on the same members and the same queries: the directory service (what
/// `GET /api/v1/members?q=` runs: the feed catch-up, the viewer's blocks, the word index, the
/// page's members), the word index alone (comparable with a search library called in-process,
/// such as Tantivy in benchmarks/peers/search.py), and the SQL full-text index it replaced (FTS5
/// bm25 or PostgreSQL ts_rank, with the page's rows).
struct WordSearchBench {
    let store: any Store
    let services: Services
    let viewer: Member
    let json: Bool
    /// How many queries of each kind the SQL peer runs (it takes seconds a query at a million members).
    let sqlPeerQueries: Int?

    struct Query: Codable {
        var kind: String
        var words: [String]
        var stage: String?
    }

    static let commonWords = [
        "engineer", "python", "finance", "health", "design", "energy", "teacher", "marketing", "renewable", "research",
    ]

    func run(community: DemoCommunity, members: Int, queries count: Int, export: String?) async throws {
        try await build()
        var rng = SplitMix64(seed: 11)
        func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
        let stages = CareerStage.allCases.map(\.rawValue)
        var queries: [Query] = []
        for _ in 0..<count {
            let word = pick(Self.commonWords)
            queries.append(Query(kind: "word", words: [word]))
            queries.append(Query(kind: "prefix", words: [String(word.prefix(3 + Int(rng.next() % 3)))]))
            let headline = community.member(at: Int(rng.next() % UInt64(members))).profile.headline
            let two = Array(DirectoryQuery.terms(from: headline).filter { $0.count > 2 }.prefix(2))
            queries.append(Query(kind: "two_words", words: two.count == 2 ? two : [word, "and"]))
            queries.append(Query(kind: "word_facet", words: [word], stage: pick(stages)))
        }
        if let export {
            let encoder = JSONEncoder()
            let lines = try queries.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
            try (lines.joined(separator: "\n") + "\n").write(toFile: export, atomically: true, encoding: .utf8)
        }
        let directory = SQLMemberDirectory(store: store)
        for kind in ["word", "prefix", "two_words", "word_facet"] {
            let chosen = queries.filter { $0.kind == kind }
            var timedOut = 0
            var service = Measurement(name: "kith_search_\(kind)")
            var index = Measurement(name: "kith_index_\(kind)")
            var sql = Measurement(name: "\(store.dialect == .sqlite ? "fts5_bm25" : "pg_ts_rank")_\(kind)")
            var matched = 0
            for query in chosen {
                let search = DirectorySearch(q: query.words.joined(separator: " "), careerStage: query.stage, limit: "20")
                try await service.time { _ = try await services.directory.search(search, by: viewer) }
                let snapshot = store.wordSearch.index.snapshot
                var facets: [String] = []
                if let stage = query.stage { facets = [FacetToken.careerStage(stage)] }
                try await index.time {
                    matched += snapshot.search(WordQuery(words: query.words, facets: facets, limit: 21)).count
                }
                let domain = DirectoryQuery(
                    terms: query.words,
                    careerStage: query.stage.flatMap(CareerStage.init(rawValue:)),
                    limit: 20
                )
                guard sql.samples.count + timedOut < sqlPeerQueries ?? chosen.count else { continue }
                do {
                    try await sql.time { _ = try await directory.rankedInSQL(domain, viewer: viewer.id) }
                } catch is WorkTooLong {
                    timedOut += 1
                }
            }
            sql.extra["timed_out"] = String(timedOut)
            for measurement in [service, index, sql] {
                var line = measurement
                line.extra["backend"] = "\"\(store.dialect.rawValue)\""
                line.extra["members"] = String(members)
                if measurement.name == index.name { line.extra["hits_per_query"] = String(matched / max(chosen.count, 1)) }
                print(line.line(json: json))
            }
        }
    }

    /// Builds the word index from the database, as `kith serve` does at start, and reports its size.
    private func build() async throws {
        var build = Measurement(name: "word_index_build")
        try await build.time { try await store.wordSearch.warm(store) }
        let snapshot = store.wordSearch.index.snapshot
        build.extra = [
            "documents": String(snapshot.liveCount), "postings": String(snapshot.postingCount),
            "backend": "\"\(store.dialect.rawValue)\"",
            "index_mb": String(snapshot.approximateBytes >> 20), "segments": String(snapshot.segmentCount),
        ]
        print(build.line(json: json))
    }
}
