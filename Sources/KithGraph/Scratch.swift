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
