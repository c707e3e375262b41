public import Foundation

/// How many tries at something guessable (a password, a check-in code, a second factor) or
/// costly (registering, asking for a reset mail) one key gets. The first `free` tries in a
/// `window` go through at once; after that each try must wait twice as long as the one before
/// (`baseDelay`, doubling, at most `maxDelay`) — a progressive delay rather than a hard lock, so
/// the real owner is slowed, never locked out, while guessing becomes hopeless.
public struct AttemptLimit: Sendable, Equatable {
    public var free: Int
    public var window: TimeInterval
    public var baseDelay: TimeInterval
    public var maxDelay: TimeInterval

    public init(free: Int, window: TimeInterval, baseDelay: TimeInterval, maxDelay: TimeInterval) {
        self.free = free
        self.window = window
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Seconds still to wait before another try, or nil when a try may go ahead now, given the
    /// tries counted in the current window and when the last one was.
    public func wait(tries: Int, lastAt: Date?, now: Date) -> TimeInterval? {
        guard tries >= free, let lastAt else { return nil }
        let exponent = min(tries - free, 30)
        let gap = min(maxDelay, baseDelay * pow(2, Double(exponent)))
        let waited = now.timeIntervalSince(lastAt)
        return waited >= gap ? nil : gap - waited
    }
}

/// The tries counted against one key in its current window.
public struct AttemptCount: Sendable, Equatable {
    public var tries: Int
    public var lastAt: Date?

    public init(tries: Int, lastAt: Date?) {
        self.tries = tries
        self.lastAt = lastAt
    }
}

/// Attempt counters, changed atomically: two requests at the same moment can never both take
/// the last free try (the check and the count are one transaction, the counter row locked).
public protocol AttemptRepository: Sendable {
    /// In one transaction: reads each key's count (a window older than `limits[key].window`
    /// counts as empty), asks `decide` for the longest wait among them, and — only when nobody
    /// must wait — counts one more try against every key. Returns the wait, or nil when counted.
    func reserve(_ limits: [String: AttemptLimit], at: Date) async throws -> TimeInterval?
    /// Forgets `key`'s tries (after a success).
    func clear(key: String) async throws
    /// Takes back one try from `key` (a try that turned out to be legitimate).
    func forgive(key: String) async throws
}

extension AttemptRepository {
    /// Counts a try against every key, or throws `rateLimited` with the seconds to wait.
    public func take(_ limits: [String: AttemptLimit], at: Date) async throws {
        if let wait = try await reserve(limits, at: at) {
            throw DomainError.rateLimited(retryAfterSeconds: max(1, Int(wait.rounded(.up))))
        }
    }
}
