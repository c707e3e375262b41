public import Foundation
public import KithDomain
import SQLKit

public struct SQLJobLeaseRepository: JobLeaseRepository {
    private let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    public func lease(_ name: String, holder: String, until: Date, now: Date) async throws -> Bool {
        try await store.write { db in
            try await db.raw("INSERT INTO job_leases (name, next_run_at) VALUES (\(bind: name), 0) ON CONFLICT DO NOTHING").run()
            // One UPDATE decides: the row lock (PostgreSQL) or the single writer (SQLite) makes it atomic.
            return try await db.raw(
                """
                UPDATE job_leases SET leased_until = \(bind: Millis.from(until)), leased_by = \(bind: holder)
                WHERE name = \(bind: name) AND next_run_at <= \(bind: Millis.from(now))
                  AND (leased_until IS NULL OR leased_until < \(bind: Millis.from(now)))
                RETURNING name
                """
            ).first() != nil
        }
    }

    public func finish(_ name: String, holder: String, nextRunAt: Date, now: Date) async throws {
        try await store.write { db in
            try await db.raw(
                """
                UPDATE job_leases SET leased_until = NULL, leased_by = NULL,
                    next_run_at = \(bind: Millis.from(nextRunAt)), last_finished_at = \(bind: Millis.from(now))
                WHERE name = \(bind: name) AND leased_by = \(bind: holder)
                """
            ).run()
        }
    }
}
