public import Foundation

/// Blocking: the blocked member is not told, and the two disappear for each other.
public struct BlockService: Sendable {
    private let members: any MemberRepository
    private let blocks: any BlockRepository
    private let connections: any ConnectionRepository
    private let graph: NetworkGraph
    private let now: @Sendable () -> Date

    public init(
        members: any MemberRepository,
        blocks: any BlockRepository,
        connections: any ConnectionRepository,
        graph: NetworkGraph,
        now: @escaping @Sendable () -> Date
    ) {
        self.members = members
        self.blocks = blocks
        self.connections = connections
        self.graph = graph
        self.now = now
    }

    public func block(handle raw: String, by blocker: Member) async throws {
        let target = try await member(raw)
        guard target.id != blocker.id else { throw DomainError.invalid(field: "handle", reason: "You cannot block yourself.") }
        try await blocks.block(target.id, by: blocker.id, at: now())
        // A block ends the connection and any open request between the two.
        try await connections.sever(target.id, blocker.id, now: now())
        try await graph.catchUp()
    }

    public func unblock(handle raw: String, by blocker: Member) async throws {
        let target = try await member(raw)
        try await blocks.unblock(target.id, by: blocker.id)
    }

    public func blocked(by blocker: Member) async throws -> [Member] {
        try await blocks.blocked(by: blocker.id)
    }

    private func member(_ raw: String) async throws -> Member {
        guard let handle = try? Handle(raw), let member = try await members.member(handle: handle) else {
            throw DomainError.notFound("member")
        }
        return member
    }
}
