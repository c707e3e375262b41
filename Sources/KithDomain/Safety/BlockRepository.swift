public import Foundation

/// Blocks between members. A block works both ways: neither sees the other anywhere.
public protocol BlockRepository: Sendable {
    func block(_ blocked: Member.ID, by blocker: Member.ID, at: Date) async throws
    func unblock(_ blocked: Member.ID, by blocker: Member.ID) async throws
    /// True when either member blocked the other.
    func isBlocked(between first: Member.ID, and second: Member.ID) async throws -> Bool
    /// Everyone who blocked `member` or whom `member` blocked.
    func blockedEither(of member: Member.ID) async throws -> [Member.ID]
    /// Members that `blocker` blocked, newest first.
    func blocked(by blocker: Member.ID) async throws -> [Member]
}
