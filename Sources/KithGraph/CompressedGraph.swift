/// A dense member index: members are numbered 0..<n so the graph can use arrays, not hash maps.
public typealias Vertex = Int32

/// An undirected connection with a tie strength (1 = barely, 255 = closest).
public struct Edge: Sendable, Hashable {
    public var a: Vertex
    public var b: Vertex
    public var weight: UInt8

    public init(_ a: Vertex, _ b: Vertex, weight: UInt8 = 1) {
        self.a = a
        self.b = b
        self.weight = weight
    }
}

/// Immutable compressed sparse rows: for vertex v, its neighbours are
/// `targets[offsets[v]..<offsets[v+1]]`, sorted ascending, with their tie strengths in `weights`.
/// Each undirected edge is stored as two arcs; an arc costs 4 bytes (target) + 1 byte (weight).
public struct CompressedGraph: Sendable {
    public let vertexCount: Int
    let offsets: [Int]
    let targets: [Vertex]
    let weights: [UInt8]

    public var arcCount: Int { targets.count }

    /// Bytes held by the arrays, for the memory report.
    public var byteCount: Int {
        offsets.count * MemoryLayout<Int>.stride + targets.count * MemoryLayout<Vertex>.stride + weights.count
    }

    /// Builds from an edge list in O(V + E) with a counting sort. Self-loops and out-of-range
    /// vertices are dropped; duplicate edges keep the strongest weight.
    public init(vertexCount: Int, edges: [Edge]) {
        self.vertexCount = vertexCount
        var degree = [Int](repeating: 0, count: vertexCount + 1)
        for edge in edges where Self.valid(edge, vertexCount) {
            degree[Int(edge.a) + 1] += 1
            degree[Int(edge.b) + 1] += 1
        }
        for index in 0..<vertexCount { degree[index + 1] += degree[index] }
        var cursor = degree
        var targets = [Vertex](repeating: 0, count: degree[vertexCount])
        var weights = [UInt8](repeating: 0, count: degree[vertexCount])
        targets.withUnsafeMutableBufferPointer { targets in
            weights.withUnsafeMutableBufferPointer { weights in
                for edge in edges where Self.valid(edge, vertexCount) {
                    let a = Int(edge.a)
                    let b = Int(edge.b)
                    targets[cursor[a]] = edge.b
                    weights[cursor[a]] = edge.weight
                    cursor[a] += 1
                    targets[cursor[b]] = edge.a
                    weights[cursor[b]] = edge.weight
                    cursor[b] += 1
                }
            }
        }
        // Sort each row (neighbours by index), then drop duplicate arcs in place.
        var write = 0
        var newOffsets = [Int](repeating: 0, count: vertexCount + 1)
        for vertex in 0..<vertexCount {
            let start = degree[vertex]
            let end = degree[vertex + 1]
            if end - start > 1 {
                var row = (start..<end).map { (targets[$0], weights[$0]) }
                row.sort { $0.0 < $1.0 }
                for (offset, arc) in row.enumerated() {
                    targets[start + offset] = arc.0
                    weights[start + offset] = arc.1
                }
            }
            newOffsets[vertex] = write
            var index = start
            while index < end {
                var strongest = weights[index]
                let target = targets[index]
                while index + 1 < end && targets[index + 1] == target {
                    index += 1
                    strongest = max(strongest, weights[index])
                }
                targets[write] = target
                weights[write] = strongest
                write += 1
                index += 1
            }
        }
        newOffsets[vertexCount] = write
        targets.removeLast(targets.count - write)
        weights.removeLast(weights.count - write)
        self.offsets = newOffsets
        self.targets = targets
        self.weights = weights
    }

    private static func valid(_ edge: Edge, _ count: Int) -> Bool {
        edge.a != edge.b && edge.a >= 0 && edge.b >= 0 && Int(edge.a) < count && Int(edge.b) < count
    }

    @inline(__always)
    func range(of vertex: Vertex) -> Range<Int> {
        let v = Int(vertex)
        guard v >= 0 && v < vertexCount else { return 0..<0 }
        return offsets[v]..<offsets[v + 1]
    }

    /// How many neighbours a and b share: a merge of their two sorted rows (sequential reads, no
    /// per-vertex scratch memory), or a binary search of the longer row for each entry of the
    /// shorter when their lengths differ widely.
    func commonCount(_ a: Vertex, _ b: Vertex) -> Int {
        var (short, long) = (range(of: a), range(of: b))
        if short.count > long.count { swap(&short, &long) }
        guard !short.isEmpty else { return 0 }
        return targets.withUnsafeBufferPointer { row in
            var count = 0
            if short.count * 32 < long.count {
                var low = long.lowerBound
                for index in short {
                    let wanted = row[index]
                    var high = long.upperBound
                    while low < high {
                        let middle = (low + high) >> 1
                        if row[middle] < wanted { low = middle + 1 } else { high = middle }
                    }
                    if low < long.upperBound && row[low] == wanted { count += 1 }
                }
                return count
            }
            var i = short.lowerBound
            var j = long.lowerBound
            while i < short.upperBound && j < long.upperBound {
                let x = row[i]
                let y = row[j]
                count &+= x == y ? 1 : 0
                i &+= x <= y ? 1 : 0
                j &+= y <= x ? 1 : 0
            }
            return count
        }
    }

    /// Calls `body` for every neighbour a and b share, with the weight of each side's tie, merging
    /// the two sorted rows.
    @inline(__always)
    func forEachCommon(_ a: Vertex, _ b: Vertex, _ body: (Vertex, UInt8, UInt8) -> Void) {
        let first = range(of: a)
        let second = range(of: b)
        targets.withUnsafeBufferPointer { row in
            var i = first.lowerBound
            var j = second.lowerBound
            while i < first.upperBound && j < second.upperBound {
                let x = row[i]
                let y = row[j]
                if x == y { body(x, weights[i], weights[j]) }
                i &+= x <= y ? 1 : 0
                j &+= y <= x ? 1 : 0
            }
        }
    }

    /// The arc index of `b` in `a`'s sorted row, by binary search.
    @inline(__always)
    func arc(from a: Vertex, to b: Vertex) -> Int? {
        var low = range(of: a).lowerBound
        var high = range(of: a).upperBound
        while low < high {
            let middle = (low + high) / 2
            let target = targets[middle]
            if target == b { return middle }
            if target < b { low = middle + 1 } else { high = middle }
        }
        return nil
    }
}
