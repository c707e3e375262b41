public import Foundation
public import KithGraph
import Synchronization

/// The community's connection graph in memory: a projection of the database, rebuilt at start-up
/// and kept current by tailing the change feed. Readers take the current snapshot without
/// waiting; one catch-up at a time builds the next snapshot and publishes it.
public final class NetworkGraph: Sendable {
    private struct State: Sendable {
        var queries: GraphQueries
        var lastChange: Int64
        var vertexOf: [Member.ID: Int32]
    }

    private let feed: any GraphFeed
    private let state: Mutex<State>
    private let catchUpLock = AsyncMutex()
    /// Compact the write delta into a new base when it holds this many changes.
    private let compactionThreshold: Int

    public init(feed: any GraphFeed, compactionThreshold: Int = 20_000) {
        self.feed = feed
        self.compactionThreshold = compactionThreshold
        self.state = Mutex(State(queries: GraphQueries(SocialGraph()), lastChange: 0, vertexOf: [:]))
    }

    /// The current snapshot, for queries.
    public var queries: GraphQueries { state.withLock { $0.queries } }

    public var lastChange: Int64 { state.withLock { $0.lastChange } }

    /// Loads every connection from the database.
    public func rebuild() async throws {
        let snapshot = try await feed.snapshot()
        let graph = SocialGraph(
            vertexCount: snapshot.vertexCount,
            edges: snapshot.edges.map { Edge($0.0, $0.1, weight: $0.2) }
        )
        state.withLock {
            $0.queries = $0.queries.replacingGraph(with: graph)
            $0.lastChange = snapshot.lastChange
        }
        try await catchUp()
    }

    /// Applies changes committed since the last one seen. Called after every local write (so a
    /// member sees their own change at once) and on a timer (to see other instances' writes).
    public func catchUp() async throws {
        try await catchUpLock.withLock { try await self.applyPendingChanges() }
    }

    private func applyPendingChanges() async throws {
        while true {
            let (graph, after) = state.withLock { ($0.queries.graph, $0.lastChange) }
            let changes = try await feed.changes(after: after, limit: 5_000)
            guard let last = changes.last else { return }
            var next = graph
            for change in changes {
                switch change.kind {
                case .connect: next.addEdge(change.a, change.b, weight: change.strength)
                case .disconnect: next.removeEdge(change.a, change.b)
                }
            }
            if next.pendingChanges > compactionThreshold { next.compact() }
            state.withLock {
                // The same scratch buffers for every snapshot (see `replacingGraph`).
                $0.queries = $0.queries.replacingGraph(with: next)
                $0.lastChange = last.sequence
            }
            if changes.count < 5_000 { return }
        }
    }

    /// The vertex of each member (cached; members keep their number for life).
    public func vertices(of members: [Member.ID]) async throws -> [Member.ID: Int32] {
        var found: [Member.ID: Int32] = [:]
        var missing: [Member.ID] = []
        state.withLock { state in
            for member in members {
                if let vertex = state.vertexOf[member] { found[member] = vertex } else { missing.append(member) }
            }
        }
        if !missing.isEmpty {
            let loaded = try await feed.vertices(of: missing)
            state.withLock { $0.vertexOf.merge(loaded) { old, _ in old } }
            found.merge(loaded) { old, _ in old }
        }
        return found
    }

    public func vertex(of member: Member.ID) async throws -> Int32? {
        try await vertices(of: [member])[member]
    }

    /// The tie strength (0–255) between two connected members, nil when they are not connected.
    public func tieStrength(_ first: Member.ID, _ second: Member.ID) async throws -> UInt8? {
        let vertices = try await vertices(of: [first, second])
        guard let a = vertices[first], let b = vertices[second] else { return nil }
        return queries.graph.weight(a, b)
    }

    public func members(at vertices: [Int32]) async throws -> [Int32: Member] {
        try await feed.members(at: vertices)
    }

    /// The same as two lists in step (`GraphFeed.memberList(at:)`).
    func memberList(at vertices: [Int32]) async throws -> (vertices: [Int32], members: [Member]) {
        try await feed.memberList(at: vertices)
    }
}

/// Connection checks answered from the graph, for the visibility policy.
public struct GraphConnectionLookup: ConnectionLookup {
    private let graph: NetworkGraph

    public init(graph: NetworkGraph) {
        self.graph = graph
    }

    public func areConnected(_ first: Member.ID, _ second: Member.ID) async throws -> Bool {
        let vertices = try await graph.vertices(of: [first, second])
        guard let a = vertices[first], let b = vertices[second] else { return false }
        return graph.queries.graph.areConnected(a, b)
    }

    /// One vertex lookup for the whole list (cached vertices; the missing ones in one read).
    public func connections(of member: Member.ID, among others: [Member.ID]) async throws -> Set<Member.ID> {
        let vertices = try await graph.vertices(of: [member] + others)
        guard let a = vertices[member] else { return [] }
        let snapshot = graph.queries.graph
        return Set(others.filter { other in vertices[other].map { snapshot.areConnected(a, $0) } ?? false })
    }
}
