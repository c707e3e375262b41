import Synchronization

/// Per-query working memory: stamp arrays instead of sets, so marking a vertex is one store and
/// clearing is one increment. Buffers are pooled, so a query allocates nothing after warm-up.
final class Scratch: @unchecked Sendable {
    // Owned by one query at a time (handed out by `ScratchPool`), never shared concurrently.
    /// What a path or mutual query keeps per vertex, packed so one visit costs one cache line.
    struct Slot {
        var stamp: UInt32 = 0
        var count: UInt32 = 0
    }

    var slots: [Slot] = []
    /// Second-degree candidates of the query (suggestions), cleared by `prepare`.
    var candidates = CandidateTable()
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
        candidates.clear()
    }
}

/// Candidates met while walking a member's second degree, with their mutual counts and
/// Adamic–Adar sums: an open-addressing table sized to the walk (a few thousand 12-byte entries
/// stay in the L1 and L2 caches) instead of a 16-byte slot per member in a 16 MB array, where each
/// of the walk's thousand-odd visits was a miss to memory (suggestions p50 0.18 → … ms).
struct CandidateTable {
    struct Entry {
        var vertex: Vertex = -1
        var count: UInt32 = 0
        var score: Float = 0
    }

    private(set) var entries = [Entry](repeating: Entry(), count: 1 << 12)
    /// Occupied entries in the order they were first met.
    private(set) var used: [Int32] = []
    private var shift = 64 - 12

    /// Counts one more mutual connection for `vertex`, adding `weight` to its score.
    @inline(__always)
    mutating func add(_ vertex: Vertex, weight: Float) {
        let mask = entries.count - 1
        var index = home(of: vertex)
        while true {
            let current = entries[index].vertex
            if current == vertex {
                entries[index].count &+= 1
                entries[index].score += weight
                return
            }
            if current < 0 {
                entries[index] = Entry(vertex: vertex, count: 1, score: weight)
                used.append(Int32(index))
                if used.count * 2 > entries.count { grow() }
                return
            }
            index = (index + 1) & mask
        }
    }

    var count: Int { used.count }

    /// The entries met, in the order they were first met.
    func forEach(_ body: (Entry) -> Void) {
        for index in used { body(entries[Int(index)]) }
    }

    mutating func clear() {
        for index in used { entries[Int(index)].vertex = -1 }
        used.removeAll(keepingCapacity: true)
    }

    /// Where `vertex` is looked for first. Fibonacci hashing: consecutive member numbers spread
    /// over the table.
    @inline(__always)
    private func home(of vertex: Vertex) -> Int {
        Int(truncatingIfNeeded: (UInt64(UInt32(bitPattern: vertex)) &* 0x9E37_79B9_7F4A_7C15) >> UInt64(shift))
    }

    private mutating func grow() {
        let old = used.map { entries[Int($0)] }
        entries = [Entry](repeating: Entry(), count: entries.count * 2)
        shift -= 1
        used.removeAll(keepingCapacity: true)
        let mask = entries.count - 1
        for entry in old {
            var index = home(of: entry.vertex)
            while entries[index].vertex >= 0 { index = (index + 1) & mask }
            entries[index] = entry
            used.append(Int32(index))
        }
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
