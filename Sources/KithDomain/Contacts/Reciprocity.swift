public import Foundation

/// Help given and received with one contact (or overall), by kind of help.
public struct LedgerEntry: Sendable, Equatable {
    public var given: Int = 0
    public var received: Int = 0
    public var givenByKind: [HelpKind: Int] = [:]
    public var receivedByKind: [HelpKind: Int] = [:]

    public init() {}

    /// Positive: the owner has given more than received.
    public var balance: Int { given - received }

    mutating func add(_ count: LedgerCount) {
        switch count.side {
        case .given:
            given += count.count
            givenByKind[count.help, default: 0] += count.count
        case .received:
            received += count.count
            receivedByKind[count.help, default: 0] += count.count
        }
    }
}

/// The reciprocity ledger of one member: per contact, and the totals.
public struct ReciprocityReport: Sendable {
    public struct Row: Sendable {
        public var contact: Contact
        public var entry: LedgerEntry
    }

    public var rows: [Row]
    public var totals: LedgerEntry
}

public enum Reciprocity {
    static func entry(for contact: Contact.ID, in counts: [LedgerCount]) -> LedgerEntry {
        var entry = LedgerEntry()
        for count in counts where count.contactID == contact { entry.add(count) }
        return entry
    }
}

extension ContactService {
    /// Per contact who has a ledger, most out of balance (owner received more) first, and totals.
    public func reciprocity(owner: Member) async throws -> ReciprocityReport {
        let counts = try await contactsRepository.ledger(of: owner.id)
        var entries: [Contact.ID: LedgerEntry] = [:]
        var totals = LedgerEntry()
        for count in counts {
            entries[count.contactID, default: LedgerEntry()].add(count)
            totals.add(count)
        }
        let byID = Dictionary(uniqueKeysWithValues: try await contactsRepository.allContacts(of: owner.id).map { ($0.id, $0) })
        let rows = entries.compactMap { id, entry in byID[id].map { ReciprocityReport.Row(contact: $0, entry: entry) } }
            .sorted { ($0.entry.balance, $0.contact.name) < ($1.entry.balance, $1.contact.name) }
        return ReciprocityReport(rows: rows, totals: totals)
    }
}

/// What the viewer's own relationship manager knows about a member they are looking at.
public struct PersonalContext: Sendable, Equatable {
    public var contactID: Contact.ID?
    public var helpGiven: Int
}

extension ContactService {
    /// For each member, the viewer's contact for them (if any) and how often the viewer has
    /// helped them — shown only to the viewer, e.g. "give before you ask" beside an introduction path.
    public func personalContext(for members: [Member.ID], owner: Member) async throws -> [Member.ID: PersonalContext] {
        var result: [Member.ID: PersonalContext] = [:]
        var ledger: [LedgerCount]?
        for member in Set(members) {
            guard let contact = try await contactsRepository.contact(linkedTo: member, owner: owner.id) else {
                result[member] = PersonalContext(contactID: nil, helpGiven: 0)
                continue
            }
            if ledger == nil { ledger = try await contactsRepository.ledger(of: owner.id) }
            result[member] = PersonalContext(contactID: contact.id, helpGiven: Reciprocity.entry(for: contact.id, in: ledger ?? []).given)
        }
        return result
    }
}

extension ContactService {
    /// Help the owner received since `since` and has not been in touch about since: someone to
    /// thank (the weekly plan offers the newest). Private to the owner, like the rest of the ledger.
    public func thanksDue(owner: Member, since: Date, limit: Int = 3) async throws -> [(contact: Contact, help: Interaction)] {
        var due: [(contact: Contact, help: Interaction)] = []
        for help in try await contactsRepository.unthankedHelp(of: owner.id, since: since, limit: limit) {
            if let contact = try await contactsRepository.contact(help.contactID, owner: owner.id) { due.append((contact, help)) }
        }
        return due
    }
}

extension HelpKind {
    /// "Thank Ana for the introduction."
    public var thanksPhrase: String {
        switch self {
        case .intro: "the introduction"
        case .referral: "the referral"
        case .advice: "the advice"
        case .feedback: "the feedback"
        case .other: "their help"
        }
    }
}
