import Foundation
import Hummingbird
import KithDomain

/// A contact as its owner sees it. Dates that may be unknown are always present, as null.
struct ContactRecordDTO: APIOutput, NamedSchema {
    static var schemaName: String { "Contact" }

    var id: String
    var name: String
    @Nullable var member: String?
    var emails: [String]
    var phones: [String]
    var organization: String
    var title: String
    var howWeMet: String
    var tags: [String]
    var notes: String
    @Nullable var cadenceDays: Int?
    @Nullable var effectiveCadenceDays: Int?
    @Nullable var lastInteractionAt: Date?
    @Nullable var nextDueAt: Date?
    @Nullable var snoozedUntil: Date?
    var status: ContactStatus
    var interactionCount: Int
    var createdAt: Date
    var updatedAt: Date

    init(_ view: ContactView) {
        let contact = view.contact
        id = contact.id.description
        name = contact.name
        member = view.memberHandle?.rawValue
        emails = contact.emails
        phones = contact.phones
        organization = contact.organization
        title = contact.title
        howWeMet = contact.howWeMet
        tags = contact.tags
        notes = contact.notes
        cadenceDays = contact.cadenceDays
        effectiveCadenceDays = view.state.cadence?.idealDays
        lastInteractionAt = contact.lastInteractionAt
        nextDueAt = view.state.nextDueAt
        snoozedUntil = contact.snoozedUntil
        status = view.status
        interactionCount = contact.interactionCount
        createdAt = contact.createdAt
        updatedAt = contact.updatedAt
    }

}

struct InteractionDTO: APIOutput, NamedSchema {
    static var schemaName: String { "Interaction" }

    var id: String
    var contactId: String
    var kind: InteractionKind
    var help: HelpKind?
    var occurredAt: Date
    var note: String

    init(_ interaction: Interaction) {
        id = interaction.id.description
        contactId = interaction.contactID.description
        kind = interaction.kind
        help = interaction.help
        occurredAt = interaction.occurredAt
        note = interaction.note
    }
}

/// The logged interaction and the contact with its timer moved on.
struct LoggedInteractionDTO: APIOutput {
    var interaction: InteractionDTO
    var contact: ContactRecordDTO
    var id: String
    var kind: InteractionKind
    var occurredAt: Date

    init(interaction: Interaction, contact: ContactView) {
        self.interaction = InteractionDTO(interaction)
        self.contact = ContactRecordDTO(contact)
        id = interaction.id.description
        kind = interaction.kind
        occurredAt = interaction.occurredAt
    }
}

struct FollowUpDTO: APIOutput, NamedSchema {
    static var schemaName: String { "FollowUp" }

    var id: String
    var contactId: String
    var dueAt: Date
    var text: String
    var done: Bool
    var doneAt: Date?

    init(_ followUp: FollowUp) {
        id = followUp.id.description
        contactId = followUp.contactID.description
        dueAt = followUp.dueAt
        text = followUp.text
        done = followUp.doneAt != nil
        doneAt = followUp.doneAt
    }
}

struct LedgerDTO: Codable, Sendable, NamedSchema {
    static var schemaName: String { "Ledger" }

    var given: Int
    var received: Int
    var balance: Int
    var givenByKind: [String: Int]
    var receivedByKind: [String: Int]

    init(_ entry: LedgerEntry) {
        given = entry.given
        received = entry.received
        balance = entry.balance
        givenByKind = Dictionary(uniqueKeysWithValues: entry.givenByKind.map { ($0.key.rawValue, $0.value) })
        receivedByKind = Dictionary(uniqueKeysWithValues: entry.receivedByKind.map { ($0.key.rawValue, $0.value) })
    }
}

struct ContactDetailDTO: APIOutput {
    var contact: ContactRecordDTO
    var profile: MemberSummaryLiteDTO?
    var interactions: [InteractionDTO]
    var followUps: [FollowUpDTO]
    var ledger: LedgerDTO
    var giveBeforeYouAsk: Bool

    init(_ detail: ContactDetail) {
        contact = ContactRecordDTO(detail.view)
        profile = detail.profile.map(MemberSummaryLiteDTO.init)
        interactions = detail.interactions.map(InteractionDTO.init)
        followUps = detail.followUps.map(FollowUpDTO.init)
        ledger = LedgerDTO(detail.ledger)
        giveBeforeYouAsk = detail.giveBeforeYouAsk
    }
}

/// The linked member's public face, as the owner may see it.
struct MemberSummaryLiteDTO: Codable, Sendable {
    var handle: String
    var name: String
    var headline: String
    var industry: String
    var careerStage: CareerStage?

    init(_ view: ProfileView) {
        handle = view.handle.rawValue
        name = view.name
        headline = view.headline
        industry = view.industry
        careerStage = view.careerStage
    }
}

struct DormantTieDTO: Codable, Sendable {
    var contact: ContactRecordDTO
    var value: Double
    var reasons: [String]
    var message: String
}

struct KeepInTouchDTO: APIOutput {
    var due: [ContactRecordDTO]
    var overdue: [ContactRecordDTO]
    var dormantWorthReviving: [DormantTieDTO]
    var followUps: [FollowUpDTO]

    init(_ board: KeepInTouchBoard) {
        due = board.due.map(ContactRecordDTO.init)
        overdue = board.overdue.map(ContactRecordDTO.init)
        dormantWorthReviving = board.dormantWorthReviving.map {
            DormantTieDTO(
                contact: ContactRecordDTO($0.contact),
                value: ($0.value * 1000).rounded() / 1000,
                reasons: $0.reasons,
                message: $0.message
            )
        }
        followUps = board.followUps.map(FollowUpDTO.init)
    }
}

struct ReciprocityDTO: APIOutput {
    struct Row: Codable, Sendable {
        var contactId: String
        var name: String
        var given: Int
        var received: Int
        var balance: Int
        var givenByKind: [String: Int]
        var receivedByKind: [String: Int]
    }

    var items: [Row]
    var totals: LedgerDTO

    init(_ report: ReciprocityReport) {
        items = report.rows.map { row in
            let ledger = LedgerDTO(row.entry)
            return Row(
                contactId: row.contact.id.description,
                name: row.contact.name,
                given: ledger.given,
                received: ledger.received,
                balance: ledger.balance,
                givenByKind: ledger.givenByKind,
                receivedByKind: ledger.receivedByKind
            )
        }
        totals = LedgerDTO(report.totals)
    }
}

struct CadenceDTO: APIOutput {
    var tag: String
    var idealDays: Int
    var maxDays: Int
    var isDefault: Bool

    init(_ cadence: TagCadence) {
        tag = cadence.tag
        idealDays = cadence.cadence.idealDays
        maxDays = cadence.cadence.maximumDays
        isDefault = cadence.isDefault
    }
}

struct ImportReportDTO: APIOutput {
    var created: Int
    var merged: Int
    var skipped: Int
    var errors: [ImportError]

    init(report: ImportReport) {
        created = report.created
        merged = report.merged
        skipped = report.skipped
        errors = report.errors
    }
}

struct DuplicatePairDTO: Codable, Sendable {
    var first: ContactRecordDTO
    var second: ContactRecordDTO
    var reason: String

    init(_ pair: DuplicatePair) {
        first = ContactRecordDTO(pair.first)
        second = ContactRecordDTO(pair.second)
        reason = pair.reason
    }
}

struct DuplicatesDTO: APIOutput {
    var items: [DuplicatePairDTO]
}
