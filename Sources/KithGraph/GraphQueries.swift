import Foundation

/// A candidate for "people you may know": how the graph connects them to the member.
public struct GraphCandidate: Sendable, Equatable {
    public var vertex: Vertex
    public var mutualCount: Int
    /// Σ 1/log(degree) over mutual connections: shared connections who know fewer people count more.
    public var adamicAdar: Double
}

/// A mutual connection and how strong the weaker of its two ties is.
public struct Mutual: Sendable, Equatable {
    public var vertex: Vertex
    public var strength: UInt8
}

/// Read-only queries over one snapshot of the graph. Cheap to create; safe to use from many
/// threads at once (each query borrows its own scratch buffers).
public struct GraphQueries: Sendable {
    public let graph: SocialGraph
    private let pool: ScratchPool

    public init(_ graph: SocialGraph) {
        self.graph = graph
        self.pool = ScratchPool()
    }

    init(_ graph: SocialGraph, pool: ScratchPool) {
        self.graph = graph
        self.pool = pool
    }

    /// Queries over `graph` that borrow from this snapshot's scratch buffers: a graph kept
    /// current change by change publishes a snapshot per change, and a new pool each time would
    /// allocate and zero a fresh buffer per vertex (8 MB at a million members) for the first
    /// queries after every change — churn that also grew the resident memory in steps.
    public func replacingGraph(with graph: SocialGraph) -> GraphQueries {
        GraphQueries(graph, pool: pool)
    }

    /// Which pool of scratch buffers this snapshot borrows from (the same across `replacingGraph`).
    public var scratchPool: ObjectIdentifier { ObjectIdentifier(pool) }

    /// 1 for a connection, 2 for a friend of a friend, 3 for one more step, nil beyond (or same vertex).
    public func degree(from a: Vertex, to b: Vertex) -> Int? {
        guard a != b, Int(a) < graph.vertexCount, Int(b) < graph.vertexCount, a >= 0, b >= 0 else { return nil }
        if graph.areConnected(a, b) { return 1 }
        // Mark the smaller neighbourhood, then look from the other side.
        let (small, large) = graph.degree(of: a) <= graph.degree(of: b) ? (a, b) : (b, a)
        return pool.withScratch(vertexCount: graph.vertexCount) { scratch in
            scratch.withBits { marked in
                graph.forEachNeighbor(of: small) { neighbour, _ in marked.insert(neighbour) }
                var found = false
                graph.forEachNeighbor(of: large) { neighbour, _ in
                    if !found && marked.contains(neighbour) { found = true }
                }
                if found { return 2 }
                var three = false
                graph.forEachNeighbor(of: large) { neighbour, _ in
                    guard !three else { return }
                    graph.forEachNeighbor(of: neighbour) { second, _ in
                        if !three && marked.contains(second) { three = true }
                    }
                }
                return three ? 3 : nil
            }
        }
    }

    /// How many connections a and b share.
    public func mutualCount(_ a: Vertex, _ b: Vertex) -> Int {
        guard a != b, a >= 0, b >= 0, Int(a) < graph.vertexCount, Int(b) < graph.vertexCount else { return 0 }
        if graph.isCompact(a) && graph.isCompact(b) { return graph.base.commonCount(a, b) }
        var count = 0
        forEachMutual(a, b) { _, _ in count += 1 }
        return count
    }

    /// Shared connections, strongest first (by the weaker of the two ties), at most `limit`.
    public func mutuals(_ a: Vertex, _ b: Vertex, limit: Int = 10) -> [Mutual] {
        var result: [Mutual] = []
        forEachMutual(a, b) { vertex, strength in result.append(Mutual(vertex: vertex, strength: strength)) }
        result.sort { $0.strength != $1.strength ? $0.strength > $1.strength : $0.vertex < $1.vertex }
        return Array(result.prefix(limit))
    }

    private func forEachMutual(_ a: Vertex, _ b: Vertex, _ body: (Vertex, UInt8) -> Void) {
        guard a != b, Int(a) < graph.vertexCount, Int(b) < graph.vertexCount, a >= 0, b >= 0 else { return }
        if graph.isCompact(a) && graph.isCompact(b) {
            graph.base.forEachCommon(a, b) { vertex, left, right in body(vertex, min(left, right)) }
            return
        }
        pool.withScratch(vertexCount: graph.vertexCount) { scratch in
            let mark = scratch.generation
            graph.forEachNeighbor(of: a) { neighbour, weight in
                scratch.slots[Int(neighbour)].stamp = mark
                scratch.slots[Int(neighbour)].count = UInt32(weight)
            }
            graph.forEachNeighbor(of: b) { neighbour, weight in
                if scratch.slots[Int(neighbour)].stamp == mark {
                    body(neighbour, min(UInt8(scratch.slots[Int(neighbour)].count), weight))
                }
            }
        }
    }

    /// The number of members exactly two steps away (friends of friends who are not friends).
    public func secondDegreeCount(_ a: Vertex) -> Int {
        guard a >= 0, Int(a) < graph.vertexCount else { return 0 }
        return pool.withScratch(vertexCount: graph.vertexCount) { scratch in
            scratch.withBits { seen in
                seen.insert(a)
                graph.forEachNeighbor(of: a) { neighbour, _ in seen.insert(neighbour) }
                var count = 0
                graph.forEachNeighbor(of: a) { neighbour, _ in
                    graph.forEachNeighbor(of: neighbour) { second, _ in
                        if seen.insert(second) { count += 1 }
                    }
                }
                return count
            }
        }
    }

    /// Up to `limit` warm-introduction paths from a to b of at most three hops, shortest first,
    /// then by the weakest tie on the path (strongest first). Intermediaries for which `avoid`
    /// is true (for example members who blocked either end) are never used.
    public func paths(from a: Vertex, to b: Vertex, limit: Int = 3, avoid: (Vertex) -> Bool = { _ in false }) -> [[Vertex]] {
        guard a != b, a >= 0, b >= 0, Int(a) < graph.vertexCount, Int(b) < graph.vertexCount else { return [] }
        if graph.areConnected(a, b) { return [[a, b]] }
        var found: [(path: [Vertex], strength: UInt8)] = []
        for mutual in mutuals(a, b, limit: Int.max) where !avoid(mutual.vertex) {
            found.append(([a, mutual.vertex, b], mutual.strength))
        }
        if found.count >= limit {
            return found.prefix(limit).map(\.path)
        }
        // Three hops: a – x – y – b with x a neighbour of a and y a neighbour of b.
        var longer: [(path: [Vertex], strength: UInt8)] = []
        pool.withScratch(vertexCount: graph.vertexCount) { scratch in
            let mark = scratch.generation
            graph.forEachNeighbor(of: b) { neighbour, weight in
                scratch.slots[Int(neighbour)].stamp = mark
                scratch.slots[Int(neighbour)].count = UInt32(weight)
            }
            graph.forEachNeighbor(of: a) { x, ax in
                // A neighbour of both ends already gave a two-hop path.
                guard x != b, scratch.slots[Int(x)].stamp != mark, !avoid(x) else { return }
                graph.forEachNeighbor(of: x) { y, xy in
                    guard y != a, y != x, scratch.slots[Int(y)].stamp == mark, !avoid(y) else { return }
                    let strength = min(ax, xy, UInt8(scratch.slots[Int(y)].count))
                    longer.append(([a, x, y, b], strength))
                }
            }
        }
        longer.sort { $0.strength != $1.strength ? $0.strength > $1.strength : $0.path.lexicographicallyPrecedes($1.path) }
        return (found + longer).prefix(limit).map(\.path)
    }

    /// Everyone exactly two steps from `a`, with mutual counts and Adamic–Adar scores.
    public func secondDegreeCandidates(of a: Vertex) -> [GraphCandidate] {
        guard a >= 0, Int(a) < graph.vertexCount else { return [] }
        return pool.withScratch(vertexCount: graph.vertexCount) { scratch in
            collect(a, scratch)
            var result: [GraphCandidate] = []
            result.reserveCapacity(scratch.candidates.count)
            scratch.candidates.forEach {
                result.append(GraphCandidate(vertex: $0.vertex, mutualCount: Int($0.count), adamicAdar: Double($0.score)))
            }
            return result
        }
    }

    /// The `limit` best candidates by `score` (higher is better), ties broken by vertex.
    public func topCandidates(
        of a: Vertex,
        limit: Int,
        score: (GraphCandidate) -> Double
    ) -> [(candidate: GraphCandidate, score: Double)] {
        guard a >= 0, Int(a) < graph.vertexCount, limit > 0 else { return [] }
        let best = pool.withScratch(vertexCount: graph.vertexCount) { scratch in
            collect(a, scratch, skippingHubs: true)
            var best: [(candidate: GraphCandidate, score: Double)] = []
            best.reserveCapacity(limit + 1)
            scratch.candidates.forEach { entry in
                let vertex = entry.vertex
                let candidate = GraphCandidate(vertex: vertex, mutualCount: Int(entry.count), adamicAdar: Double(entry.score))
                let value = score(candidate)
                guard value.isFinite else { return }
                if best.count == limit, let last = best.last,
                    !(value > last.score || (value == last.score && vertex < last.candidate.vertex))
                {
                    return
                }
                let position = best.firstIndex { value > $0.score || (value == $0.score && vertex < $0.candidate.vertex) } ?? best.count
                best.insert((candidate, value), at: position)
                if best.count > limit { best.removeLast() }
            }
            return best
        }
        // Hubs were skipped while ranking; report exact mutual counts for the chosen few.
        return best.map { entry in
            var candidate = entry.candidate
            candidate.mutualCount = mutualCount(a, candidate.vertex)
            return (candidate, entry.score)
        }
    }

    /// Connections with more than this many connections of their own are not expanded when
    /// collecting suggestion candidates: their Adamic–Adar weight (1/log degree) is the smallest,
    /// and walking them dominates the cost. Mutual counts of the final top list are exact.
    public static let hubLimit = 1_000

    /// Fills `scratch.candidates` with a's second-degree vertices, their mutual counts and
    /// Adamic–Adar sums. a and its connections are kept out with a bit set (128 KB for a million
    /// members: it stays in the L2 cache).
    private func collect(_ a: Vertex, _ scratch: Scratch, skippingHubs: Bool = false) {
        scratch.withBits { known in
            known.insert(a)
            graph.forEachNeighbor(of: a) { neighbour, _ in known.insert(neighbour) }
            graph.forEachNeighbor(of: a) { neighbour, _ in
                let degree = graph.degree(of: neighbour)
                if skippingHubs && degree > Self.hubLimit { return }
                let contribution = degree > 1 ? Float(1 / log(Double(degree))) : 0
                graph.forEachNeighbor(of: neighbour) { second, _ in
                    guard !known.contains(second) else { return }
                    scratch.candidates.add(second, weight: contribution)
                }
            }
        }
    }
}
