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
    /// How many mutual connections and warm-introduction paths an answer shows.
    public static let mutualsShown = 10
    public static let pathsShown = 3

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
        let candidateMutuals = queries.mutuals(a, b, limit: Int.max).filter { !avoided.contains($0.vertex) }
        let candidatePaths = queries.paths(from: a, to: b, limit: 6) { avoided.contains($0) }
        let needed = Array(Set(candidateMutuals.map(\.vertex) + candidatePaths.flatMap { $0 } + [b]))
        let byVertex = try await graph.members(at: needed)
        let profilesByID = try await profiles.profiles(of: byVertex.values.map(\.id))
        // A connection between two members is shown only if one of them lets the viewer see their
        // connections list: mutuals and paths never reveal a list someone keeps private.
        func listVisible(_ vertex: Int32) -> Bool {
            guard let member = byVertex[vertex] else { return false }
            if vertex == a { return true }
            let profile = profilesByID[member.id] ?? Profile(memberID: member.id, updatedAt: member.createdAt)
            let relation: ViewerRelation = queries.graph.areConnected(a, vertex) ? .connection : .member
            return ProfilePolicy.canSee(.connections, of: profile, as: relation)
        }
        func revealable(_ u: Int32, _ v: Int32) -> Bool { u == a || v == a || listVisible(u) || listVisible(v) }
        let mutuals = candidateMutuals.filter { revealable($0.vertex, b) }
        let paths = candidatePaths.filter { path in zip(path, path.dropFirst()).allSatisfy { revealable($0, $1) } }.prefix(Self.pathsShown)
        let mutualMembers = mutuals.prefix(Self.mutualsShown).compactMap { byVertex[$0.vertex] }
        // The degree is told only as far as the connections shown bear it out: a direct
        // connection, or the shortest path whose every link may be shown. Otherwise "2nd" would
        // reveal a connection that both its ends keep private.
        let shownDegree = degree == 1 ? 1 : paths.map { $0.count - 1 }.filter { (2...3).contains($0) }.min()
        return Relationship(
            member: target,
            degree: shownDegree,
            mutualCount: mutuals.count,
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
