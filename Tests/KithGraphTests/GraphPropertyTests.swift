import Foundation
import KithGraph
import Testing

/// The engine against a plain reference (adjacency sets and breadth-first search) on random
/// graphs, including after random interleavings of adds, removes and compactions.
@Suite struct GraphPropertyTests {
    struct Reference {
        var adjacency: [Set<Vertex>]

        init(_ count: Int) { adjacency = Array(repeating: [], count: count) }

        mutating func add(_ a: Vertex, _ b: Vertex) {
            guard a != b else { return }
            adjacency[Int(a)].insert(b)
            adjacency[Int(b)].insert(a)
        }

        mutating func remove(_ a: Vertex, _ b: Vertex) {
            adjacency[Int(a)].remove(b)
            adjacency[Int(b)].remove(a)
        }

        func distances(from source: Vertex) -> [Int?] {
            var distance = [Int?](repeating: nil, count: adjacency.count)
            distance[Int(source)] = 0
            var queue = [source]
            var head = 0
            while head < queue.count {
                let vertex = queue[head]
                head += 1
                for next in adjacency[Int(vertex)] where distance[Int(next)] == nil {
                    distance[Int(next)] = distance[Int(vertex)]! + 1
                    queue.append(next)
                }
            }
            return distance
        }
    }

    struct Random: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11 | state << 53
        }
    }

    static func randomGraph(seed: UInt64, vertices: Int, edges: Int) -> (SocialGraph, Reference, Random) {
        var random = Random(state: seed)
        var reference = Reference(vertices)
        var list: [Edge] = []
        for _ in 0..<edges {
            let a = Vertex.random(in: 0..<Vertex(vertices), using: &random)
            let b = Vertex.random(in: 0..<Vertex(vertices), using: &random)
            list.append(Edge(a, b, weight: UInt8.random(in: 1...255, using: &random)))
            reference.add(a, b)
        }
        return (SocialGraph(vertexCount: vertices, edges: list), reference, random)
    }

    static func check(
        _ graph: SocialGraph,
        against reference: Reference,
        random: inout Random,
        samples: Int = 60,
        queries given: GraphQueries? = nil
    ) {
        let queries = given ?? GraphQueries(graph)
        let count = reference.adjacency.count
        for vertex in 0..<Vertex(count) {
            #expect(Set(graph.neighbors(of: vertex)) == reference.adjacency[Int(vertex)])
            #expect(graph.degree(of: vertex) == reference.adjacency[Int(vertex)].count)
        }
        for _ in 0..<samples {
            let a = Vertex.random(in: 0..<Vertex(count), using: &random)
            let b = Vertex.random(in: 0..<Vertex(count), using: &random)
            let distances = reference.distances(from: a)
            let expectedDegree = a == b ? nil : distances[Int(b)].flatMap { $0 <= 3 ? $0 : nil }
            #expect(queries.degree(from: a, to: b) == expectedDegree, "degree \(a)→\(b)")
            let mutual = reference.adjacency[Int(a)].intersection(reference.adjacency[Int(b)])
            #expect(queries.mutualCount(a, b) == (a == b ? 0 : mutual.count))
            #expect(Set(queries.mutuals(a, b, limit: 1000).map(\.vertex)) == (a == b ? [] : mutual))
            let second = distances.filter { $0 == 2 }.count
            #expect(queries.secondDegreeCount(a) == second)
            let candidates = queries.secondDegreeCandidates(of: a)
            #expect(Set(candidates.map(\.vertex)) == Set((0..<count).filter { distances[$0] == 2 }.map(Vertex.init)))
            #expect(candidates.count == Set(candidates.map(\.vertex)).count, "each candidate once")
            for candidate in candidates {
                let shared = reference.adjacency[Int(a)].intersection(reference.adjacency[Int(candidate.vertex)])
                #expect(candidate.mutualCount == shared.count)
                let adamicAdar = shared.reduce(0.0) { sum, z in
                    let degree = reference.adjacency[Int(z)].count
                    return sum + (degree > 1 ? 1 / log(Double(degree)) : 0)
                }
                #expect(abs(candidate.adamicAdar - adamicAdar) < 1e-4, "Adamic–Adar of \(candidate.vertex)")
            }
            for path in queries.paths(from: a, to: b) {
                #expect(path.first == a && path.last == b)
                #expect(path.count - 1 <= 3)
                #expect(path.count - 1 >= (distances[Int(b)] ?? 99))
                #expect(Set(path).count == path.count, "a path never revisits a member")
                for (x, y) in zip(path, path.dropFirst()) { #expect(reference.adjacency[Int(x)].contains(y)) }
            }
            if let distance = expectedDegree {
                let paths = queries.paths(from: a, to: b)
                #expect(!paths.isEmpty)
                #expect(paths.first?.count == distance + 1, "the first path is a shortest one")
            }
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func queriesMatchTheReferenceOnRandomGraphs(seed: UInt64) {
        var (graph, reference, random) = Self.randomGraph(seed: seed, vertices: 60 + Int(seed) * 20, edges: 150 + Int(seed) * 40)
        Self.check(graph, against: reference, random: &random)
        _ = graph
    }

    @Test(arguments: [11, 12, 13] as [UInt64])
    func queriesMatchAfterRandomAddsRemovesAndCompactions(seed: UInt64) {
        var (graph, reference, random) = Self.randomGraph(seed: seed, vertices: 80, edges: 200)
        for step in 0..<400 {
            let a = Vertex.random(in: 0..<90, using: &random)
            let b = Vertex.random(in: 0..<90, using: &random)
            if reference.adjacency.count < 90 { reference.adjacency += Array(repeating: [], count: 90 - reference.adjacency.count) }
            if Bool.random(using: &random) {
                graph.addEdge(a, b, weight: 7)
                reference.add(a, b)
            } else {
                let existing = reference.adjacency[Int(a)].randomElement(using: &random) ?? b
                graph.removeEdge(a, existing)
                reference.remove(a, existing)
            }
            if step % 97 == 0 { graph.compact() }
        }
        graph.ensureVertex(89)
        Self.check(graph, against: reference, random: &random, samples: 120)
        graph.compact()
        Self.check(graph, against: reference, random: &random, samples: 40)
    }

    /// A graph kept current publishes a snapshot per change, each borrowing the first one's
    /// scratch buffers (`replacingGraph`): what one snapshot's queries left in them never shows in
    /// the next one's answers, as the graph changes and grows.
    @Test(arguments: [21, 22] as [UInt64])
    func snapshotsSharingScratchBuffersMatchTheReference(seed: UInt64) {
        var (graph, reference, random) = Self.randomGraph(seed: seed, vertices: 70, edges: 180)
        var queries = GraphQueries(graph)
        let pool = queries.scratchPool
        for step in 0..<60 {
            let grown = 70 + step / 3
            if reference.adjacency.count < grown {
                reference.adjacency += Array(repeating: [], count: grown - reference.adjacency.count)
                graph.ensureVertex(Vertex(grown - 1))
            }
            for _ in 0..<3 {
                let a = Vertex.random(in: 0..<Vertex(grown), using: &random)
                let b = Vertex.random(in: 0..<Vertex(grown), using: &random)
                if Bool.random(using: &random) {
                    graph.addEdge(a, b, weight: 9)
                    reference.add(a, b)
                } else if let other = reference.adjacency[Int(a)].randomElement(using: &random) {
                    graph.removeEdge(a, other)
                    reference.remove(a, other)
                }
            }
            if step % 25 == 24 { graph.compact() }
            queries = queries.replacingGraph(with: graph)
            #expect(queries.scratchPool == pool)
            Self.check(graph, against: reference, random: &random, samples: 8, queries: queries)
        }
        #expect(GraphQueries(graph).scratchPool != pool, "a snapshot of its own has a pool of its own")
    }

    @Test func pathsAvoidBlockedIntermediariesAndPreferStrongTies() {
        // 0 – 1 – 3 and 0 – 2 – 3: the route through 2 is stronger.
        var graph = SocialGraph(
            vertexCount: 5,
            edges: [Edge(0, 1, weight: 10), Edge(1, 3, weight: 10), Edge(0, 2, weight: 200), Edge(2, 3, weight: 150)]
        )
        var queries = GraphQueries(graph)
        #expect(queries.paths(from: 0, to: 3) == [[0, 2, 3], [0, 1, 3]])
        #expect(queries.paths(from: 0, to: 3, avoid: { $0 == 2 }) == [[0, 1, 3]])
        #expect(queries.mutuals(0, 3).map(\.vertex) == [2, 1])
        graph.removeEdge(1, 3)
        graph.removeEdge(2, 3)
        queries = GraphQueries(graph)
        #expect(queries.paths(from: 0, to: 3) == [])
        #expect(queries.degree(from: 0, to: 3) == nil)
    }

    @Test func buildDropsSelfLoopsAndDuplicatesKeepingTheStrongestTie() {
        let graph = SocialGraph(vertexCount: 3, edges: [Edge(0, 0), Edge(0, 1, weight: 5), Edge(1, 0, weight: 9), Edge(1, 2, weight: 3)])
        #expect(graph.base.arcCount == 4)
        #expect(graph.weight(0, 1) == 9)
        #expect(graph.neighbors(of: 0) == [1])
    }

    /// A walk that meets far more candidates than the table starts with (4,096 entries): every one
    /// is counted once, with the right count, and the ranking still finds the best.
    @Test func candidatesPastTheTablesFirstSizeAreAllCounted() {
        let hubs = 12
        let leaves = 700
        var edges: [Edge] = []
        for hub in 1...hubs {
            edges.append(Edge(0, Vertex(hub), weight: 1))
            for leaf in 0..<leaves { edges.append(Edge(Vertex(hub), Vertex(1 + hubs + leaf + (hub - 1) * (leaves / 2)), weight: 1)) }
        }
        let vertexCount = 1 + hubs + leaves + (hubs - 1) * (leaves / 2)
        let queries = GraphQueries(SocialGraph(vertexCount: vertexCount, edges: edges))
        var expected: [Vertex: Int] = [:]
        for edge in edges where edge.a != 0 { expected[edge.b, default: 0] += 1 }
        let candidates = queries.secondDegreeCandidates(of: 0)
        #expect(candidates.count == expected.count)
        #expect(candidates.count > 4_096)
        #expect(Dictionary(uniqueKeysWithValues: candidates.map { ($0.vertex, $0.mutualCount) }) == expected)
        let top = queries.topCandidates(of: 0, limit: 3) { Double($0.mutualCount) }
        #expect(top.map(\.candidate.mutualCount) == [2, 2, 2])
        #expect(top.map(\.candidate.vertex) == expected.filter { $0.value == 2 }.keys.sorted().prefix(3).map { $0 })
    }

    @Test func topCandidatesRankByTheGivenScore() {
        // 0 knows 1 and 2; 3 shares both, 4 shares one.
        let graph = SocialGraph(vertexCount: 5, edges: [Edge(0, 1), Edge(0, 2), Edge(1, 3), Edge(2, 3), Edge(1, 4)])
        let queries = GraphQueries(graph)
        let byMutuals = queries.topCandidates(of: 0, limit: 5) { Double($0.mutualCount) }
        #expect(byMutuals.map(\.candidate.vertex) == [3, 4])
        #expect(byMutuals.first?.candidate.mutualCount == 2)
        let inverted = queries.topCandidates(of: 0, limit: 1) { -Double($0.mutualCount) }
        #expect(inverted.map(\.candidate.vertex) == [4])
    }
}

@Suite struct WeakTieTests {
    /// The inverted U: 0.35 with no mutuals, rising to 1 at ten, falling after — also past the
    /// looked-up range.
    @Test func factorIsAnInvertedUPeakingAtTenMutuals() {
        #expect(WeakTie.factor(mutuals: 0) == 0.35)
        #expect(abs(WeakTie.factor(mutuals: 10) - 1) < 1e-12)
        let rising = (1...10).map { WeakTie.factor(mutuals: $0) }
        let falling = [10, 20, 100, 1_000, 4_095, 4_096, 10_000].map { WeakTie.factor(mutuals: $0) }
        #expect(rising == rising.sorted())
        #expect(falling == falling.sorted(by: >))
        #expect(falling.allSatisfy { $0 >= 0.35 && $0 <= 1 })
        #expect(WeakTie.factor(mutuals: 4_096) > 0.35, "still above the floor just past the table")
    }
}
