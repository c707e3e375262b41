public import Foundation

/// Blocks between members. A block works both ways: neither sees the other anywhere.
public protocol BlockRepository: Sendable {
    func block(_ blocked: Member.ID, by blocker: Member.ID, at: Date) async throws
    func unblock(_ blocked: Member.ID, by blocker: Member.ID) async throws
    /// True when either member blocked the other.
    func isBlocked(between first: Member.ID, and second: Member.ID) async throws -> Bool
    /// The blocks between any two of `members`, in one read (a request that checks several pairs).
    func blocks(among members: [Member.ID]) async throws -> BlocksAmong
    /// Everyone who blocked `member` or whom `member` blocked.
    func blockedEither(of member: Member.ID) async throws -> [Member.ID]
    /// The same for each of several members, in one read (a batch of members' suggestions);
    /// members with no block are absent.
    func blockedEither(ofEach members: [Member.ID]) async throws -> [Member.ID: Set<Member.ID>]
    /// Members that `blocker` blocked, newest first.
    func blocked(by blocker: Member.ID) async throws -> [Member]
}

/// The blocks found between members of one small group (`BlockRepository.blocks(among:)`).
public struct BlocksAmong: Sendable, Equatable {
    /// Each block as (blocker, blocked).
    public let pairs: Set<[Member.ID]>

    public init(_ pairs: [(blocker: Member.ID, blocked: Member.ID)]) {
        self.pairs = Set(pairs.map { [$0.blocker, $0.blocked] })
    }

    /// True when either member blocked the other.
    public func between(_ first: Member.ID, _ second: Member.ID) -> Bool {
        pairs.contains([first, second]) || pairs.contains([second, first])
    }
}
