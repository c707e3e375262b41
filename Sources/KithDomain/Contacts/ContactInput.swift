public import Foundation

/// A contact as a caller sends it (API body or form). On update, absent fields stay as they are.
public struct ContactInput: Sendable {
    public var name: String?
    /// The handle of the Kith member this contact is; "" unlinks.
    public var member: String?
    public var emails: [String]?
    public var phones: [String]?
    public var organization: String?
    public var title: String?
    public var howWeMet: String?
    public var tags: [String]?
    public var notes: String?
    /// Days between catch-ups; 0 clears the contact's own cadence so its tags decide.
    public var cadenceDays: Int?

    public init(
        name: String? = nil,
        member: String? = nil,
        emails: [String]? = nil,
        phones: [String]? = nil,
        organization: String? = nil,
        title: String? = nil,
        howWeMet: String? = nil,
        tags: [String]? = nil,
        notes: String? = nil,
        cadenceDays: Int? = nil
    ) {
        self.name = name
        self.member = member
        self.emails = emails
        self.phones = phones
        self.organization = organization
        self.title = title
        self.howWeMet = howWeMet
        self.tags = tags
        self.notes = notes
        self.cadenceDays = cadenceDays
    }
}

/// The validated fields of a contact, ready to apply (the member link is resolved by the service).
struct ContactFields {
    var name: String?
    var emails: [String]?
    var phones: [String]?
    var organization: String?
    var title: String?
    var howWeMet: String?
    var tags: [String]?
    var notes: String?
    var cadenceDays: Int??

    static let maxEmails = 20
    static let maxPhones = 20
    static let maxTags = 20

    init(_ input: ContactInput, creating: Bool) throws(DomainError) {
        var check = Validation()
        if creating || input.name != nil {
            name = check.capture { try Text.clean(input.name ?? "", field: "name", max: 120, min: 1) }
        }
        if let raw = input.emails {
            if raw.count > Self.maxEmails { check.fail("emails", "must list at most \(Self.maxEmails) addresses") }
            var seen: [String] = []
            for (index, email) in raw.enumerated() {
                if let valid = check.capture({ try EmailAddress(email, field: "emails[\(index)]") }), !seen.contains(valid.rawValue) {
                    seen.append(valid.rawValue)
                }
            }
            emails = seen
        }
        if let raw = input.phones {
            if raw.count > Self.maxPhones { check.fail("phones", "must list at most \(Self.maxPhones) numbers") }
            var seen: [String] = []
            for (index, phone) in raw.enumerated() {
                if let valid = check.capture({ try Self.phone(phone, field: "phones[\(index)]") }), !seen.contains(valid) {
                    seen.append(valid)
                }
            }
            phones = seen
        }
        organization = input.organization.flatMap { raw in check.capture { try Text.clean(raw, field: "organization", max: 120) } }
        title = input.title.flatMap { raw in check.capture { try Text.clean(raw, field: "title", max: 120) } }
        howWeMet = input.howWeMet.flatMap { raw in check.capture { try Text.clean(raw, field: "how_we_met", max: 300, multiline: true) } }
        notes = input.notes.flatMap { raw in check.capture { try Text.clean(raw, field: "notes", max: 10_000, multiline: true) } }
        if let raw = input.tags {
            if raw.count > Self.maxTags { check.fail("tags", "must list at most \(Self.maxTags) tags") }
            var seen: [String] = []
            for (index, tag) in raw.enumerated() {
                if let valid = check.capture({ try Text.clean(tag, field: "tags[\(index)]", max: 40, min: 1) }),
                    !seen.contains(where: { Text.key($0) == Text.key(valid) })
                {
                    seen.append(valid)
                }
            }
            tags = seen
        }
        if let days = input.cadenceDays {
            if days == 0 {
                cadenceDays = .some(nil)
            } else if (1...3650).contains(days) {
                cadenceDays = .some(days)
            } else {
                check.fail("cadence_days", "must be a whole number of days from 1 to 3650, or 0 to follow the tags")
            }
        }
        try check.throwIfFailed()
    }

    /// A telephone number: digits with the usual separators, an optional leading +.
    static func phone(_ raw: String, field: String) throws(DomainError) -> String {
        let value = try Text.clean(raw, field: field, max: 40, min: 1)
        // Letters for vanity numbers (+1-800-MYFAX) and extensions (x102), * # and , for the
        // keypad and dialling pauses.
        let allowed = Set("0123456789+-(). /*#,")
        guard value.allSatisfy({ allowed.contains($0) || ($0.isASCII && $0.isLetter) }), value.contains(where: \.isNumber) else {
            throw .invalid(field: field, reason: "must be a telephone number (digits, letters, spaces, + - ( ) . * # ,)")
        }
        return value
    }

    func apply(to contact: inout Contact) {
        if let name { contact.name = name }
        if let emails { contact.emails = emails }
        if let phones { contact.phones = phones }
        if let organization { contact.organization = organization }
        if let title { contact.title = title }
        if let howWeMet { contact.howWeMet = howWeMet }
        if let tags { contact.tags = tags }
        if let notes { contact.notes = notes }
        if let cadenceDays { contact.cadenceDays = cadenceDays }
    }
}

/// An interaction as a caller sends it.
public struct InteractionInput: Sendable {
    public var kind: String?
    public var occurredAt: String?
    public var note: String?
    /// For help_given, help_received and intro_made: intro, referral, advice, feedback or other.
    public var help: String?

    public init(kind: String? = nil, occurredAt: String? = nil, note: String? = nil, help: String? = nil) {
        self.kind = kind
        self.occurredAt = occurredAt
        self.note = note
        self.help = help
    }
}

/// A follow-up as a caller sends it.
public struct FollowUpInput: Sendable {
    public var dueAt: String?
    public var text: String?

    public init(dueAt: String? = nil, text: String? = nil) {
        self.dueAt = dueAt
        self.text = text
    }
}
