import Foundation
public import Logging

/// Which store to open, chosen from the command line or the environment.
public enum StoreConfiguration: Sendable {
    /// SQLite at `DIR/kith.sqlite`, with `readers` reader connections (each a thread of its own).
    case sqlite(path: String, readers: Int = 3)
    /// PostgreSQL at a URL, optionally inside one schema (used by tests), with a per-statement
    /// time limit (tests on a loaded machine give their statements longer than production's).
    case postgres(url: String, schema: String? = nil, statementTimeout: String = PostgresStore.statementTimeout)

    public static func dataDirectory(_ directory: String, readers: Int = 3) -> StoreConfiguration {
        .sqlite(path: URL(fileURLWithPath: directory).appendingPathComponent("kith.sqlite").path, readers: readers)
    }

    public func open(logger: Logger) async throws -> any Store {
        switch self {
        case .sqlite(let path, let readers): try await SQLiteStore.open(path: path, readers: readers, logger: logger)
        case .postgres(let url, let schema, let limit):
            try await PostgresStore.open(url: url, schema: schema, statementTimeout: limit, logger: logger)
        }
    }

    /// Opens the store, runs `body`, and closes the store whatever happens.
    public func withStore<T: Sendable>(logger: Logger, _ body: (any Store) async throws -> T) async throws -> T {
        let store = try await open(logger: logger)
        do {
            let value = try await body(store)
            await store.close()
            return value
        } catch {
            await store.close()
            throw error
        }
    }
}
