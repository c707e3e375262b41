public import Foundation

public enum ContactFileFormat: String, Sendable, CaseIterable {
    case vcard
    case linkedinCSV = "linkedin_csv"

    /// Guesses from the content: vCards start with BEGIN:VCARD.
    public static func detect(_ text: String) -> ContactFileFormat {
        text.prefix(2_000).uppercased().contains("BEGIN:VCARD") ? .vcard : .linkedinCSV
    }

    public static func detect(_ data: Data) -> ContactFileFormat {
        detect(TextFile.decode(TextFile.utf8Bytes(data.prefix(4_000))))
    }

    public static func parse(_ raw: String?, field: String = "format") throws(DomainError) -> ContactFileFormat? {
        guard let raw, !raw.isEmpty else { return nil }
        guard let format = ContactFileFormat(rawValue: raw) else {
            throw .invalid(field: field, reason: "must be vcard or linkedin_csv")
        }
        return format
    }
}

/// What an import did: new contacts, contacts that gained details, records that added nothing,
/// and the lines that could not be read.
extension ContactInput {
    /// A record read from a file (or a CardDAV card), as the fields a contact would take.
    init(_ record: ImportedContact) {
        self.init(
            name: record.name,
            emails: record.emails,
            phones: record.phones,
            organization: record.organization,
            title: record.title,
            howWeMet: record.howWeMet,
            tags: record.tags,
            notes: record.notes
        )
    }
}

public struct ImportReport: Sendable, Equatable, Codable {
    public var created: Int = 0
    public var merged: Int = 0
    public var skipped: Int = 0
    public var errors: [ImportError] = []

    public init() {}
}

extension ContactService {
    /// The largest file an import accepts.
    public static let importByteLimit = 20 * 1024 * 1024

    /// Imports a vCard or LinkedIn file into the owner's contacts. Duplicates — by any email, or
    /// by name and organisation — merge into the contact already there (new emails, phones and
    /// tags are added, empty fields filled) instead of creating a second one. All or nothing: the
    /// contacts are stored in one transaction.
    public func importContacts(
        _ text: String,
        format: ContactFileFormat?,
        owner: Member,
        progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) async throws -> ImportReport {
        try await importContacts(Data(text.utf8), format: format, owner: owner, progress: progress)
    }

    /// Imports a file as its bytes, so that its own encoding is read (UTF-16, a vCard 2.1
    /// CHARSET, Windows-1252) rather than guessed after the fact.
    public func importContacts(
        _ file: Data,
        format: ContactFileFormat?,
        owner: Member,
        progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) async throws -> ImportReport {
        guard file.count <= Self.importByteLimit else {
            throw DomainError.invalid(field: "file", reason: "must be at most \(Self.importByteLimit / 1024 / 1024) MB")
        }
        let parsed =
            switch format ?? ContactFileFormat.detect(file) {
            case .vcard: VCard.parse(file)
            case .linkedinCSV: LinkedInConnections.parse(TextFile.decode(file))
            }
        var report = ImportReport()
        report.errors = parsed.errors
        let moment = clock()
        let cadences = try await tagCadenceMap(owner)
        var contactsByID: [Contact.ID: Contact] = [:]
        var order: [Contact.ID] = []
        var byEmail: [String: Contact.ID] = [:]
        var byNameAndOrganization: [String: Contact.ID] = [:]
        let existing = try await contactsRepository.allContacts(of: owner.id)
        func index(_ contact: Contact) {
            for email in contact.emails { byEmail[email.lowercased()] = contact.id }
            byNameAndOrganization[Text.key(contact.name) + "\u{1F}" + Text.key(contact.organization)] = contact.id
        }
        for contact in existing {
            contactsByID[contact.id] = contact
            index(contact)
        }
        var created: Set<Contact.ID> = []
        var merged: Set<Contact.ID> = []
        let total = parsed.contacts.count
        for (done, record) in parsed.contacts.enumerated() {
            if done % 500 == 0 { progress?(done, total) }
            let input = ContactInput(record)
            // A value that breaks a rule costs the contact only that value, reported by line; the
            // contact itself is lost only when it has no usable name.
            let (checked, dropped) = Self.keepingWhatIsValid(input)
            for problem in dropped {
                report.errors.append(ImportError(line: record.line, message: "\(problem.field) \(problem.message); imported without it"))
            }
            guard let fields = checked else {
                report.errors.append(ImportError(line: record.line, message: "name is not usable; the contact was not imported"))
                continue
            }
            var incoming = Contact(id: .make(at: moment), ownerID: owner.id, name: "", createdAt: moment, updatedAt: moment)
            fields.apply(to: &incoming)
            let match =
                incoming.emails.lazy.compactMap { byEmail[$0] }.first
                ?? byNameAndOrganization[Text.key(incoming.name) + "\u{1F}" + Text.key(incoming.organization)]
            if let id = match, var current = contactsByID[id] {
                guard Self.merge(incoming, into: &current) else {
                    report.skipped += 1
                    continue
                }
                current.updatedAt = moment
                current.nextDueAt = rules.state(of: current, tagCadences: cadences, now: moment).nextDueAt
                contactsByID[id] = current
                index(current)
                if !created.contains(id) { merged.insert(id) }
                report.merged += 1
            } else {
                guard contactsByID.count < Self.contactLimit else {
                    report.errors.append(
                        ImportError(line: record.line, message: "you already keep \(Self.contactLimit) contacts, the most allowed")
                    )
                    continue
                }
                incoming.nextDueAt = rules.state(of: incoming, tagCadences: cadences, now: moment).nextDueAt
                contactsByID[incoming.id] = incoming
                order.append(incoming.id)
                created.insert(incoming.id)
                index(incoming)
                report.created += 1
            }
        }
        progress?(total, total)
        try await contactsRepository.save(
            created: order.compactMap { contactsByID[$0] },
            merged: merged.compactMap { contactsByID[$0] }
        )
        return report
    }

    /// The CLI's form: the owner named by handle.
    public func importContacts(
        _ file: Data,
        format: ContactFileFormat?,
        ownerHandle raw: String,
        progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) async throws -> ImportReport {
        guard let handle = try? Handle(raw), let owner = try await membersRepository.member(handle: handle) else {
            throw DomainError.notFound("member @\(raw)")
        }
        return try await importContacts(file, format: format, owner: owner, progress: progress)
    }

    /// Adds what `incoming` knows and `current` does not; false when nothing was new.
    /// The contact's fields with every value that breaks a rule left out (and named in the
    /// second list), or nil when even the name breaks one.
    static func keepingWhatIsValid(_ input: ContactInput) -> (ContactFields?, [FieldError]) {
        var input = input
        var dropped: [FieldError] = []
        for _ in 0..<3 {
            do throws(DomainError) {
                return (try ContactFields(input, creating: true), dropped)
            } catch {
                guard case .invalid(let problems) = error else { return (nil, dropped) }
                var phones: [Int] = []
                var emails: [Int] = []
                for problem in problems {
                    let field = problem.field
                    if field == "name" { return (nil, dropped + [problem]) }
                    if let index = Self.index(in: field, of: "phones") {
                        phones.append(index)
                    } else if let index = Self.index(in: field, of: "emails") {
                        emails.append(index)
                    } else if field == "phones" {
                        input.phones = Array((input.phones ?? []).prefix(ContactFields.maxPhones))
                    } else if field == "emails" {
                        input.emails = Array((input.emails ?? []).prefix(ContactFields.maxEmails))
                    } else if field.hasPrefix("tags") {
                        input.tags = nil
                    } else {
                        switch field {
                        case "organization": input.organization = nil
                        case "title": input.title = nil
                        case "notes": input.notes = nil
                        case "how_we_met": input.howWeMet = nil
                        default: return (nil, dropped + [problem])
                        }
                    }
                    let value: String =
                        if let index = Self.index(in: field, of: "phones") {
                            " (\(input.phones?[index] ?? ""))"
                        } else if let index = Self.index(
                            in: field,
                            of: "emails"
                        ) { " (\(input.emails?[index] ?? ""))" } else { "" }
                    dropped.append(FieldError(field: field + value, message: problem.message))
                }
                input.phones = input.phones.map { list in list.enumerated().filter { !phones.contains($0.offset) }.map(\.element) }
                input.emails = input.emails.map { list in list.enumerated().filter { !emails.contains($0.offset) }.map(\.element) }
            }
        }
        return (nil, dropped)
    }

    private static func index(in field: String, of list: String) -> Int? {
        guard field.hasPrefix(list + "["), field.hasSuffix("]") else { return nil }
        return Int(field.dropFirst(list.count + 1).dropLast())
    }

    static func merge(_ incoming: Contact, into current: inout Contact) -> Bool {
        let before = current
        for email in incoming.emails where !current.emails.contains(email) && current.emails.count < ContactFields.maxEmails {
            current.emails.append(email)
        }
        for phone in incoming.phones where !current.phones.contains(phone) && current.phones.count < ContactFields.maxPhones {
            current.phones.append(phone)
        }
        for tag in incoming.tags
        where !current.tags.contains(where: { Text.key($0) == Text.key(tag) }) && current.tags.count < ContactFields.maxTags {
            current.tags.append(tag)
        }
        if current.organization.isEmpty { current.organization = incoming.organization }
        if current.title.isEmpty { current.title = incoming.title }
        if current.howWeMet.isEmpty { current.howWeMet = incoming.howWeMet }
        if current.notes.isEmpty { current.notes = incoming.notes }
        return current != before
    }

    /// The owner's contacts as vCards.
    public func exportVCards(owner: Member, version rawVersion: String?) async throws -> String {
        var version = VCard.Version.v4
        if let rawVersion, !rawVersion.isEmpty {
            guard let parsed = VCard.Version(rawValue: rawVersion) else {
                throw DomainError.invalid(field: "version", reason: "must be 3.0 or 4.0")
            }
            version = parsed
        }
        return VCard.write(try await contactsRepository.allContacts(of: owner.id), version: version)
    }
}
