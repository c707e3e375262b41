import Foundation
import Logging
import Synchronization

/// What the checkpoint loop has seen: failures, and whether the write-ahead log still resets. A
/// WAL that is never copied whole (a reader holding an old snapshot, a checkpoint that keeps
/// failing) grows without bound and slows every read; it must show in the log and in `/metrics`
/// before the disk fills.
final class CheckpointHealth: Sendable {
    private struct State {
        var diagnostics = StoreDiagnostics()
        var lastWarning: ContinuousClock.Instant?
    }
    private let state = Mutex(State())
    private let logger: Logger
    /// Checkpoints in a row (10 a second) that left frames behind before it counts as stuck: a
    /// minute.
    static let stuckAfter = 600

    init(logger: Logger) {
        self.logger = logger
    }

    func snapshot() -> StoreDiagnostics { state.withLock { $0.diagnostics } }

    func checkpointed(logFrames: Int, copiedFrames: Int) {
        let warn: Int? = state.withLock { state in
            state.diagnostics.walFrames = logFrames
            if copiedFrames >= logFrames {
                state.diagnostics.checkpointsBehind = 0
                return nil
            }
            state.diagnostics.checkpointsBehind += 1
            guard state.diagnostics.checkpointsBehind >= Self.stuckAfter, Self.due(&state.lastWarning) else { return nil }
            return logFrames
        }
        if let frames = warn {
            logger.warning(
                "SQLite's write-ahead log has not been copied whole for over a minute (\(frames) frames): a long read or a stuck reader is holding it"
            )
        }
    }

    func failed(_ error: any Error) {
        let warn = state.withLock { state in
            state.diagnostics.checkpointFailures += 1
            return Self.due(&state.lastWarning)
        }
        if warn { logger.error("SQLite checkpoint failed: \(error)") }
    }

    /// At most one warning a minute.
    private static func due(_ last: inout ContinuousClock.Instant?) -> Bool {
        let now = ContinuousClock.now
        if let previous = last, now - previous < .seconds(60) { return false }
        last = now
        return true
    }
}
