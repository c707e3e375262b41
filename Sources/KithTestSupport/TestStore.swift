public import Foundation
public import KithDomain
public import KithStorage
public import Logging
import SQLKit

/// The frozen moment tests start at: 2026-01-15 12:00 UTC.
public let t0 = Date(timeIntervalSince1970: 1_768_478_400)

public let testLogger: Logger = {
    var logger = Logger(label: "kith.test")
    logger.logLevel = .warning
    return logger
}()

/// Which backend the current test run uses.
public enum TestBackend {
    /// Set to run every storage and HTTP test on PostgreSQL instead of SQLite.
    public static var postgresURL: String? {
        let value = ProcessInfo.processInfo.environment["KITH_TEST_POSTGRES_URL"]
        return value?.isEmpty == false ? value : nil
    }
}

/// Runs `body` against a fresh, migrated, private database:
/// - default: a new SQLite file in a temporary directory (real WAL, real FTS5), removed after;
/// - with `KITH_TEST_POSTGRES_URL`: a new PostgreSQL schema, dropped after, so tests stay
///   isolated while Swift Testing runs them in parallel.
public func withMigratedStore<T: Sendable>(_ body: (any Store) async throws -> T) async throws -> T {
    try await withMigratedDatabase { configuration in
        try await configuration.withStore(logger: testLogger) { store in
            try await Migrator.migrate(store)
            return try await body(store)
        }
    }
}

/// Two stores on one fresh, migrated database — two instances of Kith sharing it, each with its
/// own connections and caches (on SQLite, two stores on the same file in this process).
public func withTwoInstances<T: Sendable>(_ body: (any Store, any Store) async throws -> T) async throws -> T {
    try await withMigratedDatabase { configuration in
        try await configuration.withStore(logger: testLogger) { first in
            try await Migrator.migrate(first)
            return try await configuration.withStore(logger: testLogger) { second in
                try await body(first, second)
            }
        }
    }
}

/// The per-statement limit of test stores on PostgreSQL.
public let testStatementTimeout = "30s"

/// A fresh private database (SQLite file or PostgreSQL schema), removed after `body`.
private func withMigratedDatabase<T: Sendable>(_ body: (StoreConfiguration) async throws -> T) async throws -> T {
    guard let url = TestBackend.postgresURL else {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kith-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(StoreConfiguration.dataDirectory(directory.path))
    }
    precondition(url.contains("127.0.0.1") || url.contains("localhost"), "Tests only run against a local PostgreSQL.")
    let schema = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    try await PostgresAdmin.run("CREATE SCHEMA \(schema)", url: url)
    let result: Result<T, any Error>
    do {
        // Hundreds of tests share two cores with the server: a statement may wait far longer than
        // it would in production, so tests allow it longer than production's limit.
        let configuration = StoreConfiguration.postgres(url: url, schema: schema, statementTimeout: testStatementTimeout)
        result = .success(try await body(configuration))
    } catch {
        result = .failure(error)
    }
    try await PostgresAdmin.run("DROP SCHEMA \(schema) CASCADE", url: url)
    return try result.get()
}

/// A member registered the normal way, with a known password.
public struct TestMember: Sendable {
    public let member: Member
    public let password: String
}

/// A clock tests can move.
public final class TestClock: @unchecked Sendable {
    // Guarded by `lock`. A clock that follows real time keeps an offset from it instead.
    private var current: Date
    private let followsRealTime: Bool
    private let lock = NSLock()

    public init(_ start: Date = t0) {
        current = start
        followsRealTime = false
    }

    private init(offsetFromRealTime offset: TimeInterval) {
        current = Date(timeIntervalSinceReferenceDate: offset)
        followsRealTime = true
    }

    /// A clock always `offset` seconds ahead of the real one, for tests whose app serves on real
    /// time: "a minute from now" stays a minute from now however slowly a loaded machine runs.
    public static func ahead(ofRealTimeBy offset: TimeInterval) -> TestClock {
        TestClock(offsetFromRealTime: offset)
    }

    public var now: Date {
        lock.lock()
        defer { lock.unlock() }
        guard followsRealTime else { return current }
        return Date().addingTimeInterval(current.timeIntervalSinceReferenceDate)
    }

    public func advance(by seconds: TimeInterval) {
        lock.lock()
        current = current.addingTimeInterval(seconds)
        lock.unlock()
    }
}

/// One email in the outbox, sent or not: what a test reads instead of a transport, because the
/// app's own mail worker may deliver it first.
public struct QueuedMail: Sendable {
    public var to: String
    public var subject: String
    public var body: String
}

/// Every email queued to `address`, oldest first.
public func queuedMail(to address: String, in store: any Store) async throws -> [QueuedMail] {
    try await store.read { db in
        try await db.raw(
            "SELECT to_address, subject, body FROM mail_outbox WHERE to_address = \(bind: address) ORDER BY created_at, id"
        ).all().map { row in
            QueuedMail(
                to: try row.decode(column: "to_address", as: String.self),
                subject: try row.decode(column: "subject", as: String.self),
                body: try row.decode(column: "body", as: String.self)
            )
        }
    }
}
