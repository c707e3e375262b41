import Foundation
import KithDomain
import KithStorage
import KithTestSupport
import Synchronization
import Testing

@Suite struct JobRunnerTests {
    final class Counter: Sendable {
        let value = Mutex(0)
        func increment() { value.withLock { $0 += 1 } }
        var count: Int { value.withLock { $0 } }
    }

    @Test func twoInstancesRunADueJobExactlyOnce() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let runs = Counter()
            let job = RecurringJob(name: "count", interval: 300) { runs.increment() }
            let first = JobRunner(leases: SQLJobLeaseRepository(store: store), holder: "first", now: { clock.now })
            let second = JobRunner(leases: SQLJobLeaseRepository(store: store), holder: "second", now: { clock.now })

            async let a = first.runDue([job])
            async let b = second.runDue([job])
            let ran = try await a + b

            #expect(ran == ["count"])
            #expect(runs.count == 1)
            #expect(try await first.runDue([job]) == [])
            clock.advance(by: 301)
            #expect(try await second.runDue([job]) == ["count"])
            #expect(runs.count == 2)
        }
    }

    @Test func aJobThatFailsIsRetriedSoonAndALapsedLeaseIsTakenOver() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let leases = SQLJobLeaseRepository(store: store)
            // An instance took the lease and died.
            #expect(try await leases.lease("count", holder: "dead", until: clock.now.addingTimeInterval(300), now: clock.now))
            let runs = Counter()
            let runner = JobRunner(leases: leases, holder: "alive", now: { clock.now })
            let job = RecurringJob(name: "count", interval: 3600) { runs.increment() }

            #expect(try await runner.runDue([job]) == [])
            clock.advance(by: 301)
            #expect(try await runner.runDue([job]) == ["count"])

            let failing = RecurringJob(name: "fails", interval: 3600) { throw DomainError.notFound("x") }
            await #expect(throws: DomainError.self) { try await runner.runDue([failing]) }
            clock.advance(by: 61)
            await #expect(throws: DomainError.self) { try await runner.runDue([failing]) }
        }
    }
}
