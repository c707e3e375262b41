import Foundation
import KithDomain
public import Logging
import NIOCore
import NIOPosix
public import SQLKit
import SQLiteKit
import SQLiteNIO

/// SQLite in WAL mode: one writer connection (writes queue up and commit in groups, each batch in
/// a `BEGIN IMMEDIATE` transaction) and a few reader connections that run alongside it, each on a
/// thread of its own (`SQLiteConnectionThread`). `synchronous=FULL` makes every acknowledged
/// commit survive power loss.
public final class SQLiteStore: Store {
    public let dialect = StoreDialect.sqlite
    public let memberCards = MemberCards()
    public let wordSearch = MemberWordSearch()
    public let path: String
    private let writer: SQLiteConnectionThread
    private let readers: [SQLiteConnectionThread]
    private let checkpointer: SQLiteConnectionThread
    private let checkpointing: Task<Void, Never>
    private let queue = WriteQueue()
    private let readsInFlight: ReadLoad
    private let health: CheckpointHealth

    private init(
        path: String,
        writer: SQLiteConnectionThread,
        readers: [SQLiteConnectionThread],
        checkpointer: SQLiteConnectionThread,
        logger: Logger
    ) {
        self.path = path
        self.writer = writer
        self.readers = readers
        self.checkpointer = checkpointer
        self.readsInFlight = ReadLoad(readers: readers.count)
        let health = CheckpointHealth(logger: logger)
        self.health = health
        self.checkpointing = Self.checkpoints(on: checkpointer, watching: readers, health: health)
    }

    public func diagnostics() -> StoreDiagnostics {
        var diagnostics = health.snapshot()
        diagnostics.writerNice = Int(writer.nice)
        return diagnostics
    }

    /// The writer thread's scheduling priority. Every write in the process funnels through that
    /// one thread, and under load the threads that feed it (HTTP, reads) keep both cores busy:
    /// at normal priority a commit that woke from its fsync, or a body preempted mid-statement,
    /// waited for a core while the queue behind it grew. Asked for at start; refused (no
    /// `CAP_SYS_NICE`), the writer runs at normal priority and the start-up log says so.
    public static let writerNice: Int32 = -10

    /// How long one read statement may run (see `SQLiteHandle.statementTimeLimit`).
    public static let readTimeLimit: Duration = .seconds(5)

    public static func open(
        path: String,
        readers readerCount: Int = 3,
        readTimeLimit: Duration = readTimeLimit,
        logger: Logger
    ) async throws -> SQLiteStore {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try PrivateFiles.directory(directory)
        } catch {
            throw StoreError("Cannot create the data directory \(directory): \(error.localizedDescription)")
        }
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw StoreError("The data directory \(directory) is not writable.")
        }
        var opened: [SQLiteConnectionThread] = []
        func connect(_ name: String, _ settings: [String], nice: Int32? = nil) async throws -> SQLiteConnectionThread {
            do {
                let connection = try SQLiteConnectionThread(path: path, name: "kith-sqlite-\(name)", logger: logger, nice: nice)
                opened.append(connection)
                // Pages are read through a memory map (no copy per read); writes still go through the WAL.
                let pragmas =
                    [
                        "PRAGMA foreign_keys = ON", "PRAGMA synchronous = FULL", "PRAGMA mmap_size = 1073741824",
                    ] + settings
                try await connection.run { db in
                    for pragma in pragmas { try db.connection.execute(pragma) }
                }
                return connection
            } catch {
                throw StoreError("Cannot open the SQLite database at \(path): \(error)")
            }
        }
        do {
            let writer = try await connect(
                "writer",
                [
                    "PRAGMA journal_mode = WAL",
                    // A larger page cache than SQLite's 2 MB default: index pages stay in memory
                    // during bulk writes and searches (docs/BENCHMARKS.md, Directory).
                    "PRAGMA cache_size = -65536",
                    // Statement journals (multi-row inserts) in memory instead of temporary files.
                    "PRAGMA temp_store = MEMORY",
                    // Checkpoints run on a connection of their own (below), not inside whichever
                    // write happens to cross the threshold: that write, and every write queued
                    // behind it, waited for the copy into the database file and its fsync (RSVP
                    // p99 under load; docs/BENCHMARKS.md, RSVP).
                    "PRAGMA wal_autocheckpoint = 0",
                    "PRAGMA journal_size_limit = 67108864",
                ],
                nice: writerNice
            )
            if writer.nice != writerNice {
                logger.notice(
                    """
                    The SQLite writer thread runs at nice \(writer.nice), not \(writerNice): raising a thread's priority needs \
                    CAP_SYS_NICE or a nice limit (systemd: LimitNICE=\(writerNice)). Under heavy write load, commits then wait \
                    behind request threads for a core (docs/ARCHITECTURE.md, Storage).
                    """
                )
            }
            var readers: [SQLiteConnectionThread] = []
            for index in 0..<max(1, readerCount) {
                let reader = try await connect("reader-\(index)", ["PRAGMA query_only = ON", "PRAGMA cache_size = -32768"])
                try await reader.run { _ in reader.connection.statementTimeLimit = readTimeLimit }
                readers.append(reader)
            }
            let checkpointer = try await connect("checkpointer", [])
            return SQLiteStore(path: path, writer: writer, readers: readers, checkpointer: checkpointer, logger: logger)
        } catch {
            for connection in opened { connection.stop() }
            throw error
        }
    }

    /// Copies committed pages from the write-ahead log into the database file in the background,
    /// alongside writers and readers (PASSIVE never blocks them). Often and small: a checkpoint
    /// every 2 s wrote enough at once that commits waited on the disk behind it (docs/BENCHMARKS.md, RSVP).
    /// The same loop is the readers' watchdog: a read statement past `readTimeLimit` is interrupted.
    /// Each checkpoint's outcome goes to `health`: a failure, or a log that is never copied whole
    /// (a reader holding an old snapshot for ever keeps the WAL from resetting and growing), shows
    /// in the log and in `/metrics`.
    private static func checkpoints(
        on checkpointer: SQLiteConnectionThread,
        watching readers: [SQLiteConnectionThread],
        health: CheckpointHealth
    ) -> Task<
        Void, Never
    > {
        Task(executorPreference: checkpointer) {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(100))
                do {
                    var frames: (log: Int64, copied: Int64) = (0, 0)
                    try checkpointer.connection.execute("PRAGMA wal_checkpoint(PASSIVE)", []) { row in
                        frames = (row.integer(at: 1), row.integer(at: 2))
                    }
                    health.checkpointed(logFrames: Int(frames.log), copiedFrames: Int(frames.copied))
                } catch {
                    health.failed(error)
                }
                let now = DispatchTime.now().uptimeNanoseconds
                for reader in readers { reader.connection.interruptIfOverdue(now: now) }
            }
        }
    }

    /// Runs on the reader with the fewest reads in flight, so one long search does not hold up
    /// the reads that happen to be dealt to the same connection; a request in the ranking lane
    /// (`RequestLane`) never takes the last reader, which is kept for the foreground.
    public func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let index = readsInFlight.begin(lane: RequestLane.current)
        defer { readsInFlight.end(index) }
        // A cancelled read (its client went away: `CancelOnDisconnect`) interrupts its statement
        // at once instead of running on to the time limit.
        let ticket = ReadTicket.make()
        let reader = readers[index]
        return try await withTaskCancellationHandler {
            try await ReadTicket.$current.withValue(ticket) { try await reader.run { try await body($0) } }
        } onCancel: {
            reader.connection.interrupt(ticket: ticket)
        }
    }

    /// Group commit: writes queue up; whoever finds the queue idle drains it on the writer's
    /// thread, running each queued body in its own savepoint inside one transaction and committing
    /// the batch with one fsync. A body that fails rolls back to its savepoint alone; every caller
    /// is answered only after the commit, so an acknowledged write is durable (synchronous=FULL).
    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try WriteScope.refuseNested()
        // The request's next read catches up again and sees this write (`RequestScope`).
        defer { RequestScope.current?.clear() }
        let outcome = WriteOutcome<T>()
        let item = PendingWrite(
            execute: { db in
                do {
                    try await db.raw("SAVEPOINT kith_write").run()
                    let value = try await body(db)
                    try await db.raw("RELEASE kith_write").run()
                    outcome.set(.success(value))
                } catch {
                    try? await db.raw("ROLLBACK TO kith_write").run()
                    try? await db.raw("RELEASE kith_write").run()
                    outcome.set(.failure(error))
                }
            }
        )
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            item.complete = { commitError in
                if let commitError {
                    // A body that failed is told its own error; the others why the batch was lost.
                    if case .failure(let own)? = outcome.result {
                        continuation.resume(throwing: own)
                    } else {
                        continuation.resume(throwing: commitError)
                    }
                } else {
                    continuation.resume(with: outcome.result ?? .failure(StoreError("write produced no result")))
                }
            }
            if queue.enqueue(item) {
                let queue = self.queue
                let writer = self.writer
                Task(executorPreference: writer) { await Self.drain(queue, writer: writer) }
            }
        }
    }

    private static func drain(_ queue: WriteQueue, writer: SQLiteConnectionThread) async {
        let db = writer.database
        while true {
            let batch = queue.take(max: 64)
            guard !batch.isEmpty else { return }
            var commitError: (any Error)?
            do {
                try writer.connection.execute("BEGIN IMMEDIATE")
                try await WriteScope.$inside.withValue(true) {
                    for item in batch {
                        await item.execute(db)
                        // SQLite rolled the whole transaction back by itself (disk full, I/O
                        // error, out of memory): the bodies before this one are lost too, and a
                        // later SAVEPOINT would open a new transaction that RELEASE commits on its
                        // own. So the rest of the batch is not run, and every caller hears it.
                        guard writer.connection.inTransaction else {
                            throw StoreError("SQLite rolled back the whole transaction after an error; nothing in this batch was written")
                        }
                    }
                }
                try writer.connection.execute("COMMIT")
            } catch {
                commitError = error
                try? writer.connection.execute("ROLLBACK")
            }
            for item in batch { item.complete?(commitError) }
        }
    }

    /// A consistent copy of the live database (`VACUUM INTO`), taken while writes continue.
    public func backup(to destination: String) async throws {
        // Not even a dangling symbolic link may be there: SQLite would write through it.
        guard !PrivateFiles.exists(destination) else {
            throw StoreError("\(destination) already exists; choose a new file.")
        }
        // A connection of its own: readers are query-only, and the copy must not hold up reads.
        let connection = try await SQLiteConnection.open(storage: .file(path: path)).get()
        do {
            try await connection.sql().raw("VACUUM INTO \(bind: destination)").run()
            try await connection.close()
            PrivateFiles.restrict(destination)
        } catch {
            try? await connection.close()
            throw StoreError("Backup to \(destination) failed: \(error)")
        }
    }

    /// What a restore found in the backup before putting it in place.
    public struct RestoreReport: Sendable {
        public let members: Int
        public let schemaVersion: Int
        public let bytes: Int
    }

    /// Puts a backup written by `backup(to:)` in place at `path`, which must not exist yet: the copy
    /// is checked first (`integrity_check`, `foreign_key_check`) and only then renamed into place,
    /// so a failed restore leaves nothing behind. Newer migrations run when the server starts.
    public static func restore(backup: String, into path: String) async throws -> RestoreReport {
        let files = FileManager.default
        guard files.fileExists(atPath: backup) else { throw StoreError("There is no backup at \(backup).") }
        for existing in [path, path + "-wal"] where files.fileExists(atPath: existing) {
            throw StoreError("\(existing) already exists; restore into an empty data directory.")
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try? files.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let staging = path + ".restoring"
        try? files.removeItem(atPath: staging)
        do {
            try files.copyItem(atPath: backup, toPath: staging)
        } catch {
            throw StoreError("Cannot copy \(backup) to \(directory): \(error.localizedDescription)")
        }
        do {
            let report = try await check(staging)
            try files.moveItem(atPath: staging, toPath: path)
            return report
        } catch {
            try? files.removeItem(atPath: staging)
            throw error as? StoreError ?? StoreError("Restore failed: \(error)")
        }
    }

    private static func check(_ path: String) async throws -> RestoreReport {
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: .file(path: path))
        } catch {
            throw StoreError("\(path) is not an SQLite database: \(error)")
        }
        do {
            let db = connection.sql()
            let integrity = try await db.raw("PRAGMA integrity_check").all().map {
                try $0.decode(column: "integrity_check", as: String.self)
            }
            guard integrity == ["ok"] else {
                throw StoreError("The backup is damaged: \(integrity.prefix(3).joined(separator: "; "))")
            }
            guard try await db.raw("PRAGMA foreign_key_check").all().isEmpty else {
                throw StoreError("The backup has rows pointing at rows it does not hold (foreign_key_check).")
            }
            guard
                let version = try await db.raw("SELECT MAX(version) AS v FROM schema_migrations").first()?.decode(
                    column: "v",
                    as: Int?.self
                )
            else { throw StoreError("The file is not a Kith backup (no schema_migrations).") }
            let members = try await db.raw("SELECT COUNT(*) AS n FROM members").first()?.decode(column: "n", as: Int.self) ?? 0
            let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            try await connection.close()
            return RestoreReport(members: members, schemaVersion: version, bytes: bytes)
        } catch {
            try? await connection.close()
            if let error = error as? StoreError { throw error }
            throw StoreError("The file is not a Kith backup: \(error)")
        }
    }

    public func close() async {
        checkpointing.cancel()
        await checkpointing.value
        // PASSIVE: a second process (kith backup) closing must not hold up a live server's writes.
        try? await checkpointer.run { try $0.connection.execute("PRAGMA wal_checkpoint(PASSIVE)") }
        for connection in readers + [writer, checkpointer] {
            connection.stop()
        }
    }
}

/// One queued write: its body (run inside a savepoint) and how to answer its caller.
final class PendingWrite: @unchecked Sendable {
    let execute: @Sendable (any SQLDatabase) async -> Void
    // Set once before the item is queued; read by the draining task after the commit.
    var complete: (@Sendable ((any Error)?) -> Void)?

    init(execute: @escaping @Sendable (any SQLDatabase) async -> Void) {
        self.execute = execute
    }
}

/// The result of one queued write, set by the draining task before the commit.
final class WriteOutcome<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    // Guarded by `lock`.
    private var stored: Result<T, any Error>?

    func set(_ result: Result<T, any Error>) {
        lock.lock()
        defer { lock.unlock() }
        stored = result
    }

    var result: Result<T, any Error>? {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

/// The queue of writes waiting for the single writer connection, and whether someone drains it.
/// A lock, not an actor: the drain runs on the writer's thread, and an actor hop per batch put it
/// back in the queue behind HTTP work.
final class WriteQueue: @unchecked Sendable {
    // Guarded by `lock`.
    private var items: [PendingWrite] = []
    private var draining = false
    private let lock = NSLock()

    /// Queues the write; true when the caller must drain (nobody else is).
    func enqueue(_ item: PendingWrite) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        items.append(item)
        if draining { return false }
        draining = true
        return true
    }

    /// The next batch, oldest first; an empty batch ends the drain.
    func take(max: Int) -> [PendingWrite] {
        lock.lock()
        defer { lock.unlock() }
        let batch = Array(items.prefix(max))
        items.removeFirst(batch.count)
        if batch.isEmpty { draining = false }
        return batch
    }
}

/// How many reads each reader connection is running, to send the next to the least busy one.
final class ReadLoad: @unchecked Sendable {
    // Guarded by `lock`.
    private var inFlight: [Int]
    private var next = 0
    private let lock = NSLock()

    init(readers: Int) {
        inFlight = Array(repeating: 0, count: readers)
    }

    /// The reader to use, counted as busy until `end`: the one with the fewest reads in flight,
    /// ties round-robin. The ranking lane chooses among all but the last reader (when there are
    /// two or more), so a crowd of searches leaves one connection to the foreground's reads.
    func begin(lane: RequestLane = .foreground) -> Int {
        lock.lock()
        defer { lock.unlock() }
        let choices = lane == .ranking && inFlight.count > 1 ? inFlight.count - 1 : inFlight.count
        next = (next + 1) % choices
        var best = next
        for offset in 1..<max(1, choices) {
            let candidate = (next + offset) % choices
            if inFlight[candidate] < inFlight[best] { best = candidate }
        }
        inFlight[best] += 1
        return best
    }

    func end(_ reader: Int) {
        lock.lock()
        defer { lock.unlock() }
        inFlight[reader] -= 1
    }
}
