import Synchronization

/// Per-query working memory: stamp arrays instead of sets, so marking a vertex is one store and
/// clearing is one increment. Buffers are pooled, so a query allocates nothing after warm-up.
final class Scratch: @unchecked Sendable {
    // Owned by one query at a time (handed out by `ScratchPool`), never shared concurrently.
    /// Everything a query keeps per vertex, packed so one visit costs one cache line.
    struct Slot {
        var stamp: UInt32 = 0
        var mark: UInt32 = 0
        var count: UInt32 = 0
        var score: Float = 0
    }

    var slots: [Slot] = []
    var touched: [Vertex] = []
    /// One bit per vertex (128 KB for a million members: it stays in the L2 cache, where the
    /// 16-byte slots do not), and the words a query set, so clearing costs what marking did.
    private var bits: [UInt64] = []
    private var dirty: [Int] = []

    /// Runs `body` with an empty set of vertices, cleared again afterwards.
    func withBits<T>(_ body: (inout VertexBits) -> T) -> T {
        if bits.count < (slots.count + 63) / 64 { bits = [UInt64](repeating: 0, count: (slots.count + 63) / 64) }
        return bits.withUnsafeMutableBufferPointer { words in
            var set = VertexBits(words: words, dirty: dirty)
            let result = body(&set)
            for word in set.dirty { words[word] = 0 }
            set.dirty.removeAll(keepingCapacity: true)
            dirty = set.dirty
            return result
        }
    }
    private(set) var generation: UInt32 = 0

    func prepare(_ vertexCount: Int) {
        if slots.count < vertexCount {
            slots = [Slot](repeating: Slot(), count: max(vertexCount, slots.count * 2))
            generation = 0
        }
        if generation == UInt32.max - 2 {
            for index in slots.indices { slots[index] = Slot() }
            generation = 0
        }
        generation += 1
        touched.removeAll(keepingCapacity: true)
    }
}

/// A set of vertices over a borrowed bit array (see `Scratch.withBits`).
struct VertexBits {
    let words: UnsafeMutableBufferPointer<UInt64>
    var dirty: [Int]

    @inline(__always)
    func contains(_ vertex: Vertex) -> Bool {
        words[Int(vertex) >> 6] & (1 << UInt64(Int(vertex) & 63)) != 0
    }

    /// Adds `vertex`; true when it was not there yet.
    @inline(__always)
    @discardableResult
    mutating func insert(_ vertex: Vertex) -> Bool {
        let word = Int(vertex) >> 6
        let bit: UInt64 = 1 << UInt64(Int(vertex) & 63)
        let current = words[word]
        if current & bit != 0 { return false }
        if current == 0 { dirty.append(word) }
        words[word] = current | bit
        return true
    }
}

/// A small pool of scratch buffers shared by concurrent queries.
final class ScratchPool: Sendable {
    private let free = Mutex<[Scratch]>([])

    func withScratch<T>(vertexCount: Int, _ body: (Scratch) -> T) -> T {
        let scratch = free.withLock { $0.popLast() } ?? Scratch()
        scratch.prepare(vertexCount)
        let result = body(scratch)
        free.withLock { pool in if pool.count < 16 { pool.append(scratch) } }
        return result
    }
}
