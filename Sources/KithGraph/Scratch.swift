import Synchronization

/// Per-query working memory: stamp arrays instead of sets, so marking a vertex is one store and
/// clearing is one increment. Buffers are pooled, so a query allocates nothing after warm-up.
final class Scratch: @unchecked Sendable {
    // Owned by one query at a time (handed out by `ScratchPool`), never shared concurrently.
    var stamps: [UInt32] = []
    var marks: [UInt32] = []
    var counts: [UInt32] = []
    var scores: [Float] = []
    var touched: [Vertex] = []
    private(set) var generation: UInt32 = 0

    func prepare(_ vertexCount: Int) {
        if stamps.count < vertexCount {
            let grown = max(vertexCount, stamps.count * 2)
            stamps = [UInt32](repeating: 0, count: grown)
            marks = [UInt32](repeating: 0, count: grown)
            counts = [UInt32](repeating: 0, count: grown)
            scores = [Float](repeating: 0, count: grown)
            generation = 0
        }
        if generation == UInt32.max - 2 {
            for index in stamps.indices {
                stamps[index] = 0
                marks[index] = 0
            }
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
