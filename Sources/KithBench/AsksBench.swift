import ArgumentParser
import Foundation
import KithApp
import KithDemo
import KithDomain
import KithStorage
import KithWeb
import Logging

/// Routing help asks at community scale: the time to choose whom one ask reaches, and how often
/// the chosen include a member who really has a skill or an employer the ask names — against
/// choosing as many members of the same audience at random.
struct AsksBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "asks",
        abstract: "Seed a demo community with its network, then route generated help asks and compare with random routing."
    )

    @Option(help: "Members to seed.") var members = 100_000
    @Option(help: "PostgreSQL URL; without it a fresh SQLite file is used.") var databaseURL: String?
    @Option(help: "Asks to route.") var asks = 500
    @Flag(help: "Print JSON lines.") var json = false

    func run() async throws {
        var logger = Logger(label: "kith.bench")
        logger.logLevel = .error
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kith-asks-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var schema: String?
        if let databaseURL {
            schema = "bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
            try await PostgresAdmin.run("CREATE SCHEMA \(schema!)", url: databaseURL)
        }
        let configuration: StoreConfiguration = databaseURL.map { .postgres(url: $0, schema: schema) } ?? .dataDirectory(directory.path)
        try await configuration.withStore(logger: logger) { store in
            try await Migrator.migrate(store)
            try await run(on: store)
        }
        if let databaseURL, let schema { try await PostgresAdmin.run("DROP SCHEMA \(schema) CASCADE", url: databaseURL) }
    }

    private func run(on store: any Store) async throws {
        let community = DemoCommunity(size: members)
        let seeder = SQLSeeder(store: store)
        var everyone: [DemoMember] = []
        for first in stride(from: 0, to: members, by: 5_000) {
            let batch = community.members(in: first..<min(members, first + 5_000))
            try await seeder.insert(batch.map { ($0.member, $0.profile, $0.affiliations) }, passwordHash: "benchmark")
            everyone += batch
        }
        let ties = DemoNetwork.ties(for: everyone)
        try await seeder.insertConnections(
            ties.map { (everyone[$0.a].member.id, everyone[$0.b].member.id, $0.strength) },
            at: community.now
        )
        try await seeder.optimize()
        let services = Services(store: store, hasher: BcryptPasswordHasher(cost: 4))
        try await services.graph.rebuild()

        var neighbours: [Int: Set<Int>] = [:]
        for tie in ties {
            neighbours[tie.a, default: []].insert(tie.b)
            neighbours[tie.b, default: []].insert(tie.a)
        }
        let index = Dictionary(uniqueKeysWithValues: everyone.enumerated().map { ($1.member.id, $0) })
        /// Whether a member really has one of the skills, or has been at the organisation.
        func matches(_ position: Int, skills: [String], organization: String) -> Bool {
            let person = everyone[position]
            let theirs = Set(person.profile.skills.map { $0.lowercased() })
            if skills.contains(where: { theirs.contains($0.lowercased()) }) { return true }
            return !organization.isEmpty && person.affiliations.contains { $0.organization.lowercased() == organization.lowercased() }
        }

        var rng = SplitMix64(seed: 2027)
        func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
        var timing = Measurement(name: "route one help ask")
        var routedHits = 0
        var randomHits = 0
        var routedTotal = 0
        var emptyRoutes = 0
        for round in 0..<asks {
            let asker = Int(rng.next() % UInt64(everyone.count))
            // A skill and sometimes an employer that someone in the community really has.
            let source = pick(everyone)
            guard let skill = source.profile.skills.first.map({ _ in pick(source.profile.skills) }) else { continue }
            let employer = source.affiliations.filter { $0.kind == .employer }.map(\.organization)
            let organization = !employer.isEmpty && round % 3 == 0 ? pick(employer) : ""
            let audience: AskAudience = round % 2 == 0 ? .community : .secondDegree
            var routed: [RoutedCandidate] = []
            try await timing.time {
                routed = try await services.asks.route(
                    skills: [skill],
                    organization: organization,
                    audience: audience,
                    for: everyone[asker].member,
                    at: Date()
                )
            }
            if routed.isEmpty { emptyRoutes += 1 }
            routedTotal += routed.count
            if routed.contains(where: { matches(index[$0.member.id] ?? 0, skills: [skill], organization: organization) }) {
                routedHits += 1
            }
            // The same number chosen at random from the same audience.
            let pool: [Int]
            if audience == .community {
                pool = (0..<everyone.count).filter { $0 != asker }
            } else {
                let first = neighbours[asker] ?? []
                var second = Set<Int>()
                for friend in first { second.formUnion(neighbours[friend] ?? []) }
                pool = Array(first.union(second).subtracting([asker]))
            }
            var chosen = Set<Int>()
            while chosen.count < min(max(routed.count, 1), pool.count) { chosen.insert(pick(pool)) }
            if chosen.contains(where: { matches($0, skills: [skill], organization: organization) }) { randomHits += 1 }
        }
        timing.extra = ["members": String(members), "backend": "\"\(store.dialect.rawValue)\""]
        print(timing.line(json: json))
        let share = { (hits: Int) in String(format: "%.1f", 100 * Double(hits) / Double(max(1, timing.samples.count))) }
        if json {
            print(
                #"{"name":"routing quality","asks":\#(timing.samples.count),"routed_share":\#(share(routedHits)),"random_share":\#(share(randomHits)),"mean_routed":\#(String(format: "%.2f", Double(routedTotal) / Double(max(1, timing.samples.count)))),"none_routed":\#(emptyRoutes)}"#
            )
        } else {
            print(
                "routing quality: \(timing.samples.count) asks; at least one member with the skill or employer among those asked: routed \(share(routedHits))%, random \(share(randomHits))%; mean asked \(String(format: "%.2f", Double(routedTotal) / Double(max(1, timing.samples.count)))); none asked \(emptyRoutes)"
            )
        }
    }
}
