import Foundation
import KithDomain
import KithTestSupport
import Logging
import SQLKit
import Synchronization
import Testing

@testable import KithStorage

/// The store's rules (docs/ARCHITECTURE.md, "The SQLite layer's rules"), each failing loudly in
/// every build rather than misbehaving quietly.
@Suite struct StoreRulesTests {
    /// A fresh SQLite store of its own (these rules are about SQLite's layer).
    private func withSQLite(_ body: (SQLiteStore) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kith-rules-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await SQLiteStore.open(path: directory.appendingPathComponent("kith.sqlite").path, logger: testLogger)
        do {
            try await store.write { db in try await db.raw("CREATE TABLE scratch (x TEXT NOT NULL)").run() }
            try await body(store)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    private func scratch(_ store: SQLiteStore) async throws -> [String] {
        try await store.read { db in
            try await db.raw("SELECT x FROM scratch ORDER BY x").all().map { try $0.decode(column: "x", as: String.self) }
        }
    }

    /// A long read (the graph's snapshot at start) runs without PostgreSQL's per-statement limit,
    /// and every connection the pool lends afterwards has the limit again.
    @Test func aLongReadLiftsTheStatementLimitForItselfOnly() async throws {
        try await withMigratedStore { store in
            guard store.dialect == .postgres else { return }
            let inside = try await store.longRead { db in
                try await db.raw("SHOW statement_timeout").first()?.decode(column: "statement_timeout", as: String.self)
            }
            #expect(inside == "0")
            for _ in 0..<12 {
                let after = try await store.read { db in
                    try await db.raw("SHOW statement_timeout").first()?.decode(column: "statement_timeout", as: String.self)
                }
                #expect(after == testStatementTimeout)
            }
            // A long read that fails leaves the limit back too.
            await #expect(throws: (any Error).self) {
                try await store.longRead { db in try await db.raw("SELECT no_such_column FROM members").run() }
            }
            let afterFailure = try await store.read { db in
                try await db.raw("SHOW statement_timeout").first()?.decode(column: "statement_timeout", as: String.self)
            }
            #expect(afterFailure == testStatementTimeout)
        }
    }

    @Test func aWriteInsideAWriteIsRefusedOnEitherBackend() async throws {
        try await withMigratedStore { store async throws in
            await #expect(throws: NestedWrite.self) {
                try await store.write { _ in try await store.write { _ in 1 } }
            }
            // The store goes on working.
            #expect(try await store.write { _ in 2 } == 2)
        }
    }

    @Test func aStatementGivenFewerValuesThanParametersFails() async throws {
        try await withSQLite { (store: SQLiteStore) async throws in
            try await store.write { db in try await db.raw("INSERT INTO scratch (x) VALUES (\(bind: "first"))").run() }
            // The same statement text with its value left out would otherwise reuse "first".
            await #expect(throws: StoreError.self) {
                try await store.write { db in try await db.raw("INSERT INTO scratch (x) VALUES (\(unsafeRaw: "?"))").run() }
            }
            await #expect(throws: StoreError.self) {
                try await store.read { db in try await db.raw("SELECT x FROM scratch WHERE x = \(unsafeRaw: "?")").all() }
            }
            #expect(try await scratch(store) == ["first"])
        }
    }

    /// Runs three writes that the writer commits as one batch (queued while a slow write holds it).
    private func batch(
        _ store: SQLiteStore,
        _ bodies: [@Sendable (any SQLDatabase) async throws -> Void]
    ) async -> [Bool] {
        // The writer is held long enough for every body to queue behind it, even on a loaded
        // machine (under the full parallel suite 300 ms was sometimes too short), so they share one batch.
        let slow = Task { try await store.write { _ in try await Task.sleep(for: .milliseconds(1_500)) } }
        try? await Task.sleep(for: .milliseconds(100))
        let results = await withTaskGroup(of: (Int, Bool).self) { group in
            for (index, body) in bodies.enumerated() {
                group.addTask {
                    do {
                        try await store.write { db in try await body(db) }
                        return (index, true)
                    } catch {
                        return (index, false)
                    }
                }
            }
            var ok = Array(repeating: false, count: bodies.count)
            for await (index, result) in group { ok[index] = result }
            return ok
        }
        _ = try? await slow.value
        return results
    }

    @Test func aBatchKeepsItsSuccessesWhenOneBodyFails() async throws {
        struct Refused: Error {}
        try await withSQLite { (store: SQLiteStore) async throws in
            let ok = await batch(
                store,
                [
                    { db in try await db.raw("INSERT INTO scratch (x) VALUES ('a')").run() },
                    { db in
                        try await db.raw("INSERT INTO scratch (x) VALUES ('b')").run()
                        throw Refused()
                    },
                    { db in try await db.raw("INSERT INTO scratch (x) VALUES ('c')").run() },
                ]
            )
            #expect(ok == [true, false, true])
            #expect(try await scratch(store) == ["a", "c"])
        }
    }

    /// When SQLite rolls the whole transaction back by itself (disk full, I/O error), the bodies
    /// before are lost and none after may run: a SAVEPOINT would open a new transaction that its
    /// RELEASE commits while its caller is told it failed. Forced here by a ROLLBACK in a body.
    @Test func aBatchWhoseTransactionSQLiteRolledBackFailsWholeAndRunsNoMore() async throws {
        try await withSQLite { (store: SQLiteStore) async throws in
            let ok = await batch(
                store,
                [
                    { db in try await db.raw("INSERT INTO scratch (x) VALUES ('a')").run() },
                    { db in try await db.raw("ROLLBACK").run() },
                    { db in try await db.raw("INSERT INTO scratch (x) VALUES ('c')").run() },
                ]
            )
            #expect(ok == [false, false, false], "a caller was told its write succeeded, or it was written while it was told it failed")
            #expect(try await scratch(store).isEmpty)
            try await store.write { db in try await db.raw("INSERT INTO scratch (x) VALUES ('after')").run() }
            #expect(try await scratch(store) == ["after"])
        }
    }

    @Test func aWriteAheadLogThatNeverResetsIsReported() async throws {
        let health = CheckpointHealth(logger: testLogger)
        health.checkpointed(logFrames: 10, copiedFrames: 10)
        #expect(health.snapshot().walFrames == 10 && health.snapshot().checkpointsBehind == 0)
        for _ in 0..<CheckpointHealth.stuckAfter { health.checkpointed(logFrames: 5_000, copiedFrames: 4_000) }
        #expect(health.snapshot().checkpointsBehind == CheckpointHealth.stuckAfter)
        health.failed(StoreError("disk I/O error"))
        #expect(health.snapshot().checkpointFailures == 1)
        health.checkpointed(logFrames: 0, copiedFrames: 0)
        #expect(health.snapshot().checkpointsBehind == 0 && health.snapshot().walFrames == 0)
    }

    /// The writer thread asks to run ahead of the request threads (`SQLiteStore.writerNice`); a
    /// system that refuses keeps it at the process's priority and the store reports what it got.
    /// Only the writer changes: reads and the rest of the process keep their priority.
    @Test func theWriterThreadRunsAtThePriorityTheStoreReports() async throws {
        // Whether this process may raise a thread's priority at all: ask on a thread of its own.
        let allowed = Mutex<Bool?>(nil)
        let probe = Thread {
            let granted = ThreadPriority.request(SQLiteStore.writerNice)
            allowed.withLock { $0 = granted }
        }
        probe.start()
        while allowed.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(5)) }
        let process = ThreadPriority.current
        try await withSQLite { store in
            let inWrite = try await store.write { _ in ThreadPriority.current }
            let expected = allowed.withLock { $0 } == true ? SQLiteStore.writerNice : process
            #expect(inWrite == expected)
            #expect(store.diagnostics().writerNice == Int(expected))
            for _ in 0..<6 {
                let inRead = try await store.read { _ in ThreadPriority.current }
                #expect(inRead == process)
            }
        }
    }
}
