public import Foundation

/// An in-app notification for one member. `key` makes each one unique: the same reminder is
/// never stored twice, whichever instance or retry generates it.
public struct MemberNotification: Sendable, Equatable, Identifiable {
    public typealias ID = Identifier<MemberNotification>

    public var id: ID
    public var memberID: Member.ID
    public var key: String
    public var kind: NotificationKind
    public var title: String
    public var body: String
    /// A path inside Kith the notification leads to.
    public var link: String
    public var createdAt: Date
    public var readAt: Date?

    public init(
        id: ID,
        memberID: Member.ID,
        key: String,
        kind: NotificationKind? = nil,
        title: String,
        body: String,
        link: String,
        createdAt: Date,
        readAt: Date? = nil
    ) {
        self.id = id
        self.memberID = memberID
        self.key = key
        self.kind = kind ?? NotificationKind.of(key: key)
        self.title = title
        self.body = body
        self.link = link
        self.createdAt = createdAt
        self.readAt = readAt
    }
}

/// A notification a domain service asks storage to record with the change that caused it, in
/// the same transaction (a message, a connection request, later an ask): the words are the
/// domain's, the email (if the member chose one for the kind) follows from it.
public struct Notice: Sendable {
    public var member: Member.ID
    public var kind: NotificationKind
    public var key: String
    public var title: String
    public var body: String
    public var link: String

    public init(member: Member.ID, kind: NotificationKind, key: String, title: String, body: String, link: String) {
        self.member = member
        self.kind = kind
        self.key = key
        self.title = title
        self.body = body
        self.link = link
    }
}

/// An email waiting in the outbox, or sent. Delivery retries with back-off until it succeeds.
public struct OutgoingMail: Sendable, Equatable, Identifiable {
    public typealias ID = Identifier<OutgoingMail>

    public var id: ID
    /// The member it is for; nil before there is one (the confirmation link of a sign-up).
    public var memberID: Member.ID?
    public var key: String
    /// What it is about: the member's choices for this kind decide whether it is sent, and its
    /// unsubscribe link turns this kind off. Security mail (the default) is always sent.
    public var kind: NotificationKind
    /// The one-click unsubscribe address (RFC 8058), set when it is sent.
    public var unsubscribeURL: String?
    public var to: String
    public var subject: String
    public var body: String
    public var createdAt: Date
    public var sentAt: Date?
    public var attempts: Int
    public var lastError: String?

    public init(
        id: ID,
        memberID: Member.ID?,
        key: String,
        kind: NotificationKind = .security,
        to: String,
        subject: String,
        body: String,
        createdAt: Date,
        sentAt: Date? = nil,
        attempts: Int = 0,
        lastError: String? = nil
    ) {
        self.id = id
        self.memberID = memberID
        self.key = key
        self.kind = kind
        self.to = to
        self.subject = subject
        self.body = body
        self.createdAt = createdAt
        self.sentAt = sentAt
        self.attempts = attempts
        self.lastError = lastError
    }
}

/// The words of a notice sent by email, in one place whatever sends it (a reminder, a place
/// freed on a waitlist, a reunion invitation): a greeting, the notice, the link, a sign-off.
public enum NoticeMail {
    public static func body(to name: String, title: String? = nil, _ text: String, link: String) -> String {
        "Hi \(name),\n\n" + (title.map { $0 + "\n" } ?? "") + "\(text)\n\n\(link)\n\n— Kith\n"
    }
}

/// Sends one email (SMTP in production, a file drop in development, a recorder in tests).
public protocol MailTransport: Sendable {
    func send(_ mail: OutgoingMail, from sender: String) async throws
}

public protocol NotificationRepository: Sendable {
    /// The member's notifications of these kinds, newest first.
    func notifications(of member: Member.ID, kinds: [NotificationKind], unreadOnly: Bool, limit: Int) async throws -> [MemberNotification]
    func unreadCount(of member: Member.ID, kinds: [NotificationKind]) async throws -> Int
    func markAllRead(of member: Member.ID, at: Date) async throws
    /// Marks one read; false when it is not the member's.
    func markRead(_ id: MemberNotification.ID, of member: Member.ID, at: Date) async throws -> Bool
    func settings(of member: Member.ID) async throws -> NotificationSettings
    func save(_ settings: NotificationSettings, of member: Member.ID) async throws
    /// Uses an unsubscribe link once: turns the kind's email off for the member and records the
    /// link as used, in one transaction. False when the link was already used.
    func unsubscribe(_ claim: UnsubscribeLinks.Claim, at: Date) async throws -> Bool
}

/// A reminder that has come due: what to tell whom, and what to mark so it is told once.
public struct DueReminder: Sendable {
    public enum Subject: Sendable, Equatable {
        case followUp(FollowUp.ID)
        case keepInTouch(Contact.ID, dueAt: Date)
    }

    public var subject: Subject
    public var owner: Member
    public var ownerEmail: String
    public var contactID: Contact.ID
    public var contactName: String
    /// A follow-up's own text (empty for a keep-in-touch date).
    public var text: String
    public var dueAt: Date

    /// What the reminder says.
    public var message: String {
        switch subject {
        case .followUp: text
        case .keepInTouch: "It's time to get back in touch with \(contactName)."
        }
    }

    public init(
        subject: Subject,
        owner: Member,
        ownerEmail: String,
        contactID: Contact.ID,
        contactName: String,
        text: String,
        dueAt: Date
    ) {
        self.subject = subject
        self.owner = owner
        self.ownerEmail = ownerEmail
        self.contactID = contactID
        self.contactName = contactName
        self.text = text
        self.dueAt = dueAt
    }
}

public protocol ReminderRepository: Sendable {
    /// Follow-ups and keep-in-touch dates that are due and not yet reminded, oldest first.
    func dueReminders(now: Date, limit: Int) async throws -> [DueReminder]
    /// In one transaction: stores the notification and the email (each at most once, by key) and
    /// marks the reminder as sent. False when it had already been sent.
    func record(_ reminder: DueReminder, notification: MemberNotification, mail: OutgoingMail) async throws -> Bool
    func pendingMail(now: Date, limit: Int) async throws -> [OutgoingMail]
    func markSent(_ id: OutgoingMail.ID, at: Date) async throws
    func markFailed(_ id: OutgoingMail.ID, error: String, retryAt: Date) async throws
}
