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
    @Flag(help: "Run the weekly run in the benchmark's own task rather than on the low-priority lane as the server does.")
    var weeklyInForeground = false
    @Option(help: "Parts each batch's suggestions are computed in at once in the weekly run (the server's job uses its core count).")
    var weeklySuggestionParts = ProcessInfo.processInfo.activeProcessorCount
    @Flag(help: "In the weekly run, read every store for every member (as before the batch's look-up of which hold anything).")
    var weeklyReadsEverySource = false
    @Option(help: "Weekly emails recorded to a transaction in the weekly run.") var weeklyRecordEvery = 50
    @Flag(help: "Leave the member cache empty before the plans are timed rather than warming it as the server does at start-up.")
    var coldMemberCache = false
    @Option(
        help: """
            SQLite only: a folder that keeps the seeded community. The first run seeds it; later runs \
            with the same --members measure a fresh copy of it instead of seeding again.
            """
    )
    var seededCopy: String?
    @Option(help: "Batches of 500 members at random whose suggestions are computed together, timed (the weekly run's step).")
    var suggestionBatches = 0

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
        let community = DemoCommunity(size: members)
        let everyone = community.members(in: 0..<members)
        let ties = DemoNetwork.ties(for: everyone)
        let seeded = seededCopy.map { URL(fileURLWithPath: $0) }
        let marker = seeded?.appendingPathComponent("seeded-\(members)")
        if databaseURL == nil, let seeded, let marker, FileManager.default.fileExists(atPath: marker.path) {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Self.copyDatabase(from: seeded, to: directory)
        } else {
            try await configuration.withStore(logger: logger) { store in
                try await Migrator.migrate(store)
                try await seed(store, community: community, everyone: everyone, ties: ties)
            }
            if databaseURL == nil, let seeded, let marker {
                try FileManager.default.createDirectory(at: seeded, withIntermediateDirectories: true)
                try Self.copyDatabase(from: directory, to: seeded)
                FileManager.default.createFile(atPath: marker.path, contents: Data())
            }
        }
        try await configuration.withStore(logger: logger) { store in
            try await Migrator.migrate(store)
            try await measure(on: store, everyone: everyone)
        }
        if let databaseURL, let schema { try await PostgresAdmin.run("DROP SCHEMA \(schema) CASCADE", url: databaseURL) }
    }

    /// The SQLite database of a closed store (and its write-ahead log, if one is left).
    private static func copyDatabase(from source: URL, to target: URL) throws {
        for name in ["kith.sqlite", "kith.sqlite-wal"] {
            let from = source.appendingPathComponent(name)
            let to = target.appendingPathComponent(name)
            try? FileManager.default.removeItem(at: to)
            if FileManager.default.fileExists(atPath: from.path) { try FileManager.default.copyItem(at: from, to: to) }
        }
    }

    /// The community, its network, and the demo member's contacts and conversations.
    private func seed(_ store: any Store, community: DemoCommunity, everyone: [DemoMember], ties: [DemoNetwork.Tie]) async throws {
        let seeder = SQLSeeder(store: store)
        for first in stride(from: 0, to: members, by: 5_000) {
            let batch = everyone[first..<min(members, first + 5_000)]
            try await seeder.insert(batch.map { ($0.member, $0.profile, $0.affiliations) }, passwordHash: "benchmark")
        }
        try await seeder.insertConnections(
            ties.map { (everyone[$0.a].member.id, everyone[$0.b].member.id, $0.strength) },
            at: community.now
        )
        try await seeder.optimize()
        let services = Services(store: store, hasher: BcryptPasswordHasher(cost: 4), now: { Date() })
        try await services.graph.rebuild()
        let demo = everyone[0].member
        let known = Self.known(by: 0, everyone: everyone, ties: ties)
        _ = try await DemoSeeding.seedContacts(services, demo: demo, knowing: known)
        _ = try await DemoSeeding.seedConversations(store, demo: demo, known: known, everyone: everyone, publicURL: "http://bench")
    }

    private static func known(by index: Int, everyone: [DemoMember], ties: [DemoNetwork.Tie]) -> [DemoMember] {
        ties.filter { $0.a == index }.map { everyone[$0.b] } + ties.filter { $0.b == index }.map { everyone[$0.a] }
    }

    private func measure(on store: any Store, everyone generated: [DemoMember]) async throws {
        // Ids are made afresh with each generation: the stored ones, by handle.
        let stored = try await SQLSeeder(store: store).memberIDsByHandle()
        let everyone = generated.map { generated in
            var member = generated
            member.member.id = stored[member.member.handle.rawValue] ?? member.member.id
            return member
        }
        // Now for the plans; the weekly run moves it to the week's end.
        let clock = BenchClock(Date())
        let services = Services(store: store, hasher: BcryptPasswordHasher(cost: 4), now: { clock.now })
        try await services.graph.rebuild()
        let demo = everyone[0].member
        if !coldMemberCache {
            // As `kith serve` does at start-up, on its low-priority lane.
            let started = ContinuousClock.now
            let warm = try await BackgroundWork.run { try await MemberCards.warm(store) }
            let seconds = (ContinuousClock.now - started) / .seconds(1)
            print(
                json
                    ? #"{"name":"member cache warm-up","members":\#(warm.members),"bytes":\#(warm.bytes),"seconds":\#(seconds)}"#
                    : String(
                        format: "member cache warm-up: %d members, %.1f MB kept, %.2f s",
                        warm.members,
                        Double(warm.bytes) / 1e6,
                        seconds
                    )
            )
        }

        var demoPlan = Measurement(name: "plan (demo member)")
        _ = try await services.plans.plan(for: demo)
        for _ in 0..<plans { try await demoPlan.time { _ = try await services.plans.plan(for: demo) } }
        demoPlan.extra = ["members": String(members), "backend": "\"\(store.dialect.rawValue)\""]
        print(demoPlan.line(json: json))

        var rng = SplitMix64(seed: 11)
        // A member's suggestions (limit 3, as a plan asks), each member at random: most of a
        // random member's plan.
        var someoneNew = Measurement(name: "suggestions (random member)")
        var other = SplitMix64(seed: 99)
        for _ in 0..<plans {
            let member = everyone[Int(other.next() % UInt64(everyone.count))].member
            try await someoneNew.time { _ = try await services.suggestions.suggestions(for: member, limit: "3") }
        }
        someoneNew.extra = ["members": String(members), "backend": "\"\(store.dialect.rawValue)\""]
        print(someoneNew.line(json: json))

        var anyPlan = Measurement(name: "plan (random member)")
        for _ in 0..<plans {
            let member = everyone[Int(rng.next() % UInt64(everyone.count))].member
            try await anyPlan.time { _ = try await services.plans.plan(for: member) }
        }
        anyPlan.extra = ["members": String(members), "backend": "\"\(store.dialect.rawValue)\""]
        print(anyPlan.line(json: json))

        var batches = Measurement(name: "suggestions (batch of 500)")
        var suggested = 0
        for _ in 0..<suggestionBatches {
            let batch = (0..<500).map { _ in everyone[Int(rng.next() % UInt64(everyone.count))].member }
            try await batches.time {
                suggested += try await RequestScope.$current.withValue(RequestScope()) {
                    try await services.suggestions.suggestions(forEach: batch, limit: "3")
                }.values.reduce(0) { $0 + $1.count }
            }
        }
        if suggestionBatches > 0 {
            batches.extra = ["members": String(members), "suggested": String(suggested), "backend": "\"\(store.dialect.rawValue)\""]
            print(batches.line(json: json))
        }

        guard weeklyRun else { return }
        // The week's end, so that every member's slot has come; then the next week's run, when
        // every member has an earlier week's email whose items are not repeated.
        clock.now = WeeklySlot.suggested(for: nil).weekStart(of: Date()).addingTimeInterval(7 * 86_400 - 60)
        let plans = services.plans
        let (concurrency, parts, recordEvery, everySource, inForeground) = (
            weeklyConcurrency, weeklySuggestionParts, weeklyRecordEvery, weeklyReadsEverySource, weeklyInForeground
        )
        for week in 1...2 {
            var run = Measurement(name: week == 1 ? "weekly email run" : "weekly email run (next week)")
            var queued = 0
            try await run.time {
                @Sendable func send() async throws -> Int {
                    try await plans.sendWeeklyEmails(
                        concurrency: concurrency,
                        suggestionParts: parts,
                        recordEvery: recordEvery,
                        readEverySource: everySource
                    )
                }
                // As the server's job runs it: on the low-priority lane.
                queued = try await inForeground ? send() : BackgroundWork.run { try await send() }
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
