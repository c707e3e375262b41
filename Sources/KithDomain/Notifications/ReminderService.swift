public import Foundation

/// Turns due follow-ups and keep-in-touch dates into in-app notifications and queued emails,
/// and delivers the outbox. Runs as leased background jobs: after downtime the next run catches
/// up on everything that came due meanwhile, and keys keep every reminder to one notification.
public struct ReminderService: Sendable {
    private let reminders: any ReminderRepository
    private let notifications: any NotificationRepository
    private let transport: any MailTransport
    private let sender: String
    private let publicURL: String
    private let links: any PageLinks
    private let unsubscribe: UnsubscribeLinks
    private let now: @Sendable () -> Date

    public init(
        reminders: any ReminderRepository,
        notifications: any NotificationRepository,
        transport: any MailTransport,
        sender: String = "Kith <no-reply@kith.invalid>",
        publicURL: String,
        links: any PageLinks,
        unsubscribe: UnsubscribeLinks,
        now: @escaping @Sendable () -> Date
    ) {
        self.unsubscribe = unsubscribe
        self.reminders = reminders
        self.notifications = notifications
        self.transport = transport
        self.sender = sender
        self.publicURL = publicURL
        self.links = links
        self.now = now
    }

    /// Records every due reminder; returns how many were new.
    @discardableResult
    public func generate(batch: Int = 500) async throws -> Int {
        var recorded = 0
        while true {
            let moment = now()
            let due = try await reminders.dueReminders(now: moment, limit: batch)
            for reminder in due {
                let (key, title, link) = Self.describe(reminder, links: links)
                let notification = MemberNotification(
                    id: .make(at: moment),
                    memberID: reminder.owner.id,
                    key: key,
                    kind: .keepInTouch,
                    title: title,
                    body: reminder.message,
                    link: link,
                    createdAt: moment
                )
                let mail = OutgoingMail(
                    id: .make(at: moment),
                    memberID: reminder.owner.id,
                    key: key,
                    kind: .keepInTouch,
                    to: reminder.ownerEmail,
                    subject: title,
                    body: NoticeMail.body(to: reminder.owner.name, title: title, reminder.message, link: publicURL + link),
                    createdAt: moment
                )
                if try await reminders.record(reminder, notification: notification, mail: mail) { recorded += 1 }
            }
            if due.count < batch { return recorded }
        }
    }

    static func describe(_ reminder: DueReminder, links: any PageLinks) -> (key: String, title: String, link: String) {
        let link = links.contact(reminder.contactID)
        switch reminder.subject {
        case .followUp(let id):
            return ("follow-up:\(id)", "Follow up with \(reminder.contactName)", link)
        case .keepInTouch(let contact, let dueAt):
            return ("keep-in-touch:\(contact):\(Int64(dueAt.timeIntervalSince1970))", "Time to catch up with \(reminder.contactName)", link)
        }
    }

    /// Sends what is waiting in the outbox; a failure is retried later with back-off.
    @discardableResult
    public func deliverMail(batch: Int = 100) async throws -> (sent: Int, failed: Int) {
        var sent = 0
        var failed = 0
        for var mail in try await reminders.pendingMail(now: now(), limit: batch) {
            // Every email about something a member may turn off carries its own one-click link.
            try await unsubscribe.attach(to: &mail, publicURL: publicURL, links: links)
            do {
                try await transport.send(mail, from: sender)
                try await reminders.markSent(mail.id, at: now())
                sent += 1
            } catch {
                let delay = min(6 * 3600, 60 * pow(2, Double(min(mail.attempts, 10))))
                try await reminders.markFailed(
                    mail.id,
                    error: String(describing: error).prefix(500).description,
                    retryAt: now().addingTimeInterval(delay)
                )
                failed += 1
            }
        }
        return (sent, failed)
    }
}
