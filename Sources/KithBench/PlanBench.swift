import ArgumentParser
import Foundation
import KithApp
import KithDemo
import KithDomain
import KithStorage
import KithWeb
import Logging

/// The weekly plan at community scale: building one member's plan (the demo member, with contacts,
/// follow-ups, conversations and a connection network; and members picked at random), and one
/// whole weekly email run over every member.
struct PlanBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Seed a demo community with its network, then time weekly plans and a weekly email run."
    )

    @Option(help: "Members to seed.") var members = 100_000
    @Option(help: "PostgreSQL URL; without it a fresh SQLite file is used.") var databaseURL: String?
    @Option(help: "Plans per measurement.") var plans = 500
    @Flag(help: "Print JSON lines.") var json = false
    @Flag(inversion: .prefixedNo, help: "Time the weekly email run over every member too.") var weeklyRun = true
    @Flag(help: "Log each SQLite statement's text and time (never its values) to standard error.") var logSQL = false
    @Option(help: "Members' weekly emails built at once in the weekly run (the server's job uses 1).") var weeklyConcurrency = 1
    @Flag(help: "In the weekly run, read every store for every member (as before the batch's look-up of which hold anything).")
    var weeklyReadsEverySource = false
    @Option(help: "Weekly emails recorded to a transaction in the weekly run.") var weeklyRecordEvery = 50

    func run() async throws {
        var logger = Logger(label: "kith.bench")
        logger.logLevel = logSQL ? .trace : .error
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kith-plan-bench-\(UUID().uuidString)")
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
        // The week's end, so that every member's slot has come when the weekly run is timed.
        let clock = BenchClock(Date())
        let services = Services(store: store, hasher: BcryptPasswordHasher(cost: 4), now: { clock.now })
        try await services.graph.rebuild()
        let demo = everyone[0].member
        let known = ties.filter { $0.a == 0 }.map { everyone[$0.b] } + ties.filter { $0.b == 0 }.map { everyone[$0.a] }
        _ = try await DemoSeeding.seedContacts(services, demo: demo, knowing: known)
        _ = try await DemoSeeding.seedConversations(store, demo: demo, known: known, everyone: everyone, publicURL: "http://bench")

        var demoPlan = Measurement(name: "plan (demo member)")
        _ = try await services.plans.plan(for: demo)
        for _ in 0..<plans { try await demoPlan.time { _ = try await services.plans.plan(for: demo) } }
        demoPlan.extra = ["members": String(members), "backend": "\"\(store.dialect.rawValue)\""]
        print(demoPlan.line(json: json))

        var rng = SplitMix64(seed: 11)
        var anyPlan = Measurement(name: "plan (random member)")
        for _ in 0..<plans {
            let member = everyone[Int(rng.next() % UInt64(everyone.count))].member
            try await anyPlan.time { _ = try await services.plans.plan(for: member) }
        }
        anyPlan.extra = ["members": String(members), "backend": "\"\(store.dialect.rawValue)\""]
        print(anyPlan.line(json: json))

        guard weeklyRun else { return }
        // The week's end, so that every member's slot has come; then the next week's run, when
        // every member has an earlier week's email whose items are not repeated.
        clock.now = WeeklySlot.suggested(for: nil).weekStart(of: Date()).addingTimeInterval(7 * 86_400 - 60)
        for week in 1...2 {
            var run = Measurement(name: week == 1 ? "weekly email run" : "weekly email run (next week)")
            var queued = 0
            try await run.time {
                queued = try await services.plans.sendWeeklyEmails(
                    concurrency: weeklyConcurrency,
                    recordEvery: weeklyRecordEvery,
                    readEverySource: weeklyReadsEverySource
                )
            }
            run.extra = [
                "members": String(members), "queued": String(queued), "seconds": String(format: "%.1f", run.samples[0] / 1000),
                "backend": "\"\(store.dialect.rawValue)\"",
            ]
            print(run.line(json: json))
            clock.now = clock.now.addingTimeInterval(7 * 86_400)
        }
    }
}

/// A clock the benchmark moves.
final class BenchClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Date
    init(_ value: Date) { self.value = value }
    var now: Date {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
