/// The community's connection graph: an immutable compressed base plus a small delta of recent
/// writes (added arcs and removed edges), merged into a new base by `compact()`.
/// A value type: readers keep the snapshot they started with while a writer makes the next one.
public struct SocialGraph: Sendable {
    public private(set) var base: CompressedGraph
    /// Recently added arcs, both directions, with weights (including re-weighted base edges).
    private var added: [Vertex: [Vertex: UInt8]] = [:]
    /// Base edges removed or re-weighted since the last compaction (key of the unordered pair).
    private var removed: Set<UInt64> = []
    /// Vertices beyond the base (members who joined since it was built).
    public private(set) var vertexCount: Int

    public init(vertexCount: Int = 0, edges: [Edge] = []) {
        self.base = CompressedGraph(vertexCount: vertexCount, edges: edges)
        self.vertexCount = vertexCount
    }

    /// Edges waiting in the delta; compaction is worth it when this grows.
    public var pendingChanges: Int { removed.count + added.values.reduce(0) { $0 + $1.count } / 2 }

    @inline(__always)
    static func key(_ a: Vertex, _ b: Vertex) -> UInt64 {
        let low = UInt64(UInt32(bitPattern: min(a, b)))
        let high = UInt64(UInt32(bitPattern: max(a, b)))
        return high << 32 | low
    }

    public mutating func ensureVertex(_ vertex: Vertex) {
        if Int(vertex) >= vertexCount { vertexCount = Int(vertex) + 1 }
    }

    /// Adds (or re-weights) the edge a–b.
    public mutating func addEdge(_ a: Vertex, _ b: Vertex, weight: UInt8 = 1) {
        guard a != b, a >= 0, b >= 0 else { return }
        ensureVertex(max(a, b))
        if base.arc(from: a, to: b) != nil { removed.insert(Self.key(a, b)) }
        added[a, default: [:]][b] = weight
        added[b, default: [:]][a] = weight
    }

    public mutating func removeEdge(_ a: Vertex, _ b: Vertex) {
        if base.arc(from: a, to: b) != nil { removed.insert(Self.key(a, b)) }
        added[a]?[b] = nil
        added[b]?[a] = nil
        if added[a]?.isEmpty == true { added[a] = nil }
        if added[b]?.isEmpty == true { added[b] = nil }
    }

    /// Merges the delta into a new compressed base.
    public mutating func compact() {
        var edges: [Edge] = []
        edges.reserveCapacity(base.arcCount / 2 + pendingChanges)
        for vertex in 0..<Vertex(vertexCount) {
            forEachNeighbor(of: vertex) { neighbour, weight in
                if vertex < neighbour { edges.append(Edge(vertex, neighbour, weight: weight)) }
            }
        }
        base = CompressedGraph(vertexCount: vertexCount, edges: edges)
        added = [:]
        removed = []
    }

    /// Calls `body` for every neighbour of `vertex` with the tie strength.
    @inline(__always)
    public func forEachNeighbor(of vertex: Vertex, _ body: (Vertex, UInt8) -> Void) {
        let range = base.range(of: vertex)
        if removed.isEmpty {
            for index in range { body(base.targets[index], base.weights[index]) }
        } else {
            for index in range where !removed.contains(Self.key(vertex, base.targets[index])) {
                body(base.targets[index], base.weights[index])
            }
        }
        if let extra = added[vertex] {
            for (neighbour, weight) in extra { body(neighbour, weight) }
        }
    }

    /// Whether `vertex`'s neighbours are exactly its sorted base row (no pending change touches it),
    /// so a query may walk the row directly (`CompressedGraph.commonCount`).
    @inline(__always)
    func isCompact(_ vertex: Vertex) -> Bool {
        removed.isEmpty && (added.isEmpty || added[vertex] == nil)
    }

    public func degree(of vertex: Vertex) -> Int {
        if removed.isEmpty && added[vertex] == nil { return base.range(of: vertex).count }
        var count = 0
        forEachNeighbor(of: vertex) { _, _ in count += 1 }
        return count
    }

    /// The tie strength of a–b, or nil when they are not connected.
    public func weight(_ a: Vertex, _ b: Vertex) -> UInt8? {
        if let weight = added[a]?[b] { return weight }
        guard let arc = base.arc(from: a, to: b) else { return nil }
        if !removed.isEmpty && removed.contains(Self.key(a, b)) { return nil }
        return base.weights[arc]
    }

    public func areConnected(_ a: Vertex, _ b: Vertex) -> Bool { weight(a, b) != nil }

    public func neighbors(of vertex: Vertex) -> [Vertex] {
        var result: [Vertex] = []
        forEachNeighbor(of: vertex) { neighbour, _ in result.append(neighbour) }
        return result
    }

    /// Memory held by the graph, in bytes (base arrays; the delta is small).
    public var byteCount: Int { base.byteCount }
}
