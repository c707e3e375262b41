public import Foundation

/// A contact as its owner sees it in lists: the stored fields, where keeping in touch stands,
/// and the handle of the member it is linked to.
public struct ContactView: Sendable, Equatable {
    public var contact: Contact
    public var state: KeepInTouchState
    public var memberHandle: Handle?

    public var status: ContactStatus { state.status }
}

/// Everything the contact page shows.
public struct ContactDetail: Sendable {
    public var view: ContactView
    /// The linked member's profile as the owner may see it, read live (so it stays in sync).
    public var profile: ProfileView?
    public var interactions: [Interaction]
    public var followUps: [FollowUp]
    public var ledger: LedgerEntry
    /// Shown when the owner has received help from this person but never given any.
    public var giveBeforeYouAsk: Bool
}

/// The private relationship manager: contacts, their interaction timeline, follow-ups and
/// keep-in-touch. Every call acts for `owner` only; other members' records answer "not found".
public struct ContactService: Sendable {
    private let contacts: any ContactRepository
    var contactsRepository: any ContactRepository { contacts }
    var membersRepository: any MemberRepository { members }
    var profileService: ProfileService { profiles }
    var clock: @Sendable () -> Date { now }
    private let members: any MemberRepository
    private let profiles: ProfileService
    private let blocks: any BlockRepository
    private let graph: NetworkGraph?
    public let rules: KeepInTouchRules
    private let now: @Sendable () -> Date

    /// The most contacts one member may keep.
    public static let contactLimit = 50_000

    /// Uploaded imports read at once by this instance (each holds its file and its parse in
    /// memory); the web layer takes a slot before it reads the upload.
    public let importSlots = WorkSlots(slots: 2, maxWaiting: 8)

    public init(
        contacts: any ContactRepository,
        members: any MemberRepository,
        profiles: ProfileService,
        blocks: any BlockRepository,
        graph: NetworkGraph?,
        rules: KeepInTouchRules = KeepInTouchRules(),
        now: @escaping @Sendable () -> Date
    ) {
        self.contacts = contacts
        self.members = members
        self.profiles = profiles
        self.blocks = blocks
        self.graph = graph
        self.rules = rules
        self.now = now
    }

    // MARK: Contacts

    public func create(_ input: ContactInput, owner: Member) async throws -> ContactView {
        let fields = try ContactFields(input, creating: true)
        let moment = now()
        var contact = Contact(id: .make(at: moment), ownerID: owner.id, name: "", createdAt: moment, updatedAt: moment)
        fields.apply(to: &contact)
        contact.memberID = try await linkedMember(input.member, owner: owner)
        try await contacts.insert(contact)
        return try await storeDue(contact, owner: owner)
    }

    public func update(_ rawID: String, with input: ContactInput, owner: Member) async throws -> ContactView {
        let fields = try ContactFields(input, creating: false)
        var contact = try await stored(rawID, owner: owner)
        fields.apply(to: &contact)
        if input.member != nil { contact.memberID = try await linkedMember(input.member, owner: owner) }
        contact.updatedAt = now()
        guard try await contacts.update(contact) else { throw DomainError.notFound("contact") }
        return try await storeDue(contact, owner: owner)
    }

    public func delete(_ rawID: String, owner: Member) async throws {
        let id = try contactID(rawID)
        guard try await contacts.delete(id, owner: owner.id) else { throw DomainError.notFound("contact") }
    }

    public func contact(_ rawID: String, owner: Member) async throws -> ContactDetail {
        let contact = try await stored(rawID, owner: owner)
        let view = try await self.view(contact, owner: owner, cadences: tagCadenceMap(owner))
        var profile: ProfileView?
        if let handle = view.memberHandle { profile = try? await profiles.view(handle: handle.rawValue, by: owner) }
        let ledger = Reciprocity.entry(for: contact.id, in: try await contacts.ledger(of: owner.id))
        return ContactDetail(
            view: view,
            profile: profile,
            interactions: try await contacts.interactions(of: contact.id, owner: owner.id),
            followUps: try await contacts.followUps(of: owner.id, contact: contact.id, includeDone: true),
            ledger: ledger,
            giveBeforeYouAsk: ledger.given == 0
        )
    }

    public func list(
        text: String?,
        tag: String?,
        status rawStatus: String?,
        after: String?,
        limit: String?,
        owner: Member
    )
        async throws -> Page<ContactView>
    {
        var check = Validation()
        let size = check.capture { try PageSize(limit) }
        let cursor = check.capture { try Cursor.decode(after, parts: 2) } ?? nil
        let text = check.capture { try Text.clean(text ?? "", field: "q", max: 100) }
        let tag = check.capture { try Text.clean(tag ?? "", field: "tag", max: 40) }
        var status: ContactStatus?
        if let rawStatus, !rawStatus.isEmpty {
            status = ContactStatus(rawValue: rawStatus)
            if status == nil { check.fail("status", "must be one of ok, due, overdue, dormant") }
        }
        try check.throwIfFailed()
        let limit = size?.value ?? PageSize.default.value
        let cadences = try await tagCadenceMap(owner)
        var query = ContactQuery(text: text, tag: tag, after: cursor, limit: limit + 1)
        var views: [ContactView] = []
        // Status is derived, so a status filter reads on until the page is full.
        while true {
            let batch = try await contacts.contacts(of: owner.id, matching: query)
            for contact in batch.prefix(query.limit) {
                let view = try await self.view(contact, owner: owner, cadences: cadences)
                if status == nil || view.status == status { views.append(view) }
            }
            guard status != nil, views.count <= limit, batch.count == query.limit, let last = batch.last else { break }
            query.after = [Text.key(last.name), last.id.description]
        }
        let page = Array(views.prefix(limit))
        let next = views.count > limit ? page.last.map { Cursor.encode([Text.key($0.contact.name), $0.contact.id.description]) } : nil
        return Page(items: page, next: next)
    }

    // MARK: Interactions and follow-ups

    /// Logs an interaction; the contact's keep-in-touch timer starts again from it.
    public func log(_ input: InteractionInput, contact rawID: String, owner: Member) async throws -> (Interaction, ContactView) {
        let contact = try await stored(rawID, owner: owner)
        let moment = now()
        var check = Validation()
        var kind: InteractionKind?
        if let raw = input.kind, !raw.isEmpty {
            kind = InteractionKind(rawValue: raw)
            if kind == nil {
                check.fail("kind", "must be one of " + InteractionKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
        } else {
            check.fail("kind", "is required")
        }
        var occurredAt = moment
        if let raw = input.occurredAt, !raw.isEmpty, let parsed = check.capture({ try Moment.parse(raw, field: "occurred_at") }) ?? nil {
            if parsed > moment.addingTimeInterval(86_400) {
                check.fail("occurred_at", "must not be in the future")
            } else if parsed < Date(timeIntervalSince1970: -2_208_988_800) {
                check.fail("occurred_at", "must be after 1900")
            } else {
                occurredAt = parsed
            }
        }
        let note = check.capture { try Text.clean(input.note ?? "", field: "note", max: 2_000, multiline: true) } ?? ""
        var help: HelpKind?
        if let raw = input.help, !raw.isEmpty {
            help = HelpKind(rawValue: raw)
            if help == nil { check.fail("help", "must be one of " + HelpKind.allCases.map(\.rawValue).joined(separator: ", ")) }
        }
        try check.throwIfFailed()
        guard let kind else { throw DomainError.invalid(field: "kind", reason: "is required") }
        if kind.ledgerSide == nil {
            help = nil
        } else if help == nil {
            help = kind == .introMade ? .intro : .other
        }
        let interaction = Interaction(
            id: .make(at: moment),
            ownerID: owner.id,
            contactID: contact.id,
            kind: kind,
            help: help,
            occurredAt: occurredAt,
            note: note,
            createdAt: moment
        )
        guard let updated = try await contacts.log(interaction) else { throw DomainError.notFound("contact") }
        return (interaction, try await storeDue(updated, owner: owner))
    }

    /// Logs what Kith saw happen with a member (an introduction that led to a meeting) on the
    /// owner's own contact for them — only where the owner keeps one: nothing is added to a
    /// relationship manager its owner did not start. Returns whether it was logged.
    public func logSeen(
        _ kind: InteractionKind,
        help: HelpKind? = nil,
        with member: Member.ID,
        note: String,
        owner: Member
    ) async throws -> Bool {
        guard let contact = try await contacts.contact(linkedTo: member, owner: owner.id) else { return false }
        let moment = now()
        let interaction = Interaction(
            id: .make(at: moment),
            ownerID: owner.id,
            contactID: contact.id,
            kind: kind,
            help: kind.ledgerSide == nil ? nil : (help ?? (kind == .introMade ? .intro : .other)),
            occurredAt: moment,
            note: note,
            createdAt: moment
        )
        guard let updated = try await contacts.log(interaction) else { return false }
        _ = try await storeDue(updated, owner: owner)
        return true
    }

    /// The owner's private give-and-take with one member: nil when they keep no contact for them.
    public func ledger(with member: Member.ID, owner: Member) async throws -> LedgerEntry? {
        guard let contact = try await contacts.contact(linkedTo: member, owner: owner.id) else { return nil }
        return Reciprocity.entry(for: contact.id, in: try await contacts.ledger(of: owner.id))
    }

    /// "Done" from the keep-in-touch page: a message logged now.
    public func markInTouch(_ rawID: String, owner: Member) async throws -> ContactView {
        try await log(InteractionInput(kind: InteractionKind.message.rawValue), contact: rawID, owner: owner).1
    }

    /// Puts a due contact off for `days` days (1 to 365).
    public func snooze(_ rawID: String, days: Int?, owner: Member) async throws -> ContactView {
        // Whose contact it is comes first: another member's id is "not found", whatever the body.
        var contact = try await stored(rawID, owner: owner)
        guard let days, (1...365).contains(days) else {
            throw DomainError.invalid(field: "days", reason: "must be a whole number of days from 1 to 365")
        }
        contact.snoozedUntil = now().addingTimeInterval(Double(days) * 86_400)
        contact.updatedAt = now()
        guard try await contacts.update(contact) else { throw DomainError.notFound("contact") }
        return try await storeDue(contact, owner: owner)
    }

    public func interactions(of rawID: String, owner: Member) async throws -> [Interaction] {
        let contact = try await stored(rawID, owner: owner)
        return try await contacts.interactions(of: contact.id, owner: owner.id)
    }

    public func addFollowUp(_ input: FollowUpInput, contact rawID: String, owner: Member) async throws -> FollowUp {
        let contact = try await stored(rawID, owner: owner)
        let moment = now()
        var check = Validation()
        let due = check.capture { try Moment.parse(input.dueAt, field: "due_at") } ?? nil
        if let due, due > moment.addingTimeInterval(10 * 365 * 86_400) {
            check.fail("due_at", "must be within ten years")
        }
        let text = check.capture { try Text.clean(input.text ?? "", field: "text", max: 500, min: 1, multiline: true) }
        try check.throwIfFailed()
        guard let due, let text else { throw DomainError.invalid(field: "due_at", reason: "is required") }
        let followUp = FollowUp(id: .make(at: moment), ownerID: owner.id, contactID: contact.id, dueAt: due, text: text, createdAt: moment)
        try await contacts.insert(followUp)
        return followUp
    }

    public func completeFollowUp(_ rawID: String, owner: Member) async throws -> FollowUp {
        guard let id = FollowUp.ID(rawID), let done = try await contacts.complete(id, owner: owner.id, at: now()) else {
            throw DomainError.notFound("follow-up")
        }
        return done
    }

    public func openFollowUps(owner: Member) async throws -> [FollowUp] {
        try await contacts.followUps(of: owner.id, contact: nil, includeDone: false)
    }

    // MARK: Cadences

    /// The owner's tag cadences: their own, plus the defaults they have not replaced.
    public func tagCadences(owner: Member) async throws -> [TagCadence] {
        let own = try await contacts.tagCadences(of: owner.id)
        let ownKeys = Set(own.map { Text.key($0.tag) })
        return (own + TagCadence.defaults.filter { !ownKeys.contains($0.tag) }).sorted { $0.tag < $1.tag }
    }

    public func setTagCadence(tag rawTag: String, ideal: Int?, maximum: Int?, owner: Member) async throws -> TagCadence {
        var check = Validation()
        let tag = check.capture { try Text.clean(rawTag, field: "tag", max: 40, min: 1) }
        let cadence = check.capture { try Cadence.validated(ideal: ideal ?? 0, maximum: maximum) }
        try check.throwIfFailed()
        guard let tag, let cadence else { throw DomainError.invalid(field: "tag", reason: "is required") }
        let stored = TagCadence(tag: Text.key(tag), cadence: cadence)
        try await contacts.setTagCadence(stored, owner: owner.id)
        try await refreshDueDates(owner: owner)
        return stored
    }

    public func deleteTagCadence(tag: String, owner: Member) async throws {
        guard try await contacts.deleteTagCadence(tag: Text.key(tag), owner: owner.id) else { throw DomainError.notFound("cadence") }
        try await refreshDueDates(owner: owner)
    }

    // MARK: Helpers shared with the other relationship services

    func graphStrength(_ owner: Member.ID, _ member: Member.ID) async throws -> UInt8? {
        try await graph?.tieStrength(owner, member)
    }

    func tagCadenceMap(_ owner: Member) async throws -> [String: Cadence] {
        Dictionary(try await tagCadences(owner: owner).map { (Text.key($0.tag), $0.cadence) }, uniquingKeysWith: { first, _ in first })
    }

    func view(_ contact: Contact, owner: Member, cadences: [String: Cadence]) async throws -> ContactView {
        var handle: Handle?
        if let memberID = contact.memberID, let member = try await members.member(id: memberID),
            !(try await blocks.isBlocked(between: member.id, and: owner.id))
        {
            handle = member.handle
        }
        return ContactView(contact: contact, state: rules.state(of: contact, tagCadences: cadences, now: now()), memberHandle: handle)
    }

    func views(_ list: [Contact], owner: Member) async throws -> [ContactView] {
        let cadences = try await tagCadenceMap(owner)
        let moment = now()
        return list.map { ContactView(contact: $0, state: rules.state(of: $0, tagCadences: cadences, now: moment), memberHandle: nil) }
    }

    func storeDue(_ contact: Contact, owner: Member) async throws -> ContactView {
        let view = try await self.view(contact, owner: owner, cadences: tagCadenceMap(owner))
        try await contacts.store(nextDue: view.state.nextDueAt, of: contact.id, owner: owner.id)
        return view
    }

    func refreshDueDates(owner: Member) async throws {
        let cadences = try await tagCadenceMap(owner)
        let moment = now()
        var dueDates: [Contact.ID: Date?] = [:]
        for contact in try await contacts.allContacts(of: owner.id) {
            dueDates[contact.id] = rules.state(of: contact, tagCadences: cadences, now: moment).nextDueAt
        }
        try await contacts.setNextDue(dueDates, owner: owner.id)
    }

    private func contactID(_ raw: String) throws(DomainError) -> Contact.ID {
        guard let id = Contact.ID(raw) else { throw .notFound("contact") }
        return id
    }

    func stored(_ rawID: String, owner: Member) async throws -> Contact {
        guard let contact = try await contacts.contact(try contactID(rawID), owner: owner.id) else {
            throw DomainError.notFound("contact")
        }
        return contact
    }

    /// Resolves the handle of the member a contact is; blocked and unknown members read as not found.
    private func linkedMember(_ raw: String?, owner: Member) async throws -> Member.ID? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        let handle = raw.hasPrefix("@") ? String(raw.dropFirst()) : raw
        guard let valid = try? Handle(handle, field: "member"), let member = try await members.member(handle: valid),
            !(try await blocks.isBlocked(between: member.id, and: owner.id))
        else {
            throw DomainError.invalid(field: "member", reason: "is not the handle of a member")
        }
        guard member.id != owner.id else { throw DomainError.invalid(field: "member", reason: "must be someone other than you") }
        if let existing = try await contacts.contact(linkedTo: member.id, owner: owner.id) {
            throw DomainError.conflict(field: "member", message: "\(member.name) is already in your contacts as \(existing.name).")
        }
        return member.id
    }
}
