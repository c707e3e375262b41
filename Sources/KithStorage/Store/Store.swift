import Foundation
public import SQLKit

/// The two SQL dialects Kith runs on. Repositories share one SQLKit implementation; the few
/// places that differ (full-text search, upserts of derived tables) switch on this.
public enum StoreDialect: String, Sendable {
    case sqlite
    case postgres
}

/// Where the data lives. SQLite is the embedded default; PostgreSQL is for scale.
/// Repositories see only `any SQLDatabase` inside `read` and `write`.
public protocol Store: Sendable {
    var dialect: StoreDialect { get }
    /// Runs read-only work. On SQLite it runs on a reader connection, concurrently with writes.
    func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    /// A read that may take longer than the per-statement limit protecting requests (the graph's
    /// snapshot at start: millions of rows on PostgreSQL). Never for a request's work.
    func longRead<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    /// Runs `body` in one transaction: everything it writes commits together or not at all.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    /// Closes connections. The store must not be used afterwards.
    func close() async
    /// What an operator should see about the store's health (`/metrics`).
    func diagnostics() -> StoreDiagnostics
    /// This instance's cache of member rows, shared by every repository on this store.
    var memberCards: MemberCards { get }
    /// This instance's word index of the directory, kept current through the same change feed.
    var wordSearch: MemberWordSearch { get }
}

/// The store's health as `/metrics` shows it: SQLite's write-ahead log and its checkpoints.
public struct StoreDiagnostics: Sendable, Equatable {
    /// Frames in the write-ahead log at the last checkpoint (0 when it was reset).
    public var walFrames = 0
    /// Checkpoints that failed since the store opened.
    public var checkpointFailures = 0
    /// Checkpoints that could not copy the whole log (readers held old pages) since it last reset.
    public var checkpointsBehind = 0
    /// The SQLite writer thread's nice value (`SQLiteStore.writerNice` when the system allowed it).
    public var writerNice = 0

    public init() {}
}

/// The rule every store enforces: a write's body never starts another write. On SQLite the
/// inner write would wait for the outer one's batch, which waits for it — a deadlock; on
/// PostgreSQL it would silently run in a second transaction that commits even when the outer one
/// rolls back. So both refuse it at once (`NestedWrite`), the same on both backends.
enum WriteScope {
    @TaskLocal static var inside = false

    static func refuseNested() throws {
        if inside { throw NestedWrite() }
    }
}

/// A `write` started inside another write's body (see `WriteScope`): a programming error.
public struct NestedWrite: Error, CustomStringConvertible, Sendable {
    public var description: String {
        "store.write was called inside another write's body: do the work in the outer transaction (the `db` it was given)"
    }
}

/// Errors opening or using a store, with messages an operator can act on.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// Milliseconds since 1970: how every timestamp is stored, identically on both backends.
enum Millis {
    static func from(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}

extension Store {
    /// SQLite's readers have a watchdog, not a per-statement setting: a long read is a read.
    public func longRead<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await read(body)
    }
}
