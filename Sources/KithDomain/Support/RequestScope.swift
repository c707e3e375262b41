public import Foundation
import Synchronization

/// What the reads of one request may share: the web layer opens a scope around each request
/// (`RequestScopeMiddleware`), storage keeps small per-request values in it — for now the member
/// cache's catch-up, so a request that reads members five times reads the change feed once.
///
/// The rule that makes sharing safe: a request's reads see the data as of its first catch-up, like
/// a transaction's snapshot; any write the request commits clears the scope (the stores do it), so
/// the request's next read catches up again and sees its own write; and a value is kept at most
/// `lifetime`, so a long request (a stream) reads the feed again.
public final class RequestScope: Sendable {
    @TaskLocal public static var current: RequestScope?

    /// How long a kept value serves, 1 s unless a test needs longer.
    public let lifetime: TimeInterval

    private let values = Mutex<[String: (value: any Sendable, at: Date)]>([:])

    public init(lifetime: TimeInterval = 1) {
        self.lifetime = lifetime
    }

    /// The value kept under `key`, if it was kept less than `lifetime` ago.
    public func value<T: Sendable>(_ key: String, as type: T.Type, now: Date = Date()) -> T? {
        values.withLock { values in
            guard let kept = values[key], now.timeIntervalSince(kept.at) < lifetime else { return nil }
            return kept.value as? T
        }
    }

    public func keep(_ value: some Sendable, as key: String, now: Date = Date()) {
        values.withLock { $0[key] = (value, now) }
    }

    /// Forgets everything (after a write).
    public func clear() {
        values.withLock { $0.removeAll() }
    }
}

/// Where a request's work runs: most requests read or write one thing and run in the foreground;
/// the few that rank or walk the whole community (search, suggestions, paths, people to meet) give
/// way to them while any is in flight — in the ranking lane, which the web layer gives lower CPU
/// priority and the SQLite store keeps off one reader connection.
public enum RequestLane: String, Sendable {
    case foreground
    case ranking

    /// `.ranking` while the request this task serves gives way (set by the web layer); otherwise
    /// `.foreground`.
    @TaskLocal public static var current: RequestLane = .foreground
}
