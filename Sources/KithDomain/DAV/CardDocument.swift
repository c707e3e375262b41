public import Foundation

/// Why a card a client sent cannot be stored. Each names the CardDAV precondition (RFC 6352
/// §6.3.2.1) a server reports for it.
public enum CardProblem: Error, Equatable, Sendable {
    /// Not a single well-formed vCard with a UID and an FN (`valid-address-data`).
    case invalid(String)
    /// A vCard version Kith does not store (`supported-address-data`).
    case unsupportedVersion(String)
    /// Larger than `CardDocument.byteLimit` (`max-resource-size`).
    case tooLarge
    /// Another card of the address book has this UID (`no-uid-conflict`).
    case uidConflict(existing: String)

    public var message: String {
        switch self {
        case .invalid(let why): "The vCard \(why)."
        case .unsupportedVersion(let version): "vCard version \(version) is not supported; send 3.0 or 4.0."
        case .tooLarge: "The vCard is larger than \(CardDocument.byteLimit / 1024) KB."
        case .uidConflict(let existing): "Another card of this address book (\(existing)) has the same UID."
        }
    }
}

/// One vCard as a CardDAV client sent it, kept line for line so that what Kith does not model
/// (photos, birthdays, addresses, `X-` properties, `itemN.` groups and their labels) goes back to
/// the client byte for byte. Kith reads the properties it keeps (`VCard.parse`) and, when a
/// contact is edited in Kith, replaces only the lines of the fields that changed.
public struct CardDocument: Sendable, Equatable {
    /// Photos included; a phone's card with a large photo is still well under this.
    public static let byteLimit = 512 * 1024
    static let lineLimit = 5_000
    /// Lines in this group are written by Kith from a linked member's profile and never stored.
    static let profileGroup = "kith"

    struct Line: Sendable, Equatable {
        var group: String?
        var name: String
        /// The physical lines as received, folds included, joined by CRLF.
        var raw: String
    }

    var lines: [Line]
    public let version: VCard.Version
    public let uid: String

    /// Reads one vCard 3.0 or 4.0.
    public init(_ data: Data) throws(CardProblem) {
        guard data.count <= Self.byteLimit else { throw .tooLarge }
        guard let text = String(data: data, encoding: .utf8) else { throw .invalid("is not UTF-8 text") }
        var lines: [Line] = []
        var pending: [Substring] = []
        func close() throws(CardProblem) {
            guard !pending.isEmpty else { return }
            let raw = pending.joined(separator: "\r\n")
            let unfolded = pending.enumerated().map { $0.offset == 0 ? $0.element : $0.element.dropFirst() }.joined()
            guard let property = VCard.Property(Array(unfolded.utf8)) else {
                throw .invalid("has a line that is not a property: \(unfolded.prefix(40))")
            }
            let head = unfolded.prefix { $0 != ";" && $0 != ":" }
            let group = head.lastIndex(of: ".").map { String(head[..<$0]) }
            lines.append(Line(group: group, name: property.name, raw: raw))
            pending = []
        }
        for physical in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            if physical.first == " " || physical.first == "\t" {
                guard !pending.isEmpty else { throw .invalid("starts with a folded line") }
                pending.append(physical)
            } else {
                try close()
                pending = [physical]
            }
            if lines.count > Self.lineLimit { throw .invalid("has more than \(Self.lineLimit) lines") }
        }
        try close()
        func value(_ line: Line) -> String {
            let unfolded = line.raw.replacingOccurrences(of: "\r\n ", with: "").replacingOccurrences(of: "\r\n\t", with: "")
            return VCard.Property(Array(unfolded.utf8)).map { VCard.unescape($0.text) } ?? ""
        }
        guard let first = lines.first, first.name == "BEGIN", value(first).uppercased() == "VCARD",
            let last = lines.last, last.name == "END", value(last).uppercased() == "VCARD"
        else { throw .invalid("must start with BEGIN:VCARD and end with END:VCARD") }
        guard lines.filter({ $0.name == "BEGIN" || $0.name == "END" }).count == 2 else {
            throw .invalid("must hold exactly one card (no nested or further cards)")
        }
        guard let versionLine = lines.first(where: { $0.name == "VERSION" }) else { throw .invalid("has no VERSION") }
        guard let version = VCard.Version(rawValue: value(versionLine).trimmingCharacters(in: .whitespaces)) else {
            throw .unsupportedVersion(value(versionLine))
        }
        guard let uid = lines.first(where: { $0.name == "UID" }).map(value), !uid.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalid("has no UID")
        }
        guard uid.count <= 300 else { throw .invalid("has a UID longer than 300 characters") }
        guard lines.contains(where: { $0.name == "FN" && !value($0).trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw .invalid("has no FN (formatted name)")
        }
        self.lines = lines.filter { $0.group?.lowercased() != Self.profileGroup }
        self.version = version
        self.uid = uid.trimmingCharacters(in: .whitespaces)
    }

    /// The card as stored: CRLF line ends, the profile lines Kith writes left out.
    public var text: String {
        lines.map { $0.raw + "\r\n" }.joined()
    }

    /// What Kith keeps of this card as a contact's fields: values that break a contact rule (an
    /// email that is not an address) stay only in the card's own lines.
    public func contactInput() throws(CardProblem) -> ContactInput {
        guard let record = VCard.parse(Data(text.utf8)).contacts.first else { throw .invalid("has no usable name") }
        let input = ContactInput(record)
        guard let fields = ContactService.keepingWhatIsValid(input).0 else { throw .invalid("has an FN that is not a usable name") }
        var kept = input
        kept.name = fields.name
        kept.emails = fields.emails ?? []
        kept.phones = fields.phones ?? []
        kept.organization = fields.organization ?? ""
        kept.title = fields.title ?? ""
        kept.howWeMet = fields.howWeMet ?? ""
        kept.tags = fields.tags ?? []
        kept.notes = fields.notes ?? ""
        return kept
    }

    /// The card for `contact`: this card's own lines where Kith's fields still say what the card
    /// said, Kith's lines for the fields edited in Kith since, then `extra` (profile lines).
    func merged(with contact: Contact, extra: [String]) -> String {
        let kept = (try? contactInput()) ?? ContactInput()
        let changed = CardField.allCases.filter { $0.value(of: contact) != $0.value(of: kept) }
        let replaced = Set(changed.flatMap(\.properties))
        var output = ""
        for line in lines.dropLast() where !replaced.contains(line.name) {
            output += line.raw + "\r\n"
        }
        for property in VCard.properties(of: contact, version: version) where replaced.contains(property.name) {
            output += ContentLines.fold(property.line)
        }
        for line in extra { output += ContentLines.fold(line) }
        return output + (lines.last?.raw ?? "END:VCARD") + "\r\n"
    }
}

/// The contact fields a card carries, each with the vCard properties that hold it.
enum CardField: CaseIterable {
    case name, emails, phones, organization, title, notes, tags, howWeMet

    var properties: [String] {
        switch self {
        case .name: ["FN", "N"]
        case .emails: ["EMAIL"]
        case .phones: ["TEL"]
        case .organization: ["ORG"]
        case .title: ["TITLE"]
        case .notes: ["NOTE"]
        case .tags: ["CATEGORIES"]
        case .howWeMet: ["X-KITH-HOW-WE-MET"]
        }
    }

    func value(of contact: Contact) -> [String] {
        switch self {
        case .name: [contact.name]
        case .emails: contact.emails
        case .phones: contact.phones
        case .organization: [contact.organization]
        case .title: [contact.title]
        case .notes: [contact.notes]
        case .tags: contact.tags
        case .howWeMet: [contact.howWeMet]
        }
    }

    func value(of input: ContactInput) -> [String] {
        switch self {
        case .name: [input.name ?? ""]
        case .emails: input.emails ?? []
        case .phones: input.phones ?? []
        case .organization: [input.organization ?? ""]
        case .title: [input.title ?? ""]
        case .notes: [input.notes ?? ""]
        case .tags: input.tags ?? []
        case .howWeMet: [input.howWeMet ?? ""]
        }
    }
}
