import ArgumentParser
import Foundation
import Hummingbird
import KithApp
import KithDemo
import KithDomain
import KithStorage
import KithWeb
import Logging

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the web server (applies pending migrations first).")

    @OptionGroup var store: StoreOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port = 8080
    @Option(help: "Who may join: open (anyone, at once), confirm (anyone, once they open a link mailed to them) or invite.")
    var registration: String = "open"
    @Flag(help: "Seed a deterministic demo community into an empty database.") var demo = false
    @Option(help: "How many demo members to generate.") var demoMembers = 2_000
    @Flag(help: "Allow --demo on an address other than loopback (the demo's admin password is published).")
    var demoOnPublicAddress = false
    @Option(help: "bcrypt cost for new passwords (4–31).") var bcryptCost: UInt8 = 12
    @Option(help: "Public address of the site, used in invitation links.") var publicURL: String?
    @Flag(help: "The site is served over HTTPS (by a reverse proxy): Secure, __Host- cookies and HSTS.") var secureCookies = false
    @Option(
        help: """
            A reverse proxy in front of Kith (an address or CIDR range; repeat for several). Only from \
            these peers are X-Forwarded-For (the client address that rate limits count) and \
            X-Forwarded-Proto believed.
            """
    )
    var trustedProxy: [String] = []
    @Option(help: "New accounts an hour from one client address, then slower (0: no limit).") var registrationsPerHour = 10
    @Option(help: "Seconds an HTTP connection may stay idle before it is closed.") var idleTimeout: Int64 = 60
    @Flag(help: "Moderators and admins act as members until they turn on two-factor sign-in.") var requireTwoFactorForStaff = false
    @Option(help: "Log level: trace, debug, info, notice, warning, error.") var logLevel = "info"
    @Option(help: "Seconds between runs of the weekly-plan email job (5–86400).") var weeklyPlanEvery = 600
    @Option(
        help: """
            Where reminder emails go: smtp://[user:password@]host[:port] or file:///directory. \
            Also read from KITH_MAIL_URL (keeps a password out of the process list). \
            Default: .eml files in DATA_DIR/mail on SQLite; kept in the outbox on PostgreSQL.
            """
    )
    var mailURL: String?
    @Option(
        help: """
            Where this instance keeps its word index between runs, so that it starts without indexing every \
            member again (checked against the database; changes since are applied). Default: DATA_DIR/word-index \
            on SQLite, none on PostgreSQL (give each instance a path). An empty value: none.
            """
    )
    var wordIndexFile: String?

    func run() async throws {
        let mailURL = self.mailURL ?? ProcessInfo.processInfo.environment["KITH_MAIL_URL"].flatMap { $0.isEmpty ? nil : $0 }
        guard let mode = RegistrationMode(rawValue: registration) else {
            throw ValidationError("--registration must be open, confirm or invite")
        }
        let level = Logger.Level(rawValue: logLevel) ?? .info
        var proxies: [NetworkRange] = []
        for text in trustedProxy {
            guard let range = NetworkRange(text) else {
                throw ValidationError("--trusted-proxy \(text) is not an IP address or a CIDR range such as 10.0.0.0/8 or fd00::/8")
            }
            proxies.append(range)
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        do {
            _ = try MailTransports.make(mailURL)
        } catch let error as DomainError {
            throw ValidationError("--mail-url " + error.message.replacingOccurrences(of: "mail-url: ", with: ""))
        }
        if demo && !NetworkAddress.isLoopback(host: host) && !demoOnPublicAddress {
            throw ValidationError(
                "--demo publishes an admin password (see the README), so it listens on loopback only; "
                    + "to show the demo on \(host) anyway, add --demo-on-public-address"
            )
        }
        try await store.withStore(level: .notice) { store in
            try await Migrator.migrate(store)
            if !demo, try await InstanceMarks(store: store).isDemo() {
                throw CLIError(
                    "This database holds the demo community, whose admin password is published: serve it with --demo, "
                        + "or start your community in a new data directory (--data-dir) or database."
                )
            }
            if demo {
                try await DemoSeeding.seedIfEmpty(store, members: demoMembers, publicURL: publicURL ?? "http://\(host):\(port)")
            }
            var configuration = AppConfiguration(
                host: host,
                port: port,
                registration: mode,
                bcryptCost: bcryptCost,
                secureCookies: secureCookies,
                trustedProxies: proxies,
                publicURL: publicURL,
                logLevel: level,
                mailURL: mailURL ?? defaultMailURL(store),
                registrationsPerHour: registrationsPerHour
            )
            configuration.idleTimeoutSeconds = max(1, idleTimeout)
            configuration.requireTwoFactorForStaff = requireTwoFactorForStaff
            configuration.weeklyPlanEverySeconds = min(86_400, max(5, weeklyPlanEvery))
            configuration.wordIndexFile = wordIndexPath(store).map { URL(fileURLWithPath: $0) }
            let app = try await buildApplication(
                configuration: configuration,
                store: store,
                onServerRunning: { boundPort in
                    FileHandle.standardOutput.write(Data("Kith listening on http://\(host):\(boundPort)\n".utf8))
                }
            )
            do {
                try await app.runService()
            } catch {
                if "\(error)".contains("Address already in use") {
                    throw CLIError("Kith could not listen on \(host):\(port): the port is already in use.")
                }
                throw CLIError("Kith stopped with an error: \(error)")
            }
        }
    }

    /// The word index's file: as given, else next to the embedded database.
    private func wordIndexPath(_ store: any Store) -> String? {
        if let wordIndexFile { return wordIndexFile.isEmpty ? nil : wordIndexFile }
        guard let sqlite = store as? SQLiteStore else { return nil }
        return URL(fileURLWithPath: sqlite.path).deletingLastPathComponent().appendingPathComponent("word-index").path
    }

    /// Development default: on the embedded database, reminder emails land as files next to it.
    private func defaultMailURL(_ store: any Store) -> String? {
        guard let sqlite = store as? SQLiteStore else { return nil }
        return URL(fileURLWithPath: sqlite.path).deletingLastPathComponent().appendingPathComponent("mail").absoluteString
    }
}
