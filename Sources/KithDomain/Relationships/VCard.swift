public import Foundation

/// A contact read from a file, before validation and dedupe. `line` is where it starts.
public struct ImportedContact: Sendable, Equatable {
    public var line: Int
    public var name: String = ""
    public var emails: [String] = []
    public var phones: [String] = []
    public var organization: String = ""
    public var title: String = ""
    public var notes: String = ""
    public var howWeMet: String = ""
    public var tags: [String] = []

    public init(line: Int) {
        self.line = line
    }
}

/// A problem with one line of an imported file.
public struct ImportError: Sendable, Equatable, Codable {
    public var line: Int
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }
}

/// vCard 3.0 and 4.0 (RFC 2426, RFC 6350): folded lines, escaped text, several EMAIL and TEL,
/// UTF-8. Reads what a relationship manager keeps; ignores the rest (photos, keys, addresses).
public enum VCard {
    /// The cards in `text`, and one error per card that could not be read.
    public static func parse(_ text: String) -> (contacts: [ImportedContact], errors: [ImportError]) {
        var contacts: [ImportedContact] = []
        var errors: [ImportError] = []
        var current: ImportedContact?
        var structuredName = ""
        for (number, line) in unfold(text) {
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            guard let property = Property(line) else {
                errors.append(ImportError(line: number, message: "is not a vCard property line"))
                continue
            }
            switch property.name {
            case "BEGIN" where property.value.uppercased() == "VCARD":
                if let open = current {
                    errors.append(ImportError(line: open.line, message: "vCard has no END:VCARD"))
                }
                current = ImportedContact(line: number)
                structuredName = ""
                continue
            case "END" where property.value.uppercased() == "VCARD":
                guard var card = current else {
                    errors.append(ImportError(line: number, message: "END:VCARD without BEGIN:VCARD"))
                    continue
                }
                if card.name.isEmpty { card.name = structuredName }
                if card.name.isEmpty {
                    errors.append(ImportError(line: card.line, message: "vCard has neither FN nor N: a name is required"))
                } else {
                    contacts.append(card)
                }
                current = nil
                continue
            default: break
            }
            guard current != nil else {
                errors.append(ImportError(line: number, message: "is outside BEGIN:VCARD … END:VCARD"))
                continue
            }
            switch property.name {
            case "FN": current?.name = unescape(property.value)
            case "N":
                // Family; Given; Additional; Prefixes; Suffixes
                let parts = split(property.value, on: ";").map(unescape)
                let ordered = [parts.count > 3 ? parts[3] : "", parts.count > 1 ? parts[1] : "", parts.count > 2 ? parts[2] : "", parts[0]]
                structuredName = ordered.filter { !$0.isEmpty }.joined(separator: " ")
            case "EMAIL": current?.emails.append(unescape(property.value))
            case "TEL":
                var value = unescape(property.value)
                if value.lowercased().hasPrefix("tel:") { value = String(value.dropFirst(4)) }
                current?.phones.append(value)
            case "ORG": current?.organization = split(property.value, on: ";").map(unescape).first ?? ""
            case "TITLE": current?.title = unescape(property.value)
            case "NOTE": current?.notes = unescape(property.value)
            case "CATEGORIES": current?.tags += split(property.value, on: ",").map(unescape).filter { !$0.isEmpty }
            case "X-KITH-HOW-WE-MET": current?.howWeMet = unescape(property.value)
            default: break
            }
        }
        if let open = current { errors.append(ImportError(line: open.line, message: "vCard has no END:VCARD")) }
        return (contacts, errors)
    }

    /// Joins folded lines (a line starting with a space or tab continues the previous one),
    /// numbering each logical line by where it starts.
    static func unfold(_ text: String) -> [(Int, String)] {
        var lines: [(Int, String)] = []
        var number = 0
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            number += 1
            var line = String(raw)
            if number == 1, line.hasPrefix("\u{FEFF}") { line.removeFirst() }
            if let first = line.first, first == " " || first == "\t", !lines.isEmpty {
                lines[lines.count - 1].1 += line.dropFirst()
            } else {
                lines.append((number, line))
            }
        }
        return lines
    }

    /// `[group.]NAME[;param=value…]:value`, with quoted parameter values that may hold ':'.
    struct Property {
        var name: String
        var parameters: [String: String]
        var value: String

        init?(_ line: String) {
            var inQuotes = false
            var colon: String.Index?
            for index in line.indices {
                let character = line[index]
                if character == "\"" { inQuotes.toggle() }
                if character == ":" && !inQuotes {
                    colon = index
                    break
                }
            }
            guard let colon else { return nil }
            let head = line[..<colon].split(separator: ";", omittingEmptySubsequences: false)
            guard var name = head.first.map({ String($0).uppercased() }), !name.isEmpty else { return nil }
            if let dot = name.lastIndex(of: ".") { name = String(name[name.index(after: dot)...]) }
            self.name = name
            var parameters: [String: String] = [:]
            for parameter in head.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1)
                parameters[String(pair[0]).uppercased()] = pair.count > 1 ? String(pair[1]).replacingOccurrences(of: "\"", with: "") : ""
            }
            self.parameters = parameters
            self.value = String(line[line.index(after: colon)...])
        }
    }

    /// Splits on a separator that is not escaped with a backslash.
    static func split(_ value: String, on separator: Character) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaped = false
        for character in value {
            if escaped {
                current.append("\\")
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == separator {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        if escaped { current.append("\\") }
        parts.append(current)
        return parts
    }

    static func unescape(_ value: String) -> String {
        var result = ""
        var escaped = false
        for character in value {
            if escaped {
                switch character {
                case "n", "N": result.append("\n")
                default: result.append(character)
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return result
    }

    static func escape(_ value: String) -> String { ContentLines.escape(value) }

    static func fold(_ line: String) -> String { ContentLines.fold(line) }

    public enum Version: String, Sendable {
        case v3 = "3.0"
        case v4 = "4.0"
    }

    /// Writes contacts as vCards of the given version.
    public static func write(_ contacts: [Contact], version: Version = .v4) -> String {
        var output = ""
        for contact in contacts {
            var lines = ["BEGIN:VCARD", "VERSION:\(version.rawValue)", "FN:" + escape(contact.name)]
            let words = contact.name.split(separator: " ").map(String.init)
            let family = words.count > 1 ? words.last ?? "" : ""
            let given = words.count > 1 ? words.dropLast().joined(separator: " ") : contact.name
            lines.append("N:\(escape(family));\(escape(given));;;")
            for email in contact.emails { lines.append(version == .v3 ? "EMAIL;TYPE=INTERNET:" + escape(email) : "EMAIL:" + escape(email)) }
            for phone in contact.phones {
                lines.append(version == .v3 ? "TEL;TYPE=VOICE:" + escape(phone) : "TEL;VALUE=text:" + escape(phone))
            }
            if !contact.organization.isEmpty { lines.append("ORG:" + escape(contact.organization)) }
            if !contact.title.isEmpty { lines.append("TITLE:" + escape(contact.title)) }
            if !contact.tags.isEmpty { lines.append("CATEGORIES:" + contact.tags.map(escape).joined(separator: ",")) }
            if !contact.notes.isEmpty { lines.append("NOTE:" + escape(contact.notes)) }
            if !contact.howWeMet.isEmpty { lines.append("X-KITH-HOW-WE-MET:" + escape(contact.howWeMet)) }
            lines.append("UID:urn:uuid:\(contact.id)")
            lines.append("END:VCARD")
            output += lines.map(fold).joined()
        }
        return output
    }
}
