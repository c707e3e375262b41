import ArgumentParser
import Foundation
import KithApp
import KithDemo
import KithDomain
import KithStorage
import KithWeb
import Logging

@main
struct KithBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "KithBench",
        abstract: "Kith benchmarks. Build in release mode: swift run -c release KithBench …",
        subcommands: [GraphBench.self, DirectoryBench.self, RecallBench.self, ContactsBench.self, PlanBench.self, AsksBench.self]
    )
}

/// Latency statistics over repeated runs, printed as one JSON line each.
struct Measurement {
    let name: String
    var samples: [Double] = []
    var extra: [String: String] = [:]

    mutating func time(_ body: () async throws -> Void) async rethrows {
        let start = ContinuousClock.now
        try await body()
        let elapsed = ContinuousClock.now - start
        samples.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
    }

    func percentile(_ p: Double) -> Double {
        let sorted = samples.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }

    func line(json: Bool) -> String {
        let fields =
            [
                "\"name\": \"\(name)\"", "\"n\": \(samples.count)", String(format: "\"p50_ms\": %.4f", percentile(0.5)),
                String(format: "\"p99_ms\": %.4f", percentile(0.99)), String(format: "\"max_ms\": %.4f", samples.max() ?? 0),
            ] + extra.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }
        return json
            ? "{" + fields.joined(separator: ", ") + "}"
            : String(format: "%-22@ n=%5d  p50 %8.3f ms  p99 %8.3f ms", name, samples.count, percentile(0.5), percentile(0.99))
    }
}

struct DirectoryBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "directory",
        abstract: "Seed a demo community, then time directory searches, name typeahead and profile pages."
    )

    @Option(help: "Members to seed.") var members = 100_000
    @Option(help: "PostgreSQL URL; without it a fresh SQLite file is used.") var databaseURL: String?
    @Option(help: "Queries per measurement.") var queries = 1_000
    @Flag(help: "Print JSON lines.") var json = false
    @Option(help: "Keep the SQLite database in this directory (reused when it already holds the members).") var dataDir: String?
    @Option(help: "Write the word-search queries here (JSON lines) for benchmarks/peers/search.py.") var exportQueries: String?
    @Option(
        help:
            "PostgreSQL: seed into this schema (created if missing) and keep it afterwards, so that `kith serve` can be measured on it (`public` in a database of its own)."
    ) var schema: String?
    @Flag(help: "Also seed the demo network's connections (for the graph `kith serve` builds at start).") var withNetwork = false
    @Option(help: "Queries per kind for the SQL full-text peer (FTS5 bm25 / ts_rank); default: --queries.") var sqlPeerQueries: Int?

    func run() async throws {
        var logger = Logger(label: "kith.bench")
        logger.logLevel = .error
        let directory =
            dataDir.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("kith-bench-\(UUID().uuidString)")
        defer { if dataDir == nil { try? FileManager.default.removeItem(at: directory) } }
        var schema = self.schema
        if let databaseURL {
            if let schema {
                try await PostgresAdmin.run("CREATE SCHEMA IF NOT EXISTS \(schema)", url: databaseURL)
            } else {
                schema = "bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
                try await PostgresAdmin.run("CREATE SCHEMA \(schema!)", url: databaseURL)
            }
        }
        let configuration: StoreConfiguration =
            databaseURL.map { .postgres(url: $0, schema: schema) } ?? .dataDirectory(directory.path)
        try await configuration.withStore(logger: logger) { store in
            try await Migrator.migrate(store)
            try await run(on: store)
        }
        if let databaseURL, let schema, self.schema == nil {
            try await PostgresAdmin.run("DROP SCHEMA \(schema) CASCADE", url: databaseURL)
        }
    }

    private func run(on store: any Store) async throws {
        let community = DemoCommunity(size: members)
        let seeder = SQLSeeder(store: store)
        var seed = Measurement(name: "seed")
        let start = ContinuousClock.now
        let existing = try await Services(store: store, hasher: BcryptPasswordHasher(cost: 4)).accounts.memberCount()
        var everyone: [DemoMember] = []
        if existing == 0 {
            let starts = Array(stride(from: 0, to: members, by: 5_000))
            let total = members
            // Two batches at a time, each generated and stored by its own task: the database
            // server, not this process, is the bottleneck, and two connections keep both cores busy.
            var batches: [Int: [DemoMember]] = [:]
            try await withThrowingTaskGroup(of: (Int, [DemoMember]).self) { group in
                var started = 0
                func startNext() {
                    guard started < starts.count else { return }
                    let first = starts[started]
                    started += 1
                    group.addTask {
                        let batch = community.members(in: first..<min(total, first + 5_000))
                        try await seeder.insert(batch.map { ($0.member, $0.profile, $0.affiliations) }, passwordHash: "benchmark")
                        return (first, withNetwork ? batch : [])
                    }
                }
                startNext()
                startNext()
                var finished = 0
                while let (first, batch) = try await group.next() {
                    batches[first] = batch
                    finished += 1
                    startNext()
                    if finished % 20 == 0 || finished == starts.count {
                        let elapsed = (ContinuousClock.now - start).components.seconds
                        FileHandle.standardError.write(
                            Data("seeded \(min(total, finished * 5_000)) of \(total) members (\(elapsed) s)\n".utf8)
                        )
                    }
                }
            }
            everyone = starts.flatMap { batches[$0] ?? [] }
        }
        let connected = try await seeder.hasConnections()
        if withNetwork && !connected {
            var stored: [String: Member.ID] = [:]
            if everyone.isEmpty {
                // Members seeded by an earlier run: generated again (same handles, new ids), the
                // stored ids found by handle.
                everyone = community.members(in: 0..<members)
                stored = try await seeder.memberIDsByHandle()
            }
            let id = { (index: Int) in stored[everyone[index].member.handle.rawValue] ?? everyone[index].member.id }
            let ties = DemoNetwork.ties(for: everyone)
            FileHandle.standardError.write(Data("seeding \(ties.count) connections\n".utf8))
            try await seeder.insertConnections(ties.map { (id($0.a), id($0.b), $0.strength) }, at: community.now)
        }
        if existing == 0 || (withNetwork && !connected) { try await seeder.optimize() }
        let seconds = ContinuousClock.now - start
        seed.samples = [Double(seconds.components.seconds) * 1000 + Double(seconds.components.attoseconds) / 1e15]
        seed.extra = [
            "members": String(members), "seconds": String(format: "%.2f", seed.samples[0] / 1000),
            "backend": "\"\(store.dialect.rawValue)\"",
        ]
        print(seed.line(json: json))

        let services = Services(store: store, hasher: BcryptPasswordHasher(cost: 4))
        let viewer = community.member(at: 0).member
        var rng = SplitMix64(seed: 7)
        let words = ["engineer", "python", "finance", "health", "design", "energy", "teacher", "marketing", "renewable", "research"]
        let stages = CareerStage.allCases.map(\.rawValue)

        try await WordSearchBench(store: store, services: services, viewer: viewer, json: json, sqlPeerQueries: sqlPeerQueries)
            .run(community: community, members: members, queries: queries, export: exportQueries)

        // Warm up caches so the first queries do not measure cold pages.
        for word in words { _ = try await services.directory.search(DirectorySearch(q: word), by: viewer) }

        var search = Measurement(name: "search")
        for _ in 0..<queries {
            let query = DirectorySearch(
                q: words[Int(rng.next() % UInt64(words.count))],
                careerStage: stages[Int(rng.next() % UInt64(stages.count))]
            )
            try await search.time { _ = try await services.directory.search(query, by: viewer) }
        }
        search.extra["backend"] = "\"\(store.dialect.rawValue)\""
        print(search.line(json: json))

        var typeahead = Measurement(name: "typeahead")
        for _ in 0..<queries {
            let name = community.member(at: Int(rng.next() % UInt64(members))).member.name
            let prefix = String(name.prefix(2 + Int(rng.next() % 3)))
            try await typeahead.time {
                _ = try await services.directory.search(DirectorySearch(q: prefix, limit: "8", typeahead: "true"), by: viewer)
            }
        }
        typeahead.extra["backend"] = "\"\(store.dialect.rawValue)\""
        print(typeahead.line(json: json))

        var browse = Measurement(name: "browse_facet")
        for _ in 0..<queries {
            let query = DirectorySearch(careerStage: stages[Int(rng.next() % UInt64(stages.count))], openTo: "mentoring")
            try await browse.time { _ = try await services.directory.search(query, by: viewer) }
        }
        browse.extra["backend"] = "\"\(store.dialect.rawValue)\""
        print(browse.line(json: json))

        var profile = Measurement(name: "profile_page")
        for _ in 0..<queries {
            let handle = community.member(at: Int(rng.next() % UInt64(members))).member.handle.rawValue
            try await profile.time { _ = try await PageRendering.profilePage(handle: handle, viewer: viewer, services: services) }
        }
        profile.extra["backend"] = "\"\(store.dialect.rawValue)\""
        print(profile.line(json: json))
    }
}
