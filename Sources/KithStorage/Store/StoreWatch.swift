import Foundation
import Synchronization

/// What each store operation in this process is doing and since when — waiting for a
/// connection, running its body, or committing — so that an operation that never finishes can
/// be told apart from one that never got a connection. With `KITH_STORE_WATCH_SECONDS=N` set, a
/// thread of its own (outside Swift's task pool, so it reports even when every task is stuck)
/// prints to standard error, every N seconds, the operations older than N seconds by stage.
/// The test watchdog (scripts/test-watchdog.sh) sets it; a server may too.
final class StoreWatch: Sendable {
    enum Stage: String, Sendable {
        case leasing = "waiting for a connection"
        case running = "running"
        case committing = "committing"
    }

    struct Operation: Sendable {
        var kind: String
        var stage: Stage
        var since: ContinuousClock.Instant
    }

    static let shared = StoreWatch()

    private let operations = Mutex<[UInt64: Operation]>([:])
    private let next = Atomic<UInt64>(0)
    private let threshold: Duration?

    private init() {
        let seconds = ProcessInfo.processInfo.environment["KITH_STORE_WATCH_SECONDS"].flatMap(Int.init)
        threshold = seconds.map { .seconds($0) }
        if let seconds, seconds > 0 {
            let thread = Thread { [self] in
                while true {
                    Thread.sleep(forTimeInterval: TimeInterval(seconds))
                    report()
                }
            }
            thread.name = "kith-store-watch"
            thread.start()
        }
    }

    /// Starts tracking an operation; nil (and no cost beyond a check) when nobody watches.
    func begin(_ kind: String) -> UInt64? {
        guard threshold != nil else { return nil }
        let id = next.add(1, ordering: .relaxed).newValue
        operations.withLock { $0[id] = Operation(kind: kind, stage: .leasing, since: .now) }
        return id
    }

    func move(_ id: UInt64?, to stage: Stage) {
        guard let id else { return }
        operations.withLock { $0[id]?.stage = stage }
    }

    func end(_ id: UInt64?) {
        guard let id else { return }
        _ = operations.withLock { $0.removeValue(forKey: id) }
    }

    private func report() {
        guard let threshold else { return }
        let now = ContinuousClock.now
        let old = operations.withLock { $0.values.filter { now - $0.since > threshold } }
        guard !old.isEmpty else { return }
        let total = operations.withLock { $0.count }
        var lines = ["store watch: \(old.count) of \(total) operations older than \(threshold):"]
        for (key, group) in Dictionary(grouping: old, by: { "\($0.kind) \($0.stage.rawValue)" }).sorted(by: { $0.key < $1.key }) {
            let oldest = group.map { now - $0.since }.max() ?? .zero
            lines.append("  \(group.count) × \(key) (oldest \(oldest))")
        }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
