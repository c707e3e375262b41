import ArgumentParser
import Foundation
import KithApp
import KithDomain
import KithStorage
import KithWeb

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations and exit.")
    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await store.withStore { store in
            let applied = try await Migrator.migrate(store)
            say(
                applied.isEmpty
                    ? "Schema is up to date (version \(Migrator.latestVersion))."
                    : "Applied migrations: \(applied.map(String.init).joined(separator: ", "))."
            )
        }
    }
}

struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Administrator tasks.", subcommands: [Create.self, SetRole.self])

    struct SetRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "role", abstract: "Set a member's role: member, moderator or admin.")
        @OptionGroup var store: StoreOptions
        @Option var handle: String
        @Option var role: String

        func run() async throws {
            try await store.withStore { store in
                let services = Services(store: store, hasher: BcryptPasswordHasher(cost: 4))
                do {
                    let member = try await services.accounts.setRole(role, ofHandle: handle)
                    say("@\(member.handle) is now \(member.role.rawValue).")
                } catch let error as DomainError {
                    throw error.cliError
                }
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an admin account. The password is read from standard input.")
        @OptionGroup var store: StoreOptions
        @Option var email: String
        @Option var name: String
        @Option var handle: String
        @Flag(help: "Read the password from standard input (required: passwords never go on the command line).")
        var passwordStdin = false
        @Option(help: "bcrypt cost (4–31).") var bcryptCost: UInt8 = 12

        func run() async throws {
            guard passwordStdin else { throw ValidationError("Pass --password-stdin and write the password to standard input.") }
            let password = (readLine(strippingNewline: true) ?? "")
            try await store.withStore { store in
                try await Migrator.migrate(store)
                let services = Services(store: store, hasher: BcryptPasswordHasher(cost: bcryptCost))
                do {
                    let member = try await services.accounts.register(
                        RegistrationInput(email: email, password: password, name: name, handle: handle),
                        role: .admin,
                        bypassInvitation: true
                    )
                    say("Created admin @\(member.handle) <\(member.email)>.")
                } catch let error as DomainError {
                    throw error.cliError
                }
            }
        }
    }
}

struct Invite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print a one-time invitation link.")
    @OptionGroup var store: StoreOptions
    @Option(help: "Only this address may use the invitation.") var email: String?
    @Option(help: "The site's public address.") var publicURL = "http://127.0.0.1:8080"

    func run() async throws {
        try await store.withStore { store in
            try await Migrator.migrate(store)
            let services = Services(store: store, hasher: BcryptPasswordHasher(cost: 4))
            do {
                let token = try await services.accounts.invite(email: email, by: nil)
                say("\(publicURL)/signup?invitation=\(token.value)")
            } catch let error as DomainError {
                throw error.cliError
            }
        }
    }
}

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write everything Kith holds about a member as JSON.")
    @OptionGroup var store: StoreOptions
    @Option var member: String
    @Option var out: String

    func run() async throws {
        try await store.withStore { store in
            let services = Services(store: store, hasher: BcryptPasswordHasher(cost: 4))
            do {
                let export = try await services.exports.export(handle: member)
                let encoder = JSONEncoder()
                encoder.keyEncodingStrategy = .convertToSnakeCase
                encoder.dateEncodingStrategy = .iso8601
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                try PrivateFiles.writeNew(try encoder.encode(export), to: out)
                say("Exported @\(member) to \(out).")
            } catch let error as DomainError {
                throw error.cliError
            } catch let error as PrivateFiles.Failure {
                throw CLIError(error.description)
            }
        }
    }
}

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a consistent online backup of the SQLite database.")
    @OptionGroup var store: StoreOptions
    @Option var out: String

    func run() async throws {
        try await store.withStore { store in
            guard let sqlite = store as? SQLiteStore else {
                throw CLIError("kith backup copies the embedded SQLite database; for PostgreSQL use pg_dump.")
            }
            let start = Date()
            say("Backing up \(sqlite.path) …")
            do {
                try await sqlite.backup(to: out)
            } catch let error as StoreError {
                throw CLIError(error.description)
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: out)[.size] as? Int) ?? 0
            say("Backup written to \(out): \(size / 1024) KiB in \(String(format: "%.2f", Date().timeIntervalSince(start))) s.")
        }
    }
}

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put a backup written by kith backup into an empty data directory, after checking it."
    )
    @Option(help: "Directory to restore into; it must not hold a database yet.")
    var dataDir = "./kith-data"
    @Option(help: "The backup file.")
    var from: String

    func run() async throws {
        guard case .sqlite(let path, _) = StoreConfiguration.dataDirectory(dataDir) else { return }
        say("Restoring \(from) into \(path) …")
        let start = Date()
        do {
            let report = try await SQLiteStore.restore(backup: from, into: path)
            say(
                "Restored \(report.members) members (\(report.bytes / 1024) KiB, schema version \(report.schemaVersion)); "
                    + "integrity and foreign keys checked in \(String(format: "%.2f", Date().timeIntervalSince(start))) s. "
                    + "Start it with: kith serve --data-dir \(dataDir)"
            )
        } catch let error as StoreError {
            throw CLIError(error.description)
        }
    }
}

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import files into Kith.",
        subcommands: [ImportContacts.self]
    )
}

struct ImportContacts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contacts",
        abstract: "Import a vCard (.vcf) or LinkedIn Connections.csv into a member's private contacts."
    )
    @OptionGroup var store: StoreOptions
    @Option(help: "The handle of the member whose relationship manager receives the contacts.") var member: String
    @Option(help: "vcard or linkedin_csv (detected from the content when absent).") var format: String?
    @Argument(help: "The file to import.") var file: String

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("Cannot read \(file).") }
        try await store.withStore { store in
            let services = Services(store: store, hasher: BcryptPasswordHasher(cost: 4))
            let start = Date()
            let progressBox = ProgressBox(label: "Importing contacts")
            do {
                let report = try await services.contacts.importContacts(
                    data,
                    format: try ContactFileFormat.parse(format),
                    ownerHandle: member,
                    progress: { done, total in progressBox.update(done, total) }
                )
                say(
                    "Imported into @\(member) in \(String(format: "%.1f", Date().timeIntervalSince(start))) s: "
                        + "\(report.created) created, \(report.merged) merged, \(report.skipped) skipped, \(report.errors.count) errors."
                )
                for error in report.errors.prefix(50) { say("  line \(error.line): \(error.message)") }
                if report.errors.count > 50 { say("  … and \(report.errors.count - 50) more.") }
            } catch let error as DomainError {
                throw error.cliError
            }
        }
    }
}

/// A progress line that can be updated from the import's callback.
final class ProgressBox: @unchecked Sendable {
    private let label: String
    private let lock = NSLock()
    // Guarded by `lock`.
    private var progress: ConsoleProgress?

    init(label: String) {
        self.label = label
    }

    func update(_ done: Int, _ total: Int) {
        lock.lock()
        defer { lock.unlock() }
        if progress == nil { progress = ConsoleProgress(label: label, total: total) }
        progress?.update(done)
    }
}

struct Digest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a member's next weekly-plan email (RFC 5322, text and HTML) without sending it.",
        discussion: "Prints nothing and exits 0 when nothing in the member's plan is actionable."
    )
    @OptionGroup var store: StoreOptions
    @Option(help: "The member's handle.") var member: String
    @Flag(help: "Print the email (the only mode: nothing is sent or recorded).") var print = false
    @Option(help: "The address links in the email start with.") var publicURL = "http://127.0.0.1:8080"

    func run() async throws {
        guard print else { throw ValidationError("Pass --print: the weekly email is sent by kith serve at the member's slot.") }
        try await store.withStore { store in
            let services = Services(store: store, hasher: BcryptPasswordHasher(cost: 4), publicURL: publicURL)
            do {
                guard let mail = try await services.plans.previewWeeklyEmail(handle: member) else { return }
                Swift.print(MailTransports.message(mail, from: "Kith <no-reply@kith.invalid>"), terminator: "")
            } catch let error as DomainError {
                throw error.cliError
            }
        }
    }
}
