public import Foundation

/// LinkedIn's "Connections.csv" export: a few "Notes:" preamble lines, then a header row
/// (First Name, Last Name, URL, Email Address, Company, Position, Connected On) and one row per
/// connection. Fields follow RFC 4180 quoting, which may span lines.
public enum LinkedInConnections {
    public static func parse(_ text: String) -> (contacts: [ImportedContact], errors: [ImportError]) {
        let dates = DateReader()
        var contacts: [ImportedContact] = []
        var errors: [ImportError] = []
        var columns: [String: Int]?
        for (line, fields) in records(text) {
            guard let header = columns else {
                let names = fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                if names.contains("first name"), names.contains("last name") {
                    columns = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
                }
                continue
            }
            if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            func field(_ name: String) -> String {
                guard let index = header[name], index < fields.count else { return "" }
                return fields[index].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            var contact = ImportedContact(line: line)
            contact.name = [field("first name"), field("last name")].filter { !$0.isEmpty }.joined(separator: " ")
            guard !contact.name.isEmpty else {
                errors.append(ImportError(line: line, message: "First Name and Last Name are both empty"))
                continue
            }
            let email = field("email address")
            if !email.isEmpty { contact.emails = [email] }
            contact.organization = field("company")
            contact.title = field("position")
            let url = field("url")
            let connected = field("connected on")
            var met = "Connected on LinkedIn"
            if let date = dates.read(connected) {
                met += " in " + dates.monthAndYear(date)
            } else if !connected.isEmpty {
                errors.append(ImportError(line: line, message: "Connected On \"\(connected.prefix(40))\" is not a date like 15 Mar 2021"))
                continue
            }
            contact.howWeMet = met
            if !url.isEmpty { contact.notes = url }
            contact.tags = ["linkedin"]
            contacts.append(contact)
        }
        if columns == nil {
            errors.append(ImportError(line: 1, message: "no header row with First Name and Last Name was found"))
        }
        return (contacts, errors)
    }

    /// LinkedIn writes "15 Mar 2021" (older exports: "15/03/2021" or ISO dates). One reader per
    /// file: date formatters are costly to make.
    final class DateReader {
        private let formatters: [DateFormatter]

        init() {
            formatters = ["d MMM yyyy", "dd/MM/yyyy", "yyyy-MM-dd", "MM/dd/yy"].map { format in
                let formatter = DateFormatter()
                formatter.locale = Locale(identifier: "en_US_POSIX")
                formatter.timeZone = TimeZone(identifier: "UTC")
                formatter.dateFormat = format
                return formatter
            }
        }

        private lazy var monthFormatter: DateFormatter = {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_GB")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "MMMM yyyy"
            return formatter
        }()

        func monthAndYear(_ date: Date) -> String { monthFormatter.string(from: date) }

        func read(_ raw: String) -> Date? {
            for formatter in formatters {
                if let date = formatter.date(from: raw) { return date }
            }
            return nil
        }
    }

    /// RFC 4180 records with the line each starts on: quoted fields may hold commas, doubled
    /// quotes and line breaks.
    static func records(_ text: String) -> [(Int, [String])] {
        var records: [(Int, [String])] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var start = 1
        var atFieldStart = true
        var characters = text.makeIterator()
        var pending: Character? = nil
        if text.hasPrefix("\u{FEFF}") { _ = characters.next() }
        func finishRecord() {
            fields.append(field)
            records.append((start, fields))
            fields = []
            field = ""
            atFieldStart = true
        }
        while let character = pending ?? characters.next() {
            pending = nil
            if inQuotes {
                if character == "\"" {
                    let next = characters.next()
                    if next == "\"" {
                        field.append("\"")
                    } else {
                        inQuotes = false
                        pending = next
                    }
                } else {
                    if character == "\n" || character == "\r\n" || character == "\r" { line += 1 }
                    field.append(character == "\r\n" ? "\n" : character)
                }
                continue
            }
            switch character {
            case "\"" where atFieldStart:
                inQuotes = true
                atFieldStart = false
            case ",":
                fields.append(field)
                field = ""
                atFieldStart = true
            case "\n", "\r\n", "\r":
                finishRecord()
                line += 1
                start = line
            default:
                field.append(character)
                atFieldStart = false
            }
        }
        if !field.isEmpty || !fields.isEmpty { finishRecord() }
        return records
    }
}
