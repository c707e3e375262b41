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

/// vCard 2.1, 3.0 and 4.0 (RFC 2426, RFC 6350) as real phones and mail programs write them:
/// folded lines unfolded as bytes before any decoding (RFC 6350 §3.2, so a character split by a
/// fold comes back whole), vCard 2.1's QUOTED-PRINTABLE with soft line breaks and its CHARSET
/// parameter, UTF-16 files, and CR CR LF line ends. Reads what a relationship manager keeps and
/// ignores the rest (photos, keys, addresses).
public enum VCard {
    /// The cards in `text`, and one error per line or card that could not be read.
    public static func parse(_ text: String) -> (contacts: [ImportedContact], errors: [ImportError]) {
        parse(Data(text.utf8))
    }

    /// The cards in a file's bytes, whatever its encoding.
    public static func parse(_ data: Data) -> (contacts: [ImportedContact], errors: [ImportError]) {
        var contacts: [ImportedContact] = []
        var errors: [ImportError] = []
        var current: ImportedContact?
        var fallbackNames: (structured: String, organization: String) = ("", "")
        unfold(TextFile.utf8Bytes(data)) { number, line in
            guard line.contains(where: { $0 != 32 && $0 != 9 }) else { return }
            guard let property = Property(line) else {
                // A bare word (`FN` with no value) carries nothing: a line of data does.
                if current == nil || line.count > 40 || line.contains(58) {
                    errors.append(ImportError(line: number, message: "is not a vCard property line"))
                }
                return
            }
            switch property.name {
            case "BEGIN" where property.text.uppercased() == "VCARD":
                if let open = current {
                    errors.append(ImportError(line: open.line, message: "vCard has no END:VCARD"))
                }
                current = ImportedContact(line: number)
                fallbackNames = ("", "")
                return
            case "END" where property.text.uppercased() == "VCARD":
                guard var card = current else {
                    errors.append(ImportError(line: number, message: "END:VCARD without BEGIN:VCARD"))
                    return
                }
                // A card without a name (a company card, a phone's address-only entry) is named
                // by what it does have, so that nothing it holds is lost.
                for candidate in [fallbackNames.structured, fallbackNames.organization, card.emails.first ?? "", card.phones.first ?? ""]
                where card.name.trimmingCharacters(in: .whitespaces).isEmpty {
                    card.name = candidate
                }
                if card.name.trimmingCharacters(in: .whitespaces).isEmpty {
                    errors.append(ImportError(line: card.line, message: "vCard has no name, organisation, email or phone to keep"))
                } else {
                    contacts.append(card)
                }
                current = nil
                return
            default: break
            }
            guard current != nil else {
                errors.append(ImportError(line: number, message: "is outside BEGIN:VCARD … END:VCARD"))
                return
            }
            let value = property.text
            switch property.name {
            case "FN": if current?.name.isEmpty == true { current?.name = unescape(value) }
            case "N":
                // Family; Given; Additional; Prefixes; Suffixes
                let parts = split(value, on: ";").map(unescape)
                let ordered = [parts.count > 3 ? parts[3] : "", parts.count > 1 ? parts[1] : "", parts.count > 2 ? parts[2] : "", parts[0]]
                fallbackNames.structured = ordered.filter { !$0.isEmpty }.joined(separator: " ")
            case "EMAIL": current?.emails.append(unescape(value))
            case "TEL": current?.phones.append(telephone(unescape(value)))
            case "ORG":
                let organization = split(value, on: ";").map(unescape).first ?? ""
                if current?.organization.isEmpty == true { current?.organization = organization }
                if fallbackNames.organization.isEmpty { fallbackNames.organization = organization }
            case "TITLE": if current?.title.isEmpty == true { current?.title = unescape(value) }
            case "NOTE":
                let note = unescape(value)
                if let existing = current?.notes, !existing.isEmpty {
                    current?.notes = existing + "\n\n" + note
                } else {
                    current?.notes = note
                }
            case "CATEGORIES": current?.tags += split(value, on: ",").map(unescape).filter { !$0.isEmpty }
            case "X-KITH-HOW-WE-MET": current?.howWeMet = unescape(value)
            default: break
            }
        }
        if let open = current { errors.append(ImportError(line: open.line, message: "vCard has no END:VCARD")) }
        return (contacts, errors)
    }

    /// A TEL value as Kith keeps it: a `tel:` URI (RFC 3966) becomes the number, with its
    /// extension as ` x102`; other URI parameters are dropped.
    static func telephone(_ raw: String) -> String {
        guard raw.lowercased().hasPrefix("tel:") else { return raw }
        let parts = raw.dropFirst(4).split(separator: ";")
        var number = String(parts.first ?? "")
        if let ext = parts.dropFirst().first(where: { $0.lowercased().hasPrefix("ext=") }) {
            number += " x" + ext.dropFirst(4)
        }
        return number
    }

    /// Joins folded lines (a line starting with a space or tab continues the previous one; in
    /// vCard 2.1 a quoted-printable value ending in `=` continues on the next line), numbering each
    /// logical line by where it starts. Works on bytes: a UTF-8 character split by a fold is whole
    /// again before it is decoded. Blank lines are dropped (iOS ends lines with CR CR LF). Each
    /// logical line is handed to `body` as soon as it is complete, so only one is held at a time
    /// (a 20 MB file is not copied again as a list of its lines).
    static func unfold(_ bytes: [UInt8], _ body: (_ number: Int, _ line: [UInt8]) -> Void) {
        var pending: (number: Int, line: [UInt8])?
        var continuesQuotedPrintable = false
        var number = 0
        var index = 0
        var start = 0
        func take(_ end: Int) {
            number += 1
            let physical = bytes[start..<end]
            defer { start = index }
            if continuesQuotedPrintable, pending != nil {
                pending!.line.removeLast()  // the soft line break's "="
                pending!.line += physical
            } else if let first = physical.first, first == 32 || first == 9, pending != nil {
                pending!.line += physical.dropFirst()
            } else if physical.isEmpty {
                return
            } else {
                if let done = pending { body(done.number, done.line) }
                pending = (number, Array(physical))
            }
            let last = pending!.line
            continuesQuotedPrintable = last.last == 61 && Property.isQuotedPrintable(last)
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 10 || byte == 13 {
                let end = index
                index += 1
                if byte == 13 && index < bytes.count && bytes[index] == 10 { index += 1 }
                take(end)
            } else {
                index += 1
            }
        }
        if start < bytes.count {
            index = bytes.count
            take(bytes.count)
        }
        if let done = pending { body(done.number, done.line) }
    }

    /// `[group.]NAME[;param=value…]:value`, with quoted parameter values that may hold ':'. vCard
    /// 2.1 parameters may be bare (`TEL;CELL;PREF:`, `;QUOTED-PRINTABLE`).
    struct Property {
        var name: String
        var parameters: [String: String]
        /// The value as text: quoted-printable decoded, then read in its CHARSET (else UTF-8,
        /// else Windows-1252 — 8-bit 2.1 files carry no charset).
        var text: String

        init?(_ line: [UInt8]) {
            guard let colon = Self.colon(in: line) else { return nil }
            let head = String(decoding: line[..<colon], as: UTF8.self).split(separator: ";", omittingEmptySubsequences: false)
            guard var name = head.first.map({ String($0).uppercased().trimmingCharacters(in: .whitespaces) }), !name.isEmpty,
                name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." })
            else { return nil }
            if let dot = name.lastIndex(of: ".") { name = String(name[name.index(after: dot)...]) }
            self.name = name
            var parameters: [String: String] = [:]
            for parameter in head.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1)
                guard let key = pair.first else { continue }
                let value = pair.count > 1 ? String(pair[1]).replacingOccurrences(of: "\"", with: "") : ""
                if pair.count == 1, ["QUOTED-PRINTABLE", "BASE64", "8BIT"].contains(key.uppercased()) {
                    parameters["ENCODING"] = key.uppercased()
                } else {
                    parameters[String(key).uppercased()] = value
                }
            }
            self.parameters = parameters
            var value = Array(line[(colon + 1)...])
            if parameters["ENCODING"]?.uppercased() == "QUOTED-PRINTABLE" { value = Self.quotedPrintable(value) }
            self.text = TextFile.decode(value, charset: parameters["CHARSET"])
        }

        static func colon(in line: [UInt8]) -> Int? {
            var inQuotes = false
            for (index, byte) in line.enumerated() {
                if byte == 34 { inQuotes.toggle() }
                if byte == 58 && !inQuotes { return index }
            }
            return nil
        }

        static func isQuotedPrintable(_ line: [UInt8]) -> Bool {
            guard let colon = colon(in: line) else { return false }
            return String(decoding: line[..<colon], as: UTF8.self).uppercased().contains("QUOTED-PRINTABLE")
        }

        /// RFC 2045 §6.7: `=XX` is a byte; anything else stands for itself.
        static func quotedPrintable(_ bytes: [UInt8]) -> [UInt8] {
            var result: [UInt8] = []
            result.reserveCapacity(bytes.count)
            var index = 0
            func hex(_ byte: UInt8) -> UInt8? {
                switch byte {
                case 48...57: byte - 48
                case 65...70: byte - 55
                case 97...102: byte - 87
                default: nil
                }
            }
            while index < bytes.count {
                if bytes[index] == 61, index + 2 < bytes.count, let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]) {
                    result.append(high << 4 | low)
                    index += 3
                } else {
                    result.append(bytes[index])
                    index += 1
                }
            }
            return result
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
            let lines =
                ["BEGIN:VCARD", "VERSION:\(version.rawValue)"] + properties(of: contact, version: version).map(\.line)
                + ["UID:urn:uuid:\(contact.id)", "END:VCARD"]
            output += lines.map(fold).joined()
        }
        return output
    }

    /// The properties Kith keeps for a contact, unfolded, each with the property name it writes
    /// (a CardDAV card replaces only those whose value changed, and keeps every other line).
    static func properties(of contact: Contact, version: Version) -> [(name: String, line: String)] {
        var lines: [(name: String, line: String)] = [("FN", "FN:" + escape(contact.name))]
        let words = contact.name.split(separator: " ").map(String.init)
        let family = words.count > 1 ? words.last ?? "" : ""
        let given = words.count > 1 ? words.dropLast().joined(separator: " ") : contact.name
        lines.append(("N", "N:\(escape(family));\(escape(given));;;"))
        for email in contact.emails {
            lines.append(("EMAIL", version == .v3 ? "EMAIL;TYPE=INTERNET:" + escape(email) : "EMAIL:" + escape(email)))
        }
        for phone in contact.phones {
            lines.append(("TEL", version == .v3 ? "TEL;TYPE=VOICE:" + escape(phone) : "TEL;VALUE=text:" + escape(phone)))
        }
        if !contact.organization.isEmpty { lines.append(("ORG", "ORG:" + escape(contact.organization))) }
        if !contact.title.isEmpty { lines.append(("TITLE", "TITLE:" + escape(contact.title))) }
        if !contact.tags.isEmpty { lines.append(("CATEGORIES", "CATEGORIES:" + contact.tags.map(escape).joined(separator: ","))) }
        if !contact.notes.isEmpty { lines.append(("NOTE", "NOTE:" + escape(contact.notes))) }
        if !contact.howWeMet.isEmpty { lines.append(("X-KITH-HOW-WE-MET", "X-KITH-HOW-WE-MET:" + escape(contact.howWeMet))) }
        return lines
    }
}
