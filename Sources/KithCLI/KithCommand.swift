import ArgumentParser
import Foundation
import KithApp
import KithDomain
import KithStorage
import Logging

@main
struct KithCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kith",
        abstract: "Kith: a professional network for your community, with a private relationship manager for every member.",
        subcommands: [Serve.self, Migrate.self, Admin.self, Invite.self, Import.self, Export.self, Backup.self, Restore.self, Digest.self],
        defaultSubcommand: Serve.self
    )
}

/// Storage flags shared by every subcommand.
struct StoreOptions: ParsableArguments {
    @Option(help: "Directory for the embedded SQLite database (kith.sqlite).")
    var dataDir = "./kith-data"

    @Option(help: "PostgreSQL URL (postgres://user:pass@host:5432/db). Also read from KITH_DATABASE_URL.")
    var databaseURL: String?

    @Option(help: "SQLite reader connections, each a thread of its own (1–64; more serve more reads at once).")
    var sqliteReaders = 3

    @Flag(help: "Log every SQLite statement's text and time (never its values). PostgreSQL: use its log_min_duration_statement.")
    var logSQL = false

    var configuration: StoreConfiguration {
        if let url = databaseURL ?? ProcessInfo.processInfo.environment["KITH_DATABASE_URL"], !url.isEmpty {
            return .postgres(url: url)
        }
        return .dataDirectory(dataDir, readers: sqliteReaders)
    }

    func validate() throws {
        guard (1...64).contains(sqliteReaders) else { throw ValidationError("--sqlite-readers must be from 1 to 64") }
    }

    /// `level`: the store's log level without `--log-sql` (the server shows notices, such as the
    /// writer thread's priority; one-off commands only warnings).
    func withStore<T: Sendable>(level: Logger.Level = .warning, _ body: (any Store) async throws -> T) async throws -> T {
        // The database, its WAL, backups, exports and mail drops hold members' private data.
        PrivateFiles.ownerOnlyFromNowOn()
        var logger = Logger(label: "kith.store")
        logger.logLevel = logSQL ? .trace : level
        do {
            return try await configuration.withStore(logger: logger, body)
        } catch let error as StoreError {
            throw CLIError(error.description)
        }
    }
}

/// A failure the user can act on: printed as one line, exit code 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

extension DomainError {
    var cliError: CLIError { CLIError(message) }
}
