/// At most `slots` pieces of heavy work at once (contact imports, each holding a file of up to
/// 20 MB and its parse in memory); up to `maxWaiting` more wait their turn in order, and beyond
/// that the caller is told the server is busy — so memory stays bounded however many arrive.
public actor WorkSlots {
    private let slots: Int
    private let maxWaiting: Int
    private var running = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(slots: Int, maxWaiting: Int) {
        precondition(slots > 0 && maxWaiting >= 0)
        self.slots = slots
        self.maxWaiting = maxWaiting
    }

    /// Takes a slot, waiting for one when all are busy; throws `ServerBusy` when the queue is full.
    public func acquire() async throws(ServerBusy) {
        if running < slots {
            running += 1
            return
        }
        guard waiters.count < maxWaiting else { throw ServerBusy() }
        // The slot is handed over by `release`, which does not decrement `running` then.
        await withCheckedContinuation { waiters.append($0) }
    }

    public func release() {
        if waiters.isEmpty {
            running -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }

    public func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await acquire()
        do {
            let value = try await body()
            release()
            return value
        } catch {
            release()
            throw error
        }
    }

    /// How many are running and waiting (for tests and metrics).
    public var load: (running: Int, waiting: Int) { (running, waiters.count) }
}

/// Too much of one kind of heavy work is under way: the request is answered 503 with
/// Retry-After, and nothing is written.
public struct ServerBusy: Error, Sendable, Equatable {
    public init() {}
}
