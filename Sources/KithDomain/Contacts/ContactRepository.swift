public import Foundation

/// What the contacts list may be narrowed to. Ordered by name, keyset-paginated.
public struct ContactQuery: Sendable {
    public var text: String?
    public var tag: String?
    public var status: ContactStatus?
    public var after: [String]?
    public var limit: Int

    public init(text: String? = nil, tag: String? = nil, status: ContactStatus? = nil, after: [String]? = nil, limit: Int = 50) {
        self.text = text
        self.tag = tag
        self.status = status
        self.after = after
        self.limit = limit
    }
}

/// One row of the reciprocity ledger: how often help of one kind went one way with one contact.
public struct LedgerCount: Sendable, Equatable {
    public var contactID: Contact.ID
    public var side: LedgerSide
    public var help: HelpKind
    public var count: Int

    public init(contactID: Contact.ID, side: LedgerSide, help: HelpKind, count: Int) {
        self.contactID = contactID
        self.side = side
        self.help = help
        self.count = count
    }
}

/// Storage of the private relationship manager. Every read and write is scoped to the owner:
/// a contact, interaction or follow-up of someone else is simply not found.
public protocol ContactRepository: Sendable {
    func insert(_ contact: Contact) async throws
    /// Replaces the stored fields of the owner's contact; false when it is not theirs.
    func update(_ contact: Contact) async throws -> Bool
    func delete(_ id: Contact.ID, owner: Member.ID) async throws -> Bool
    func contact(_ id: Contact.ID, owner: Member.ID) async throws -> Contact?
    /// The contact of the owner linked to a member, if any.
    func contact(linkedTo member: Member.ID, owner: Member.ID) async throws -> Contact?
    func contacts(of owner: Member.ID, matching query: ContactQuery) async throws -> [Contact]
    /// Every contact of the owner (keep-in-touch, dedupe on import, export).
    func allContacts(of owner: Member.ID) async throws -> [Contact]
    /// Stores new contacts and replaces merged ones in one transaction (imports).
    func save(created: [Contact], merged: [Contact]) async throws
    /// Rewrites the stored next-due moments of the owner's contacts (after a cadence change).
    func setNextDue(_ dueDates: [Contact.ID: Date?], owner: Member.ID) async throws
    /// The stored next-due moment of a contact (what reminders scan).
    func store(nextDue: Date?, of contact: Contact.ID, owner: Member.ID) async throws

    /// Moves the source's interactions and follow-ups to `target`, stores `target` as given (with
    /// its interaction count and last interaction recomputed) and deletes the source — one transaction.
    func merge(_ source: Contact.ID, into target: Contact) async throws -> Contact?

    /// Stores the interaction and moves the contact's last-interaction time and count on, in one transaction.
    func log(_ interaction: Interaction) async throws -> Contact?
    func interactions(of contact: Contact.ID, owner: Member.ID) async throws -> [Interaction]
    func allInteractions(of owner: Member.ID) async throws -> [Interaction]
    func ledger(of owner: Member.ID) async throws -> [LedgerCount]
    /// Help the owner received since `since` and has not been in touch about since (no later
    /// interaction of another kind with that contact), newest first.
    func unthankedHelp(of owner: Member.ID, since: Date, limit: Int) async throws -> [Interaction]

    func insert(_ followUp: FollowUp) async throws
    func followUp(_ id: FollowUp.ID, owner: Member.ID) async throws -> FollowUp?
    func complete(_ id: FollowUp.ID, owner: Member.ID, at: Date) async throws -> FollowUp?
    func followUps(of owner: Member.ID, contact: Contact.ID?, includeDone: Bool) async throws -> [FollowUp]

    func tagCadences(of owner: Member.ID) async throws -> [TagCadence]
    func setTagCadence(_ cadence: TagCadence, owner: Member.ID) async throws
    func deleteTagCadence(tag: String, owner: Member.ID) async throws -> Bool
}
