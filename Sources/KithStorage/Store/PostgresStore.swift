import Foundation
import KithDomain
public import Logging
import NIOSSL
import PostgresKit
import PostgresNIO
public import SQLKit

/// PostgreSQL through PostgresNIO's connection pool. Several `kith serve` processes can share one
/// database: PostgreSQL is the system of record.
public final class PostgresStore: Store {
    public let dialect = StoreDialect.postgres
    public let memberCards = MemberCards()
    public let wordSearch = MemberWordSearch()
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger: Logger

    private init(client: PostgresClient, runner: Task<Void, Never>, logger: Logger) {
        self.client = client
        self.runner = runner
        self.logger = logger
    }

    /// Connects to `url` (`postgres://user:password@host:port/database?sslmode=disable|prefer|require`).
    /// With `schema`, every connection uses that schema first (tests use one schema each).
    public static func open(
        url: String,
        schema: String? = nil,
        maximumConnections: Int = 10,
        statementTimeout: String = PostgresStore.statementTimeout,
        logger: Logger
    ) async throws -> PostgresStore {
        var configuration = try configuration(from: url)
        configuration.options.maximumConnections = maximumConnections
        // No one statement may hold a connection (and a server core) for long — a search ranking a
        // huge match set, say; it is cancelled and the request answered 503. Migrations lift it.
        configuration.options.additionalStartupParameters = [("statement_timeout", statementTimeout)]
        if let schema {
            configuration.options.additionalStartupParameters.append(("search_path", schema))
        }
        let quiet = {
            var copy = logger
            copy.logLevel = max(logger.logLevel, .error)
            return copy
        }()
        let client = PostgresClient(configuration: configuration, backgroundLogger: quiet)
        let runner = Task { await client.run() }
        let store = PostgresStore(client: client, runner: runner, logger: quiet)
        do {
            // Fail at start-up, with a clear message, when the server cannot be reached.
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { _ = try await client.query("SELECT 1", logger: quiet) }
                group.addTask {
                    try await Task.sleep(for: .seconds(10))
                    throw StoreError("timed out after 10 seconds")
                }
                try await group.next()
                group.cancelAll()
            }
        } catch {
            await store.close()
            throw StoreError("Cannot reach PostgreSQL at \(redacted(url)): \(String(reflecting: error).prefix(300))")
        }
        return store
    }

    /// Production's limit on one statement (a request's statement past it is answered 503).
    public static let statementTimeout = "5s"

    public func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let watch = StoreWatch.shared.begin("PostgreSQL read")
        defer { StoreWatch.shared.end(watch) }
        do {
            return try await client.withConnection { connection in
                StoreWatch.shared.move(watch, to: .running)
                return try await body(connection.sql(queryLogLevel: nil, logger: self.logger))
            }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "57014" {
            throw WorkTooLong()
        }
    }

    public func longRead<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await withoutStatementLimit { connection in try await body(connection.sql(queryLogLevel: nil, logger: self.logger)) }
    }

    /// Rows of three integers for a long read (the graph's edges at start), decoded by PostgresNIO's
    /// typed decoding: millions of rows, where SQLKit's generic per-column decoding took most of
    /// the time. `sql` is the code's own.
    func longReadIntegerTriples(_ sql: String) async throws -> [(Int64, Int64, Int64)] {
        try await withoutStatementLimit { connection in
            var result: [(Int64, Int64, Int64)] = []
            let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: self.logger)
            for try await row in rows.decode((Int64, Int64, Int64).self) { result.append(row) }
            return result
        }
    }

    /// `body` on a pooled connection whose per-statement limit is lifted, then put back to the
    /// limit the connection started with (failure included) before the pool lends it again.
    private func withoutStatementLimit<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            _ = try await connection.query("SET statement_timeout = 0", logger: self.logger)
            do {
                let value = try await body(connection)
                _ = try await connection.query("RESET statement_timeout", logger: self.logger)
                return value
            } catch {
                _ = try? await connection.query("RESET statement_timeout", logger: self.logger)
                throw error
            }
        }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try WriteScope.refuseNested()
        // The request's next read catches up again and sees this write (`RequestScope`).
        defer { RequestScope.current?.clear() }
        do {
            return try await WriteScope.$inside.withValue(true) { try await transaction(body) }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "57014" {
            throw WorkTooLong()
        }
    }

    private func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let watch = StoreWatch.shared.begin("PostgreSQL write")
        defer { StoreWatch.shared.end(watch) }
        return try await client.withConnection { connection in
            StoreWatch.shared.move(watch, to: .running)
            let db = connection.sql(queryLogLevel: nil, logger: self.logger)
            try await db.raw("BEGIN").run()
            do {
                let value = try await body(db)
                StoreWatch.shared.move(watch, to: .committing)
                try await db.raw("COMMIT").run()
                return value
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    public func diagnostics() -> StoreDiagnostics { StoreDiagnostics() }

    public func close() async {
        runner.cancel()
        _ = await runner.value
    }

    static func configuration(from url: String) throws -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url),
            components.scheme == "postgres" || components.scheme == "postgresql",
            let host = components.host, !host.isEmpty
        else {
            throw StoreError("The database URL must look like postgres://user:password@host:5432/database")
        }
        let user = components.percentEncodedUser?.removingPercentEncoding ?? "postgres"
        let password = components.percentEncodedPassword?.removingPercentEncoding
        let database = String(components.path.dropFirst())
        let mode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        let tls: PostgresClient.Configuration.TLS
        switch mode {
        case "disable": tls = .disable
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        default: tls = .prefer(.makeClientConfiguration())
        }
        return PostgresClient.Configuration(
            host: host,
            port: components.port ?? 5432,
            username: user,
            password: password,
            database: database.isEmpty ? nil : database,
            tls: tls
        )
    }

    /// The URL without its password, for error messages.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "the configured URL" }
        if components.password != nil { components.password = "***" }
        return components.string ?? "the configured URL"
    }
}

extension PostgresStore {
    /// One transaction on one connection in which rows can be loaded by `COPY … FROM STDIN`
    /// (bulk seeding: a million members in minutes instead of a multi-row `INSERT` per 300).
    func copyTransaction<T: Sendable>(_ body: @escaping @Sendable (PostgresBulkCopy) async throws -> T) async throws -> T {
        try WriteScope.refuseNested()
        defer { RequestScope.current?.clear() }
        return try await WriteScope.$inside.withValue(true) {
            try await client.withConnection { connection in
                let copy = PostgresBulkCopy(connection: connection, logger: self.logger)
                try await copy.sql.raw("BEGIN").run()
                // A bulk load is not a request: the per-statement limit that protects serving
                // does not apply (checking a million foreign keys takes longer than it allows).
                try await copy.sql.raw("SET LOCAL statement_timeout = 0").run()
                do {
                    let value = try await body(copy)
                    try await copy.sql.raw("COMMIT").run()
                    return value
                } catch {
                    try? await copy.sql.raw("ROLLBACK").run()
                    throw error
                }
            }
        }
    }
}

/// `COPY … FROM STDIN` in PostgreSQL's text format on one connection, beside ordinary statements
/// on the same connection (and so in the same transaction).
struct PostgresBulkCopy: Sendable {
    let connection: PostgresConnection
    let logger: Logger

    var sql: any SQLDatabase { connection.sql(queryLogLevel: nil, logger: logger) }

    /// Loads `rows` (nil: NULL) into `table`'s `columns`, a megabyte at a time. Table and column
    /// names are the code's own, never input.
    func copy(into table: String, columns: [String], rows: [[String?]]) async throws {
        guard !rows.isEmpty else { return }
        try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
            var buffer = ByteBuffer()
            buffer.reserveCapacity(1 << 20)
            for row in rows {
                for (index, value) in row.enumerated() {
                    if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
                    guard let value else {
                        buffer.writeStaticString("\\N")
                        continue
                    }
                    Self.escape(value, into: &buffer)
                }
                buffer.writeInteger(UInt8(ascii: "\n"))
                if buffer.readableBytes >= 1 << 20 {
                    try await writer.write(buffer)
                    buffer.clear()
                }
            }
            if buffer.readableBytes > 0 { try await writer.write(buffer) }
        }
    }

    /// The text format's escapes: backslash, tab, newline and carriage return.
    static func escape(_ value: String, into buffer: inout ByteBuffer) {
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
            case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
            case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }
}
