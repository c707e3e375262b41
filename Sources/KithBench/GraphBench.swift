import ArgumentParser
import Foundation
import KithDemo
import KithGraph

/// A synthetic community graph: members belong to clusters (a cohort, an employer) where most of
/// their connections are, plus cross-cluster ties chosen by preferential attachment, which gives
/// the heavy-tailed degree distribution and the bridges real professional networks have.
enum SyntheticGraph {
    static func edges(members: Int, edgesPerMember: Int, seed: UInt64) -> [Edge] {
        var rng = SplitMix64(seed: seed)
        var edges: [Edge] = []
        edges.reserveCapacity(members * edgesPerMember)
        let clusterSize = 250
        for member in 0..<members {
            let cluster = member / clusterSize
            let clusterStart = cluster * clusterSize
            let clusterEnd = min(members, clusterStart + clusterSize)
            for _ in 0..<edgesPerMember {
                let other: Int
                let roll = rng.next() % 100
                if roll < 70 || edges.isEmpty {
                    other = clusterStart + Int(rng.next() % UInt64(clusterEnd - clusterStart))
                } else {
                    // Preferential attachment: an endpoint of a random existing edge.
                    let edge = edges[Int(rng.next() % UInt64(edges.count))]
                    other = Int(rng.next() & 1 == 0 ? edge.a : edge.b)
                }
                if other != member {
                    edges.append(Edge(Vertex(member), Vertex(other), weight: UInt8(1 + rng.next() % 200)))
                }
            }
        }
        return edges
    }
}

struct GraphBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Build a synthetic graph and time degree, mutuals, 2nd-degree size, paths and suggestions."
    )

    @Option(help: "Members (vertices).") var members = 1_000_000
    @Option(help: "Connections created per member (edges ≈ members × this).") var edgesPerMember = 25
    @Option(help: "Random seed.") var seed: UInt64 = 42
    @Option(help: "Queries per measurement.") var queries = 10_000
    @Option(help: "Write the edge list (a b per line) here, for the peer comparison.") var exportEdges: String?
    @Option(help: "Write the query pairs here, so peers answer the same queries.") var exportQueries: String?
    @Flag(help: "Print JSON lines.") var json = false

    func run() async throws {
        let edges = SyntheticGraph.edges(members: members, edgesPerMember: edgesPerMember, seed: seed)
        let start = ContinuousClock.now
        let graph = SocialGraph(vertexCount: members, edges: edges)
        let buildTime = ContinuousClock.now - start
        var build = Measurement(name: "build")
        build.samples = [milliseconds(buildTime)]
        build.extra = [
            "members": String(members), "edges": String(graph.base.arcCount / 2), "arcs": String(graph.base.arcCount),
            "seconds": String(format: "%.3f", milliseconds(buildTime) / 1000),
            "bytes_per_arc": String(format: "%.3f", Double(graph.byteCount) / Double(max(1, graph.base.arcCount))),
        ]
        print(build.line(json: json))
        if let exportEdges { try export(graph, to: exportEdges) }

        let queriesEngine = GraphQueries(graph)
        var rng = SplitMix64(seed: seed &+ 1)
        func randomVertex() -> Vertex { Vertex(rng.next() % UInt64(members)) }
        // Pairs at distance 2 (through a random neighbour) make mutuals and paths non-trivial.
        func nearbyPair() -> (Vertex, Vertex) {
            let a = randomVertex()
            let first = graph.neighbors(of: a)
            guard let x = first.isEmpty ? nil : first[Int(rng.next() % UInt64(first.count))] else { return (a, randomVertex()) }
            let second = graph.neighbors(of: x)
            guard let b = second.isEmpty ? nil : second[Int(rng.next() % UInt64(second.count))] else { return (a, x) }
            return (a, b)
        }
        var pairs: [(Vertex, Vertex)] = []
        for index in 0..<queries { pairs.append(index % 2 == 0 ? nearbyPair() : (randomVertex(), randomVertex())) }
        let sources = (0..<queries).map { _ in randomVertex() }
        if let exportQueries {
            let text = zip(pairs, sources).map { "\($0.0.0) \($0.0.1) \($0.1)" }.joined(separator: "\n") + "\n"
            try text.write(toFile: exportQueries, atomically: true, encoding: .utf8)
        }

        var sink = 0
        var degree = Measurement(name: "degree")
        for (a, b) in pairs { degree.time { sink &+= queriesEngine.degree(from: a, to: b) ?? 0 } }
        print(degree.line(json: json))

        var mutual = Measurement(name: "mutual_count")
        for (a, b) in pairs { mutual.time { sink &+= queriesEngine.mutualCount(a, b) } }
        print(mutual.line(json: json))

        var second = Measurement(name: "second_degree_size")
        for a in sources { second.time { sink &+= queriesEngine.secondDegreeCount(a) } }
        print(second.line(json: json))

        var path = Measurement(name: "path")
        for (a, b) in pairs { path.time { sink &+= queriesEngine.paths(from: a, to: b, limit: 1).count } }
        print(path.line(json: json))

        var paths3 = Measurement(name: "paths_top3")
        for (a, b) in pairs.prefix(queries / 2) { paths3.time { sink &+= queriesEngine.paths(from: a, to: b, limit: 3).count } }
        print(paths3.line(json: json))

        var suggestions = Measurement(name: "suggestions")
        for a in sources {
            suggestions.time {
                sink &+=
                    queriesEngine.topCandidates(of: a, limit: 20) { candidate in
                        // Adamic–Adar damped past ~10 mutuals (the weak-tie inverted U).
                        candidate.adamicAdar * WeakTie.factor(mutuals: candidate.mutualCount)
                    }.count
            }
        }
        print(suggestions.line(json: json))
        if sink == 42 { print("") }
    }

    private func export(_ graph: SocialGraph, to path: String) throws {
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var buffer = ""
        buffer.reserveCapacity(1 << 20)
        for vertex in 0..<Vertex(graph.vertexCount) {
            for neighbour in graph.neighbors(of: vertex) where vertex < neighbour {
                buffer += "\(vertex) \(neighbour)\n"
                if buffer.utf8.count > 1 << 20 {
                    handle.write(Data(buffer.utf8))
                    buffer.removeAll(keepingCapacity: true)
                }
            }
        }
        handle.write(Data(buffer.utf8))
    }
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

extension Measurement {
    mutating func time(_ body: () -> Void) {
        let start = ContinuousClock.now
        body()
        samples.append(milliseconds(ContinuousClock.now - start))
    }
}
