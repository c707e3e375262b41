public import Foundation

public enum ContactFileFormat: String, Sendable, CaseIterable {
    case vcard
    case linkedinCSV = "linkedin_csv"

    /// Guesses from the content: vCards start with BEGIN:VCARD.
    public static func detect(_ text: String) -> ContactFileFormat {
        text.prefix(2_000).uppercased().contains("BEGIN:VCARD") ? .vcard : .linkedinCSV
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
        guard text.utf8.count <= Self.importByteLimit else {
            throw DomainError.invalid(field: "file", reason: "must be at most \(Self.importByteLimit / 1024 / 1024) MB")
        }
        let parsed =
            switch format ?? ContactFileFormat.detect(text) {
            case .vcard: VCard.parse(text)
            case .linkedinCSV: LinkedInConnections.parse(text)
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
            let input = ContactInput(
                name: record.name,
                emails: record.emails,
                phones: record.phones,
                organization: record.organization,
                title: record.title,
                howWeMet: record.howWeMet,
                tags: record.tags,
                notes: record.notes
            )
            let fields: ContactFields
            switch Result(catching: { () throws(DomainError) in try ContactFields(input, creating: true) }) {
            case .success(let valid): fields = valid
            case .failure(let error):
                report.errors.append(ImportError(line: record.line, message: error.message))
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
        _ text: String,
        format: ContactFileFormat?,
        ownerHandle raw: String,
        progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) async throws -> ImportReport {
        guard let handle = try? Handle(raw), let owner = try await membersRepository.member(handle: handle) else {
            throw DomainError.notFound("member @\(raw)")
        }
        return try await importContacts(text, format: format, owner: owner, progress: progress)
    }

    /// Adds what `incoming` knows and `current` does not; false when nothing was new.
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
