import Foundation
import KithDomain
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO
import Synchronization
// The C library SQLiteNIO is built on (its own copy of SQLite, symbols prefixed `sqlite_nio_`).
// Using the same copy matters: two SQLite libraries in one process do not see each other's file
// locks. It is not a product of sqlite-nio, so it is imported through SQLiteNIO's dependency.
import VaporCSQLite

/// One SQLite connection that lives on a thread of its own and runs statements synchronously
/// there, from cached prepared statements.
///
/// Work for the connection runs with this thread as its task executor (`run`), so the awaits of a
/// repository method — one per statement — continue on the same thread without a hop: SQLiteNIO
/// sent every statement to a thread pool and resumed it on the shared executor, where it queued
/// behind HTTP work, and it parsed every statement afresh (the figures are in docs/BENCHMARKS.md,
/// RSVP).
final class SQLiteConnectionThread: TaskExecutor, @unchecked Sendable {
    let connection: SQLiteHandle
    let database: SQLiteDirectDatabase
    // Guarded by `condition`.
    private var jobs: [UnownedJob] = []
    private var stopping = false
    private var stopped = false
    private let condition = NSCondition()

    /// The thread's nice value once it runs (see `init`'s `nice`).
    private let niceness = Atomic<Int32>(0)

    /// `nice`: the scheduling priority the thread asks for before it serves (Linux applies
    /// `setpriority` to the calling thread alone). Lowering the value needs `CAP_SYS_NICE` or a
    /// nice limit (`RLIMIT_NICE`); refused, the thread keeps the process's priority, which `nice`
    /// then reports.
    init(path: String, name: String, logger: Logger, nice: Int32? = nil) throws {
        let connection = try SQLiteHandle(path: path)
        self.connection = connection
        self.database = SQLiteDirectDatabase(
            connection: connection,
            logger: logger,
            eventLoop: MultiThreadedEventLoopGroup.singleton.any()
        )
        let thread = Thread { [self] in
            if let nice { _ = ThreadPriority.request(nice) }
            niceness.store(ThreadPriority.current, ordering: .relaxed)
            self.serve()
        }
        thread.name = name
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// This thread's nice value (0 unless it asked for another and was allowed). Set before the
    /// thread runs its first job, so it is current once any `run` has returned.
    var nice: Int32 { niceness.load(ordering: .relaxed) }

    /// Runs `body` on this connection's thread; everything it awaits that is not isolated
    /// elsewhere continues there.
    func run<T: Sendable>(_ body: (SQLiteDirectDatabase) async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(self) { try await body(database) }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread finish the jobs it has, closes the connection and ends the thread.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        while !stopped { condition.wait() }
        condition.unlock()
    }

    private func serve() {
        connection.owner = pthread_self()
        let executor = asUnownedTaskExecutor()
        var batch: [UnownedJob] = []
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty {
                connection.close()
                stopped = true
                condition.broadcast()
                condition.unlock()
                return
            }
            swap(&batch, &jobs)
            condition.unlock()
            for job in batch { job.runSynchronously(on: executor) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}

/// The calling thread's nice value. Linux applies `setpriority(PRIO_PROCESS, 0, …)` to the
/// calling thread alone, not the whole process.
enum ThreadPriority {
    static var current: Int32 { getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) }

    /// Asks for `nice` for the calling thread; false when the system refuses (a lower value needs
    /// `CAP_SYS_NICE` or `RLIMIT_NICE`).
    static func request(_ nice: Int32) -> Bool {
        setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice) == 0
    }
}

/// An open `sqlite3` handle with a cache of prepared statements. Not thread-safe by itself: it is
/// used from its `SQLiteConnectionThread` only (SQLite's own mutex makes misuse slow, not unsafe).
final class SQLiteHandle: @unchecked Sendable {
    private var handle: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    /// Each statement's column names, built on its first row and kept until SQLite prepares the
    /// statement again (after a schema change its columns may differ).
    private var columnNames: [OpaquePointer: (columns: SQLiteDirectRow.Columns, prepares: Int32)] = [:]
    /// The thread that owns the connection, once it runs; checked before every statement in every
    /// build, because the statement cache is not safe to use from two threads.
    var owner: pthread_t?
    /// Distinct statement texts kept prepared; past this the cache starts again (statements with
    /// IN lists of varying length would otherwise grow it without bound).
    private static let cacheLimit = 256
    /// How long one statement may run on this connection before it is interrupted (nil: no
    /// limit). Readers have one, so no single read — a search ranking a huge match set — can hold
    /// a connection and a core for long; the writer has none (an import may take a while). This
    /// SQLite is built without progress callbacks, so `SQLiteStore`'s watchdog calls
    /// `sqlite3_interrupt` (safe from any thread) on a statement running past it.
    var statementTimeLimit: Duration?
    /// When the running statement started (monotonic nanoseconds), 0 when none runs.
    let runningSince = Atomic<UInt64>(0)
    /// The read (`ReadTicket`) whose statement is running, 0 when none: held while it is set and
    /// cleared and while a cancelled read interrupts, so a cancellation can only ever interrupt
    /// its own statement, never another read's that shares the connection.
    private let runningTicket = Mutex<UInt64>(0)

    init(path: String) throws {
        let flags = SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_EXRESCODE
        var opened: OpaquePointer?
        let status = sqlite_nio_sqlite3_open_v2(path, &opened, flags, nil)
        guard status == SQLITE_OK, let opened else {
            let message = opened.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "code \(status)"
            if let opened { sqlite_nio_sqlite3_close_v2(opened) }
            throw SQLiteDirectError(code: status, message: message)
        }
        handle = opened
        sqlite_nio_sqlite3_busy_timeout(opened, 10_000)
    }

    /// Runs one statement with its parameters, calling `onRow` for each result row.
    func execute(_ sql: String, _ binds: [SQLiteData], onRow: (SQLiteDirectRow) throws -> Void) throws {
        precondition(owner.map { pthread_equal($0, pthread_self()) != 0 } ?? true, "an SQLite connection used off its own thread")
        let statement = try prepared(sql)
        // Bindings are never cleared (see below), so a value left out would silently be the
        // previous run's: the count must match exactly.
        let expected = Int(sqlite_nio_sqlite3_bind_parameter_count(statement))
        guard expected == binds.count else {
            sqlite_nio_sqlite3_reset(statement)
            throw StoreError("A statement with \(expected) parameters was given \(binds.count) values: \(sql.prefix(120))")
        }
        let timed = statementTimeLimit != nil
        let ticket = timed ? ReadTicket.current : 0
        if ticket != 0 {
            // A read whose client went away stops before its next statement.
            if Task.isCancelled { throw CancellationError() }
            runningTicket.withLock { $0 = ticket }
        }
        if timed { runningSince.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed) }
        defer {
            if timed { runningSince.store(0, ordering: .relaxed) }
            if ticket != 0 { runningTicket.withLock { $0 = 0 } }
            // No sqlite3_clear_bindings: every execution binds every parameter, and clearing
            // marks a statement whose plan looked at a bound value (any `column = ?`) as expired,
            // so it was parsed and planned again on every run (docs/BENCHMARKS.md, RSVP).
            sqlite_nio_sqlite3_reset(statement)
        }
        for (offset, value) in binds.enumerated() {
            try check(bind(value, at: Int32(offset + 1), in: statement))
        }
        var columns: SQLiteDirectRow.Columns?
        while true {
            let status = sqlite_nio_sqlite3_step(statement)
            if status == SQLITE_DONE { return }
            if status == SQLITE_INTERRUPT && timed {
                if ticket != 0 && Task.isCancelled { throw CancellationError() }
                throw WorkTooLong()
            }
            guard status == SQLITE_ROW else { throw error(status) }
            let names = columns ?? self.columns(of: statement)
            columns = names
            try onRow(SQLiteDirectRow(columns: names, values: (0..<Int32(names.count)).map { value(at: $0, in: statement) }))
        }
    }

    /// Runs one statement that returns nothing worth reading (PRAGMA settings, BEGIN, COMMIT).
    func execute(_ sql: String) throws {
        try execute(sql, []) { _ in }
    }

    /// Interrupts the running statement if it has run past the limit (called by the watchdog,
    /// from another thread: `sqlite3_interrupt` is safe there).
    func interruptIfOverdue(now: UInt64) {
        guard let limit = statementTimeLimit, let handle else { return }
        let started = runningSince.load(ordering: .relaxed)
        let (seconds, attoseconds) = limit.components
        let allowed = UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
        if started != 0 && now > started + allowed { sqlite_nio_sqlite3_interrupt(handle) }
    }

    /// Whether a transaction is open. SQLite rolls a whole transaction back by itself on some
    /// errors (SQLITE_FULL, IOERR, NOMEM); then this turns false mid-batch.
    var inTransaction: Bool {
        guard let handle else { return false }
        return sqlite_nio_sqlite3_get_autocommit(handle) == 0
    }

    /// Interrupts the running statement if it belongs to the read `ticket` (its task was
    /// cancelled: the client went away). From any thread.
    func interrupt(ticket: UInt64) {
        runningTicket.withLock { running in
            if running == ticket, let handle { sqlite_nio_sqlite3_interrupt(handle) }
        }
    }

    func close() {
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
        statements.removeAll()
        columnNames.removeAll()
        if let handle { sqlite_nio_sqlite3_close_v2(handle) }
        handle = nil
    }

    private func prepared(_ sql: String) throws -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        guard handle != nil else { throw SQLiteDirectError(code: SQLITE_MISUSE, message: "the connection is closed") }
        if statements.count >= Self.cacheLimit {
            for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
            statements.removeAll(keepingCapacity: true)
            columnNames.removeAll(keepingCapacity: true)
        }
        var statement: OpaquePointer?
        let status = sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else { throw error(status) }
        statements[sql] = statement
        return statement
    }

    private func columns(of statement: OpaquePointer) -> SQLiteDirectRow.Columns {
        let prepares = sqlite_nio_sqlite3_stmt_status(statement, SQLITE_STMTSTATUS_REPREPARE, 0)
        if let known = columnNames[statement], known.prepares == prepares { return known.columns }
        let columns = SQLiteDirectRow.Columns(statement)
        columnNames[statement] = (columns, prepares)
        return columns
    }

    private func bind(_ value: SQLiteData, at index: Int32, in statement: OpaquePointer) -> Int32 {
        switch value {
        case .integer(let number): sqlite_nio_sqlite3_bind_int64(statement, index, Int64(number))
        case .float(let number): sqlite_nio_sqlite3_bind_double(statement, index, number)
        case .null: sqlite_nio_sqlite3_bind_null(statement, index)
        case .text(let text):
            sqlite_nio_sqlite3_bind_text64(
                statement,
                index,
                text,
                UInt64(text.utf8.count),
                sqliteTransient,
                UInt8(SQLITE_UTF8)
            )
        case .blob(let bytes):
            bytes.withUnsafeReadableBytes {
                sqlite_nio_sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), sqliteTransient)
            }
        }
    }

    private func value(at column: Int32, in statement: OpaquePointer) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            guard let text = sqlite_nio_sqlite3_column_text(statement, column) else { return .text("") }
            let length = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self))
        case SQLITE_BLOB:
            let length = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            var buffer = ByteBufferAllocator().buffer(capacity: length)
            if let bytes = sqlite_nio_sqlite3_column_blob(statement, column) {
                buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: length))
            }
            return .blob(buffer)
        default: return .null
        }
    }

    private func check(_ status: Int32) throws {
        guard status == SQLITE_OK else { throw error(status) }
    }

    private func error(_ status: Int32) -> SQLiteDirectError {
        let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "code \(status)"
        return SQLiteDirectError(code: status, message: message)
    }
}

/// SQLite's instruction to copy a bound value before the call returns.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A failed SQLite call: the extended result code and SQLite's message.
struct SQLiteDirectError: Error, CustomStringConvertible {
    let code: Int32
    let message: String

    var description: String { "SQLite error \(code): \(message)" }

    /// `SQLITE_CONSTRAINT_UNIQUE` and `SQLITE_CONSTRAINT_PRIMARYKEY`.
    var isUniqueViolation: Bool { code == SQLITE_CONSTRAINT | (8 << 8) || code == SQLITE_CONSTRAINT | (6 << 8) }
}

/// The connection as SQLKit sees it. `execute` runs on the calling thread and completes before it
/// returns, so there is nothing to wait for.
struct SQLiteDirectDatabase: SQLDatabase {
    let connection: SQLiteHandle
    let logger: Logger
    let eventLoop: any EventLoop
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { nil }
    private static let encoder = SQLiteDataEncoder()

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        eventLoop.makeCompletedFuture { try run(query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try run(query, onRow)
    }

    private func run(_ query: any SQLExpression, _ onRow: (any SQLRow) -> Void) throws {
        let (sql, binds) = serialize(query)
        // With the store's logger at trace (`kith serve --log-sql`): each statement's text, its
        // number of values and its time — never the values, which hold members' private data.
        guard logger.logLevel <= .trace else {
            return try connection.execute(sql, binds.map { try Self.encoder.encode($0) }) { onRow($0) }
        }
        let started = ContinuousClock.now
        defer {
            logger.trace(
                "sql",
                metadata: [
                    "sql": "\(sql.split(whereSeparator: \.isWhitespace).joined(separator: " "))", "values": "\(binds.count)",
                    "took": "\(ContinuousClock.now - started)",
                ]
            )
        }
        try connection.execute(sql, binds.map { try Self.encoder.encode($0) }) { onRow($0) }
    }
}

/// Names one read on a reader connection, so that cancelling it interrupts its own statement
/// only. 0 outside reads (writes are never interrupted).
enum ReadTicket {
    @TaskLocal static var current: UInt64 = 0
    private static let next = Atomic<UInt64>(1)
    static func make() -> UInt64 { next.wrappingAdd(1, ordering: .relaxed).oldValue }
}

/// One result row: the statement's column names (shared by its rows) and this row's values.
struct SQLiteDirectRow: SQLRow {
    final class Columns: Sendable {
        let names: [String]
        let positions: [String: Int]
        var count: Int { names.count }

        init(_ statement: OpaquePointer) {
            let count = sqlite_nio_sqlite3_column_count(statement)
            let names = (0..<count).map { column in
                sqlite_nio_sqlite3_column_name(statement, column).map { String(cString: $0) } ?? ""
            }
            self.names = names
            // The first of two columns with one name wins, as in SQLiteNIO.
            self.positions = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    let columns: Columns
    let values: [SQLiteData]

    var allColumns: [String] { columns.names }

    func contains(column: String) -> Bool { columns.positions[column] != nil }

    /// The value at `index` as an integer (0 when it is not one): for PRAGMA answers.
    func integer(at index: Int) -> Int64 {
        guard index < values.count, case .integer(let value) = values[index] else { return 0 }
        return Int64(value)
    }

    func decodeNil(column: String) throws -> Bool {
        guard let position = columns.positions[column] else { return true }
        return values[position] == .null
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let position = columns.positions[column] else {
            throw DecodingError.keyNotFound(
                SQLiteColumnKey(column),
                .init(codingPath: [], debugDescription: "No column \(column) in the result.")
            )
        }
        let value = values[position]
        // The types rows are read as nearly always (text, whole numbers, their optionals) are
        // handed over directly: SQLiteKit's decoder first asks the runtime whether the type
        // conforms to a protocol and builds a decoder object for optionals, which made decoding a
        // row of twenty columns cost more than the query. Anything else, and any mismatch, goes
        // through that decoder, so the answers (and errors) are the same.
        switch value {
        case .text(let text):
            if D.self == String.self { return unsafeBitCast(text, to: D.self) }
            if D.self == String?.self { return unsafeBitCast(Optional(text), to: D.self) }
        case .integer(let number):
            if D.self == Int64.self { return unsafeBitCast(Int64(number), to: D.self) }
            if D.self == Int.self { return unsafeBitCast(number, to: D.self) }
            if D.self == Int64?.self { return unsafeBitCast(Optional(Int64(number)), to: D.self) }
            if D.self == Int?.self { return unsafeBitCast(Optional(number), to: D.self) }
        case .float(let number):
            if D.self == Double.self { return unsafeBitCast(number, to: D.self) }
        case .null:
            if D.self == String?.self { return unsafeBitCast(String?.none, to: D.self) }
            if D.self == Int64?.self { return unsafeBitCast(Int64?.none, to: D.self) }
            if D.self == Int?.self { return unsafeBitCast(Int?.none, to: D.self) }
        case .blob:
            break
        }
        return try Self.decoder.decode(D.self, from: value)
    }

    private static let decoder = SQLiteDataDecoder()
}

private struct SQLiteColumnKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
