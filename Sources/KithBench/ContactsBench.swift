import ArgumentParser
import Foundation
import KithApp
import KithDemo
import KithDomain
import KithStorage
import KithWeb
import Logging

/// Imports of a member's address book: N contacts as vCard 4.0 and as LinkedIn's
/// Connections.csv, each into a fresh member, then the same vCard file again (every record a
/// duplicate), and the keep-in-touch board over the result.
struct ContactsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contacts",
        abstract: "Time contact imports (vCard and LinkedIn CSV) and the keep-in-touch board."
    )

    @Option(help: "Contacts per file.") var contacts = 10_000
    @Option(help: "PostgreSQL URL; SQLite in a temporary directory when absent.") var databaseURL: String?
    @Flag(help: "Print JSON lines.") var json = false

    func run() async throws {
        var logger = Logger(label: "kith.bench")
        logger.logLevel = .error
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kith-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var schema: String?
        if let databaseURL {
            schema = "bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
            try await PostgresAdmin.run("CREATE SCHEMA \(schema!)", url: databaseURL)
        }
        let configuration: StoreConfiguration = databaseURL.map { .postgres(url: $0, schema: schema) } ?? .dataDirectory(directory.path)
        try await configuration.withStore(logger: logger) { store in
            try await Migrator.migrate(store)
            try await run(on: store)
        }
        if let databaseURL, let schema { try await PostgresAdmin.run("DROP SCHEMA \(schema) CASCADE", url: databaseURL) }
    }

    private func run(on store: any Store) async throws {
        let services = Services(store: store, hasher: BcryptPasswordHasher(cost: 4))
        let people = DemoCommunity(size: contacts + 1).members(in: 1..<(contacts + 1))
        let cards = VCard.write(
            people.enumerated().map { index, person in
                Contact(
                    id: .make(at: Date()),
                    ownerID: person.member.id,
                    name: "\(person.member.name) \(index)",
                    emails: ["contact\(index)@example.org"],
                    phones: ["+1 555 \(String(format: "%07d", index))"],
                    organization: person.affiliations.first?.organization ?? "",
                    title: person.profile.headline,
                    howWeMet: "Northfield",
                    tags: index % 3 == 0 ? ["close"] : ["network"],
                    notes: person.profile.bio,
                    createdAt: Date(),
                    updatedAt: Date()
                )
            }
        )
        var csv = "Notes:\n\"Exported from LinkedIn.\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        for (index, person) in people.enumerated() {
            let parts = person.member.name.split(separator: " ")
            let company = (person.affiliations.first?.organization ?? "").replacingOccurrences(of: "\"", with: "\"\"")
            csv += "\(parts.first ?? ""),\(parts.dropFirst().joined(separator: " ")) \(index),https://www.linkedin.com/in/p\(index),"
            csv += "p\(index)@example.org,\"\(company)\",\"\(person.profile.headline)\",15 Mar 2021\n"
        }
        var lines: [String] = []
        func measure(_ name: String, owner: Member, _ text: String) async throws -> ImportReport {
            var measurement = Measurement(name: name)
            var report = ImportReport()
            try await measurement.time { report = try await services.contacts.importContacts(text, format: nil, owner: owner) }
            measurement.extra = [
                "contacts": String(contacts), "created": String(report.created), "merged": String(report.merged),
                "skipped": String(report.skipped), "errors": String(report.errors.count), "bytes": String(text.utf8.count),
                "seconds": String(format: "%.2f", measurement.samples[0] / 1000), "backend": "\"\(store.dialect.rawValue)\"",
            ]
            lines.append(measurement.line(json: json))
            return report
        }
        let vcardOwner = try await services.accounts.register(
            RegistrationInput(email: "vcard@example.org", password: "benchmark password", name: "V Card", handle: "vcard-owner")
        )
        let csvOwner = try await services.accounts.register(
            RegistrationInput(email: "csv@example.org", password: "benchmark password", name: "C Sv", handle: "csv-owner")
        )
        _ = try await measure("import_vcard", owner: vcardOwner, cards)
        _ = try await measure("import_linkedin_csv", owner: csvOwner, csv)
        _ = try await measure("import_vcard_again", owner: vcardOwner, cards)
        var board = Measurement(name: "keep_in_touch_board")
        for _ in 0..<20 { try await board.time { _ = try await services.contacts.keepInTouch(owner: vcardOwner) } }
        board.extra = ["contacts": String(contacts), "backend": "\"\(store.dialect.rawValue)\""]
        lines.append(board.line(json: json))
        var list = Measurement(name: "contacts_page")
        for _ in 0..<100 {
            try await list.time {
                _ = try await services.contacts.list(text: nil, tag: "close", status: nil, after: nil, limit: "50", owner: vcardOwner)
            }
        }
        list.extra = ["contacts": String(contacts), "backend": "\"\(store.dialect.rawValue)\""]
        lines.append(list.line(json: json))
        for line in lines { print(line) }
    }
}
