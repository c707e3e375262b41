public import Foundation

/// A person in one member's private relationship manager: on Kith (linked to a member, whose
/// profile is read live so it stays in sync) or off it. Only its owner ever sees it.
public struct Contact: Sendable, Equatable, Identifiable {
    public typealias ID = Identifier<Contact>

    public var id: ID
    public var ownerID: Member.ID
    public var memberID: Member.ID?
    public var name: String
    public var emails: [String]
    public var phones: [String]
    public var organization: String
    public var title: String
    public var howWeMet: String
    public var tags: [String]
    public var notes: String
    /// The owner's own keep-in-touch interval for this person, in days; nil follows the tags.
    public var cadenceDays: Int?
    public var snoozedUntil: Date?
    public var lastInteractionAt: Date?
    /// How many interactions were ever logged: the evidence of a once-strong tie.
    public var interactionCount: Int
    /// When keeping in touch is next due, as last computed (what reminders scan).
    public var nextDueAt: Date?
    /// The due date a reminder was last sent for, so each due date is announced once.
    public var remindedDueAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: ID,
        ownerID: Member.ID,
        memberID: Member.ID? = nil,
        name: String,
        emails: [String] = [],
        phones: [String] = [],
        organization: String = "",
        title: String = "",
        howWeMet: String = "",
        tags: [String] = [],
        notes: String = "",
        cadenceDays: Int? = nil,
        snoozedUntil: Date? = nil,
        lastInteractionAt: Date? = nil,
        interactionCount: Int = 0,
        nextDueAt: Date? = nil,
        remindedDueAt: Date? = nil,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.ownerID = ownerID
        self.memberID = memberID
        self.name = name
        self.emails = emails
        self.phones = phones
        self.organization = organization
        self.title = title
        self.howWeMet = howWeMet
        self.tags = tags
        self.notes = notes
        self.cadenceDays = cadenceDays
        self.snoozedUntil = snoozedUntil
        self.lastInteractionAt = lastInteractionAt
        self.interactionCount = interactionCount
        self.nextDueAt = nextDueAt
        self.remindedDueAt = remindedDueAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var firstName: String {
        name.split(separator: " ").first.map(String.init) ?? name
    }
}

/// What happened between the owner and a contact.
public enum InteractionKind: String, Sendable, CaseIterable, Codable {
    case meeting, call, message, email, coffee, event
    case introMade = "intro_made"
    case helpGiven = "help_given"
    case helpReceived = "help_received"

    public var label: String {
        switch self {
        case .meeting: "Meeting"
        case .call: "Call"
        case .message: "Message"
        case .email: "Email"
        case .coffee: "Coffee"
        case .event: "Event"
        case .introMade: "Introduction made"
        case .helpGiven: "Help given"
        case .helpReceived: "Help received"
        }
    }

    /// Which side of the reciprocity ledger the interaction counts on, if any.
    public var ledgerSide: LedgerSide? {
        switch self {
        case .introMade, .helpGiven: .given
        case .helpReceived: .received
        default: nil
        }
    }
}

public enum LedgerSide: String, Sendable {
    case given, received
}

/// The kinds of help the reciprocity ledger counts.
public enum HelpKind: String, Sendable, CaseIterable, Codable {
    case intro, referral, advice, feedback, other

    public var label: String {
        switch self {
        case .intro: "Introduction"
        case .referral: "Referral"
        case .advice: "Advice"
        case .feedback: "Feedback"
        case .other: "Other"
        }
    }
}

public struct Interaction: Sendable, Equatable, Identifiable {
    public typealias ID = Identifier<Interaction>

    public var id: ID
    public var ownerID: Member.ID
    public var contactID: Contact.ID
    public var kind: InteractionKind
    /// For help and introductions: what kind of help it was.
    public var help: HelpKind?
    public var occurredAt: Date
    public var note: String
    public var createdAt: Date

    public init(
        id: ID,
        ownerID: Member.ID,
        contactID: Contact.ID,
        kind: InteractionKind,
        help: HelpKind?,
        occurredAt: Date,
        note: String,
        createdAt: Date
    ) {
        self.id = id
        self.ownerID = ownerID
        self.contactID = contactID
        self.kind = kind
        self.help = help
        self.occurredAt = occurredAt
        self.note = note
        self.createdAt = createdAt
    }
}

public struct FollowUp: Sendable, Equatable, Identifiable {
    public typealias ID = Identifier<FollowUp>

    public var id: ID
    public var ownerID: Member.ID
    public var contactID: Contact.ID
    public var dueAt: Date
    public var text: String
    public var doneAt: Date?
    public var remindedAt: Date?
    public var createdAt: Date

    public init(
        id: ID,
        ownerID: Member.ID,
        contactID: Contact.ID,
        dueAt: Date,
        text: String,
        doneAt: Date? = nil,
        remindedAt: Date? = nil,
        createdAt: Date
    ) {
        self.id = id
        self.ownerID = ownerID
        self.contactID = contactID
        self.dueAt = dueAt
        self.text = text
        self.doneAt = doneAt
        self.remindedAt = remindedAt
        self.createdAt = createdAt
    }
}
