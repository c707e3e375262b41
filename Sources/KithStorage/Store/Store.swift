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
    /// Runs `body` in one transaction: everything it writes commits together or not at all.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    /// Closes connections. The store must not be used afterwards.
    func close() async
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
