import Foundation
import KithDomain
import KithStorage
import KithWeb
import Logging
import ServiceLifecycle
import Synchronization

/// Keeps this instance's graph current with changes written by other instances.
struct GraphRefresher: Service {
    let graph: NetworkGraph
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await runUntilShutdown {
            do {
                try await graph.catchUp()
            } catch {
                logger.warning("graph catch-up failed", metadata: ["error": .string("\(error)")])
            }
            try await Task.sleep(for: interval)
        }
    }
}

/// Fills the member cache once at start-up, on the low-priority lane (`MemberCards.warm`), so
/// that the first suggestions and weekly plans read their candidates from memory; then waits for
/// shutdown (a service that returns would stop the server).
struct MemberCardsWarmer: Service {
    let store: any Store
    let logger: Logger

    func run() async throws {
        let started = ContinuousClock.now
        do {
            let warm = try await cancelWhenGracefulShutdown {
                try await BackgroundWork.run { try await MemberCards.warm(store) }
            }
            logger.info(
                "member cache warmed in \(ContinuousClock.now - started): \(warm.members) members\(warm.complete ? " (all)" : ""), \(warm.bytes / 1_000_000) MB"
            )
        } catch is CancellationError {
            return
        } catch {
            logger.warning("member cache warm-up failed", metadata: ["error": .string("\(error)")])
        }
        try? await gracefulShutdown()
    }
}

/// Applies other instances' member changes to this instance's word index between searches, so
/// that it never goes a long time without reading the feed (and rebuilding) and the next search
/// has little to apply. Searches catch up themselves too: this is for speed, not correctness.
/// With a `file`, writes the index there when it has changed, at most every `saveInterval`
/// (at once when start-up had to build it), and at shutdown, so the next start reads it back.
struct WordIndexRefresher: Service {
    let store: any Store
    let interval: Duration
    var file: URL? = nil
    var saveInterval: Duration = .seconds(600)
    let logger: Logger

    func run() async throws {
        let lastSaved = Mutex<ContinuousClock.Instant?>(store.wordSearch.isKept ? .now : nil)
        await runUntilShutdown {
            do {
                try await store.wordSearch.warm(store)
            } catch {
                logger.warning("word index catch-up failed", metadata: ["error": .string("\(error)")])
            }
            if let file, lastSaved.withLock({ $0.map { ContinuousClock.now - $0 >= saveInterval } ?? true }) {
                await save(to: file)
                lastSaved.withLock { $0 = .now }
            }
            try await Task.sleep(for: interval)
        }
        if let file { await save(to: file) }
    }

    private func save(to file: URL) async {
        let started = ContinuousClock.now
        do {
            if try await store.wordSearch.save(store, to: file) {
                logger.info("word index written to \(file.path) in \(ContinuousClock.now - started)")
            }
        } catch {
            logger.warning("word index not written to \(file.path)", metadata: ["error": .string("\(error)")])
        }
    }
}

/// Delivers messages written through other instances to this instance's open conversation
/// pages (a few reads a second, only while someone here is watching), and ends every open stream
/// at shutdown so that it does not wait for them.
struct LiveMessages: Service {
    let messages: MessageService
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await runUntilShutdown {
            do {
                try await messages.catchUp()
            } catch {
                logger.warning("live messages catch-up failed", metadata: ["error": .string("\(error)")])
            }
            try await Task.sleep(for: interval)
        }
        await messages.live.closeAll()
    }
}

/// Runs recurring jobs (request expiry, …) under database leases, so each run happens once
/// across all instances and a missed run is caught up after downtime.
struct BackgroundJobs: Service {
    let services: Services
    let logger: Logger
    var weeklyPlanEvery = 600

    var jobs: [RecurringJob] {
        let connections = services.connections
        let reminders = services.reminders
        let plans = services.plans
        let introductions = services.introductions
        let asks = services.asks
        let logger = logger
        return [
            RecurringJob(name: "expire-connection-requests", interval: 300) {
                let expired = try await connections.expireRequests()
                if expired > 0 { logger.info("expired connection requests", metadata: ["count": .stringConvertible(expired)]) }
            },
            RecurringJob(name: "introductions", interval: 300) {
                // Lapsed steps close ("not this time" to the asker); holders due a reminder get one.
                let (expired, nudged) = try await introductions.attend()
                if expired + nudged > 0 {
                    logger.info(
                        "introductions attended",
                        metadata: ["expired": .stringConvertible(expired), "nudged": .stringConvertible(nudged)]
                    )
                }
            },
            RecurringJob(name: "help-asks", interval: 300) {
                // Asks open for two weeks close; the asker is told.
                let closed = try await asks.attend()
                if closed > 0 { logger.info("help asks closed", metadata: ["count": .stringConvertible(closed)]) }
            },
            RecurringJob(name: "reminders", interval: 60) {
                let recorded = try await reminders.generate()
                if recorded > 0 { logger.info("reminders recorded", metadata: ["count": .stringConvertible(recorded)]) }
            },
            RecurringJob(name: "weekly-plan-emails", interval: TimeInterval(weeklyPlanEvery)) {
                // On the low-priority lane, each batch's suggestions (most of the work) in one part
                // per core: the run takes the cores that requests leave idle (docs/BENCHMARKS.md).
                let queued = try await BackgroundWork.run {
                    try await plans.sendWeeklyEmails(suggestionParts: ProcessInfo.processInfo.activeProcessorCount)
                }
                if queued > 0 { logger.info("weekly plan emails queued", metadata: ["count": .stringConvertible(queued)]) }
            },
            RecurringJob(name: "mail-outbox", interval: 30) {
                // Drains the outbox (a weekly run queues one email per member), for at most 25 s a run.
                let started = Date()
                var failed = 0
                while true {
                    let result = try await reminders.deliverMail()
                    failed += result.failed
                    if result.sent + result.failed < 100 || Date().timeIntervalSince(started) > 25 || result.sent == 0 { break }
                }
                if failed > 0 { logger.warning("mail delivery failed", metadata: ["count": .stringConvertible(failed)]) }
            },
        ]
    }

    func run() async throws {
        await runUntilShutdown {
            do {
                try await services.jobs.runDue(jobs)
            } catch {
                logger.warning("background job failed", metadata: ["error": .string("\(error)")])
            }
            try await Task.sleep(for: .seconds(min(15, max(1, weeklyPlanEvery / 2))))
        }
    }
}

/// Repeats `step` until graceful shutdown (SIGTERM/SIGINT) or cancellation, then returns normally,
/// so stopping the server is a clean exit rather than an error.
func runUntilShutdown(_ step: @escaping @Sendable () async throws -> Void) async {
    do {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled { try await step() }
        }
    } catch {
        // Cancelled by shutdown: nothing to report.
    }
}
