public import Foundation
import KithGraph

/// How the viewer is connected to another member.
public struct Relationship: Sendable, Equatable {
    public var member: Member
    /// 1, 2 or 3; nil when further or not connected at all.
    public var degree: Int?
    public var mutualCount: Int
    /// Up to ten mutual connections, strongest ties first.
    public var mutuals: [MemberSummary]
    /// Up to three warm-introduction paths, viewer first, target last.
    public var paths: [[Member]]
}

/// One suggested person, with reasons built only from what the community may see.
public struct Suggestion: Sendable, Equatable {
    public var member: MemberSummary
    public var score: Double
    public var reasons: [String]
}

/// Degrees, mutuals and warm-introduction paths, answered from the in-memory graph.
public struct RelationshipService: Sendable {
    private let members: any MemberRepository
    private let profiles: any ProfileRepository
    private let blocks: any BlockRepository
    private let graph: NetworkGraph

    public init(members: any MemberRepository, profiles: any ProfileRepository, blocks: any BlockRepository, graph: NetworkGraph) {
        self.members = members
        self.profiles = profiles
        self.blocks = blocks
        self.graph = graph
    }

    public func relationship(with handle: String, viewer: Member) async throws -> Relationship {
        guard let parsed = try? Handle(handle), let target = try await members.member(handle: parsed) else {
            throw DomainError.notFound("member")
        }
        let viewerBlocks = Set(try await blocks.blockedEither(of: viewer.id))
        guard !viewerBlocks.contains(target.id) else { throw DomainError.notFound("member") }
        let targetBlocks = Set(try await blocks.blockedEither(of: target.id))
        let vertices = try await graph.vertices(of: [viewer.id, target.id] + Array(viewerBlocks.union(targetBlocks)))
        guard target.id != viewer.id, let a = vertices[viewer.id], let b = vertices[target.id] else {
            return Relationship(member: target, degree: nil, mutualCount: 0, mutuals: [], paths: [])
        }
        // Nobody who blocked (or was blocked by) either end is shown or used as an intermediary.
        let avoided = Set(viewerBlocks.union(targetBlocks).compactMap { vertices[$0] })
        let queries = graph.queries
        let degree = queries.degree(from: a, to: b)
        let allMutuals = queries.mutuals(a, b, limit: Int.max).filter { !avoided.contains($0.vertex) }
        let paths = queries.paths(from: a, to: b, limit: 3) { avoided.contains($0) }
        let needed = Array(Set(allMutuals.prefix(10).map(\.vertex) + paths.flatMap { $0 }))
        let byVertex = try await graph.members(at: needed)
        let mutualMembers = allMutuals.prefix(10).compactMap { byVertex[$0.vertex] }
        let profilesByID = try await profiles.profiles(of: mutualMembers.map(\.id))
        return Relationship(
            member: target,
            degree: degree,
            mutualCount: allMutuals.count,
            mutuals: mutualMembers.map { member in
                MemberSummary(
                    member: member,
                    profile: profilesByID[member.id] ?? Profile(memberID: member.id, updatedAt: member.createdAt),
                    relation: .connection
                )
            },
            paths: paths.compactMap { path in
                let resolved = path.compactMap { byVertex[$0] }
                return resolved.count == path.count ? resolved : nil
            }
        )
    }

    /// The size of the viewer's network by degree: connections and second-degree members.
    public func networkSize(of member: Member) async throws -> (first: Int, second: Int) {
        guard let vertex = try await graph.vertex(of: member.id) else { return (0, 0) }
        let queries = graph.queries
        return (queries.graph.degree(of: vertex), queries.secondDegreeCount(vertex))
    }
}
