public import Foundation

/// Where a contact stands in the member's address book: its resource name and UID (as a client
/// chose them, or Kith's own for contacts made in Kith), and the change number of its last edit.
public struct CardRecord: Sendable, Equatable {
    public var contactID: Contact.ID
    public var name: String
    public var uid: String
    public var revision: Int64
    /// The linked member's profile, when the contact is one: its last change is part of the ETag,
    /// because the card carries the fields of it the owner may see.
    public var linkedMember: Member.ID?
    public var profileUpdatedAt: Date?

    public init(
        contactID: Contact.ID,
        name: String,
        uid: String,
        revision: Int64,
        linkedMember: Member.ID? = nil,
        profileUpdatedAt: Date? = nil
    ) {
        self.contactID = contactID
        self.name = name
        self.uid = uid
        self.revision = revision
        self.linkedMember = linkedMember
        self.profileUpdatedAt = profileUpdatedAt
    }

    /// A strong ETag: it changes whenever the card's bytes can.
    public var etag: String {
        let profile = linkedMember == nil ? "" : "-\(AddressBookToken.millis(profileUpdatedAt ?? Date(timeIntervalSince1970: 0)))"
        return "\"\(revision)\(profile)\""
    }
}

/// A stored card: where it stands, the contact, and the vCard as its client last sent it (nil
/// for a contact made in Kith).
public struct StoredCard: Sendable {
    public var record: CardRecord
    public var contact: Contact
    public var source: String?

    public init(record: CardRecord, contact: Contact, source: String?) {
        self.record = record
        self.contact = contact
        self.source = source
    }
}

/// What changed in an address book since a sync token.
public struct AddressBookChanges: Sendable {
    public var token: AddressBookToken
    public var changed: [CardRecord]
    public var deleted: [String]

    public init(token: AddressBookToken, changed: [CardRecord], deleted: [String]) {
        self.token = token
        self.changed = changed
        self.deleted = deleted
    }
}

/// A CardDAV sync token: the address book's change number, and the moment up to which linked
/// members' profile changes are reported.
public struct AddressBookToken: Sendable, Equatable {
    public var revision: Int64
    public var profilesUntil: Int64

    public init(revision: Int64, profilesUntil: Int64) {
        self.revision = revision
        self.profilesUntil = profilesUntil
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// `<revision>-<milliseconds>`, the part after the collection's sync namespace.
    public var text: String { "\(revision)-\(profilesUntil)" }

    public init?(_ text: Substring) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let revision = Int64(parts[0]), let until = Int64(parts[1]), revision >= 0, until >= 0 else {
            return nil
        }
        self.init(revision: revision, profilesUntil: until)
    }
}

/// Storage of the address book side of contacts (card names, UIDs, sources, change numbers,
/// tombstones). Each write bumps the owner's change number in the same transaction, so a sync
/// token never skips a change.
public protocol AddressBookRepository: Sendable {
    /// The address book's change number, and the last change of any linked member's profile.
    func state(of owner: Member.ID) async throws -> AddressBookToken
    func records(of owner: Member.ID) async throws -> [CardRecord]
    func cards(of owner: Member.ID, named names: [String]) async throws -> [StoredCard]
    func card(of owner: Member.ID, uid: String) async throws -> CardRecord?
    func count(of owner: Member.ID) async throws -> Int
    /// Cards changed after `revision` or whose linked profile changed after `profilesSince`, and
    /// names deleted after `revision`.
    func changes(
        of owner: Member.ID,
        since revision: Int64,
        profilesSince: Date
    ) async throws -> (
        changed: [CardRecord], deleted: [String]
    )
    /// Stores the contact with its card identity and source (inserting when `creating`).
    func save(_ contact: Contact, name: String, uid: String, source: String, creating: Bool) async throws
}

/// The member's contacts as a CardDAV address book, two-way: what a client PUTs becomes the
/// contact (the fields Kith keeps) and the card (every other line, kept as sent); edits in Kith
/// show in the client's next sync; deletes go both ways.
public struct AddressBook: Sendable {
    /// Cards one address book may hold (each a contact, so the same as the contacts limit).
    public static var cardLimit: Int { ContactService.contactLimit }

    let contacts: ContactService
    let cards: any AddressBookRepository
    let now: @Sendable () -> Date

    public init(contacts: ContactService, cards: any AddressBookRepository, now: @escaping @Sendable () -> Date) {
        self.contacts = contacts
        self.cards = cards
        self.now = now
    }

    public enum PutOutcome: Sendable, Equatable {
        case created(etag: String)
        case updated(etag: String)
    }

    /// A precondition of the request itself (If-Match, If-None-Match) that does not hold.
    public struct PreconditionFailed: Error {}

    public func records(of owner: Member) async throws -> [CardRecord] {
        try await cards.records(of: owner.id)
    }

    public func token(of owner: Member) async throws -> AddressBookToken {
        try await cards.state(of: owner.id)
    }

    /// The cards as vCards (in the version asked for when Kith writes the whole card), in order.
    public func vCards(
        of owner: Member,
        named names: [String],
        version: VCard.Version? = nil,
        publicURL: String,
        links: any PageLinks
    ) async throws -> [(record: CardRecord, text: String)] {
        var output: [(CardRecord, String)] = []
        for card in try await cards.cards(of: owner.id, named: names) {
            output.append((card.record, try await text(of: card, owner: owner, version: version, publicURL: publicURL, links: links)))
        }
        return output
    }

    /// Stores a card a client PUT at `name`.
    public func put(
        _ body: Data,
        name: String,
        owner: Member,
        ifMatch: String?,
        ifNoneMatch: String?
    ) async throws -> PutOutcome {
        let document = try CardDocument(body)
        let input = try document.contactInput()
        let existing = try await cards.cards(of: owner.id, named: [name]).first
        if let ifNoneMatch, ifNoneMatch == "*" || ifNoneMatch.contains(existing?.record.etag ?? "\u{0}"), existing != nil {
            throw PreconditionFailed()
        }
        if let ifMatch, ifMatch != "*" || existing == nil {
            guard let existing,
                ifMatch.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }).contains(existing.record.etag)
            else { throw PreconditionFailed() }
        }
        if let other = try await cards.card(of: owner.id, uid: document.uid), other.name != name {
            throw CardProblem.uidConflict(existing: other.name)
        }
        let fields = try ContactFields(input, creating: true)
        let moment = now()
        var contact: Contact
        if let existing {
            contact = existing.contact
            contact.updatedAt = moment
        } else {
            guard try await cards.count(of: owner.id) < Self.cardLimit else {
                throw DomainError.conflict(field: nil, message: "The address book holds \(Self.cardLimit) cards, the most allowed.")
            }
            contact = Contact(id: .make(at: moment), ownerID: owner.id, name: "", createdAt: moment, updatedAt: moment)
        }
        fields.apply(to: &contact)
        try await cards.save(contact, name: name, uid: document.uid, source: document.text, creating: existing == nil)
        _ = try await contacts.storeDue(contact, owner: owner)
        let record = try await cards.cards(of: owner.id, named: [name]).first?.record
        let etag = record?.etag ?? ""
        return existing == nil ? .created(etag: etag) : .updated(etag: etag)
    }

    /// Deletes the card at `name` (and its contact, with its history).
    public func delete(name: String, owner: Member, ifMatch: String?) async throws {
        guard let existing = try await cards.cards(of: owner.id, named: [name]).first else { throw DomainError.notFound("card") }
        if let ifMatch, ifMatch != "*",
            !ifMatch.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }).contains(existing.record.etag)
        {
            throw PreconditionFailed()
        }
        try await contacts.delete(existing.contact.id.description, owner: owner)
    }

    /// What changed since `token`; nil when the token is not one this address book gave.
    public func changes(of owner: Member, since token: AddressBookToken) async throws -> AddressBookChanges? {
        let current = try await self.token(of: owner)
        guard token.revision <= current.revision, token.profilesUntil <= current.profilesUntil else { return nil }
        let (changed, deleted) = try await cards.changes(
            of: owner.id,
            since: token.revision,
            profilesSince: Date(timeIntervalSince1970: Double(token.profilesUntil) / 1000)
        )
        return AddressBookChanges(token: current, changed: changed, deleted: deleted)
    }

    func text(of card: StoredCard, owner: Member, version: VCard.Version?, publicURL: String, links: any PageLinks) async throws -> String {
        let extra = try await profileLines(of: card, owner: owner, publicURL: publicURL, links: links)
        if let source = card.source, let document = try? CardDocument(Data(source.utf8)) {
            return document.merged(with: card.contact, extra: extra)
        }
        let version = version ?? .v4
        let lines =
            ["BEGIN:VCARD", "VERSION:\(version.rawValue)"] + VCard.properties(of: card.contact, version: version).map(\.line)
            + ["UID:" + card.record.uid] + extra + ["END:VCARD"]
        return lines.map(ContentLines.fold).joined()
    }

    /// What a linked member's profile shows the owner, as lines of the `kith.` group (which a
    /// client's PUT never stores): the profile's address, and the contact details, headline and
    /// current employer the member lets the owner see.
    func profileLines(of card: StoredCard, owner: Member, publicURL: String, links: any PageLinks) async throws -> [String] {
        guard let memberID = card.contact.memberID, let member = try await contacts.membersRepository.member(id: memberID),
            let profile = try? await contacts.profileService.view(handle: member.handle.rawValue, by: owner)
        else { return [] }
        let group = CardDocument.profileGroup
        var lines = ["\(group).URL:" + publicURL + links.member(member.handle)]
        if card.contact.title.isEmpty, !profile.headline.isEmpty { lines.append("\(group).TITLE:" + ContentLines.escape(profile.headline)) }
        if card.contact.organization.isEmpty,
            let employer = profile.affiliations?.first(where: { $0.kind == .employer && $0.endYear == nil })
        {
            lines.append("\(group).ORG:" + ContentLines.escape(employer.organization))
        }
        if let details = profile.contact {
            if !details.email.isEmpty, !card.contact.emails.contains(details.email) {
                lines.append("\(group).EMAIL:" + ContentLines.escape(details.email))
            }
            if !details.phone.isEmpty, !card.contact.phones.contains(details.phone) {
                lines.append("\(group).TEL:" + ContentLines.escape(details.phone))
            }
            if !details.website.isEmpty { lines.append("\(group).URL:" + ContentLines.escape(details.website)) }
        }
        return lines
    }
}
