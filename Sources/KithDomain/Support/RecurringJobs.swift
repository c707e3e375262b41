public import Foundation

/// Leases for recurring background jobs, kept in the database so that with several instances
/// each run happens on exactly one of them, and a crash mid-run only delays the next run until
/// the lease lapses.
public protocol JobLeaseRepository: Sendable {
    /// Takes the lease on `name` when it is due and not held; false otherwise.
    func lease(_ name: String, holder: String, until: Date, now: Date) async throws -> Bool
    /// Releases the lease and schedules the next run.
    func finish(_ name: String, holder: String, nextRunAt: Date, now: Date) async throws
}

/// A recurring job: a name, an interval, and the work.
public struct RecurringJob: Sendable {
    public var name: String
    public var interval: TimeInterval
    public var work: @Sendable () async throws -> Void

    public init(name: String, interval: TimeInterval, work: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.interval = interval
        self.work = work
    }
}

/// Runs due recurring jobs under leases.
public struct JobRunner: Sendable {
    private let leases: any JobLeaseRepository
    private let holder: String
    private let now: @Sendable () -> Date

    public init(leases: any JobLeaseRepository, holder: String = UUID().uuidString, now: @escaping @Sendable () -> Date) {
        self.leases = leases
        self.holder = holder
        self.now = now
    }

    /// Runs every job that is due and not leased elsewhere; returns the names that ran here.
    @discardableResult
    public func runDue(_ jobs: [RecurringJob]) async throws -> [String] {
        var ran: [String] = []
        for job in jobs {
            let start = now()
            guard try await leases.lease(job.name, holder: holder, until: start.addingTimeInterval(max(60, job.interval)), now: start)
            else {
                continue
            }
            do {
                try await job.work()
            } catch {
                try await leases.finish(job.name, holder: holder, nextRunAt: now().addingTimeInterval(min(job.interval, 60)), now: now())
                throw error
            }
            try await leases.finish(job.name, holder: holder, nextRunAt: now().addingTimeInterval(job.interval), now: now())
            ran.append(job.name)
        }
        return ran
    }
}
