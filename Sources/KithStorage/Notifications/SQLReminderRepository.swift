public import Foundation
public import KithDomain
import SQLKit

/// Reminders, the notification inbox and the mail outbox. Unique (member_id, key) rows make a
/// reminder land once, whichever instance or retry generates it.
public struct SQLReminderRepository: ReminderRepository, NotificationRepository, Notifier {
    private let store: any Store
    /// Put in front of links in emails (`/events/…` → `https://kith.example.org/events/…`).
    private let publicURL: String

    public init(store: any Store, publicURL: String = "") {
        self.store = store
        self.publicURL = publicURL
    }

    public func dueReminders(now: Date, limit: Int) async throws -> [DueReminder] {
        let moment = Millis.from(now)
        return try await store.read { db in
            let followUps = try await db.raw(
                """
                SELECT f.id AS follow_up_id, f.contact_id, f.text, f.due_at, c.name AS contact_name, \(unsafeRaw: Columns.member)
                FROM follow_ups f JOIN contacts c ON c.id = f.contact_id AND c.owner_id = f.owner_id
                JOIN members m ON m.id = f.owner_id
                WHERE f.due_at <= \(bind: moment) AND f.done_at IS NULL AND f.reminded_at IS NULL
                ORDER BY f.due_at LIMIT \(literal: limit)
                """
            ).all().map { row in
                DueReminder(
                    subject: .followUp(FollowUp.ID(try row.uuid("follow_up_id"))),
                    owner: try row.member(),
                    ownerEmail: try row.string("email"),
                    contactID: Contact.ID(try row.uuid("contact_id")),
                    contactName: try row.string("contact_name"),
                    text: try row.string("text"),
                    dueAt: try row.date("due_at")
                )
            }
            let contacts = try await db.raw(
                """
                SELECT c.id AS contact_id, c.name AS contact_name, c.next_due_at, \(unsafeRaw: Columns.member)
                FROM contacts c JOIN members m ON m.id = c.owner_id
                WHERE c.next_due_at <= \(bind: moment) AND (c.reminded_due_at IS NULL OR c.reminded_due_at <> c.next_due_at)
                ORDER BY c.next_due_at LIMIT \(literal: limit)
                """
            ).all().map { row in
                let contactID = Contact.ID(try row.uuid("contact_id"))
                let due = try row.date("next_due_at")
                let name = try row.string("contact_name")
                return DueReminder(
                    subject: .keepInTouch(contactID, dueAt: due),
                    owner: try row.member(),
                    ownerEmail: try row.string("email"),
                    contactID: contactID,
                    contactName: name,
                    text: "",
                    dueAt: due
                )
            }
            return Array((followUps + contacts).sorted { $0.dueAt < $1.dueAt }.prefix(limit))
        }
    }

    public func record(_ reminder: DueReminder, notification: MemberNotification, mail: OutgoingMail) async throws -> Bool {
        try await store.write { db in
            let marked: Bool
            switch reminder.subject {
            case .followUp(let id):
                marked =
                    try await db.raw(
                        """
                        UPDATE follow_ups SET reminded_at = \(bind: Millis.from(notification.createdAt))
                        WHERE id = \(bind: id.description) AND reminded_at IS NULL RETURNING id
                        """
                    ).first() != nil
            case .keepInTouch(let id, let dueAt):
                marked =
                    try await db.raw(
                        """
                        UPDATE contacts SET reminded_due_at = next_due_at
                        WHERE id = \(bind: id.description) AND next_due_at = \(bind: Millis.from(dueAt))
                          AND (reminded_due_at IS NULL OR reminded_due_at <> next_due_at) RETURNING id
                        """
                    ).first() != nil
            }
            guard marked else { return false }
            return try await Self.deliver(notification, mail: mail, in: db)
        }
    }

    /// One notice, as the member chose for its kind, inside the caller's transaction: the
    /// notification is always stored (the centre shows the kinds the member shows in the app; the
    /// weekly email reads the digest kinds), and `mail` is queued only when the member wants this
    /// kind emailed at once. Unique on (member, key): telling someone twice stores nothing.
    static func deliver(_ notification: MemberNotification, mail: OutgoingMail?, in db: any SQLDatabase) async throws -> Bool {
        let inserted =
            try await db.raw(
                """
                INSERT INTO notifications (id, member_id, key, kind, title, body, link, created_at)
                VALUES (\(bind: notification.id.description), \(bind: notification.memberID.description), \(bind: notification.key),
                    \(bind: notification.kind.rawValue), \(bind: notification.title), \(bind: notification.body),
                    \(bind: notification.link), \(bind: Millis.from(notification.createdAt)))
                ON CONFLICT (member_id, key) DO NOTHING RETURNING id
                """
            ).first() != nil
        guard inserted else { return false }
        if let mail {
            let settings = try await settings(of: notification.memberID, in: db)
            if settings.delivery(for: notification.kind).email == .immediate { try await Outbox.queue(mail, in: db) }
        }
        return true
    }

    static func settings(of member: Member.ID, in db: any SQLDatabase) async throws -> NotificationSettings {
        let rows = try await db.raw(
            "SELECT kind, email, in_app FROM notification_settings WHERE member_id = \(bind: member.description)"
        ).all()
        var stored: [NotificationKind: Delivery] = [:]
        for row in rows {
            guard let kind = NotificationKind(rawValue: try row.string("kind")), let email = EmailChoice(rawValue: try row.string("email"))
            else { continue }
            stored[kind] = Delivery(email: email, inApp: try row.int64("in_app") != 0)
        }
        return NotificationSettings(stored: stored)
    }

    static let mailColumns = "id, member_id, key, kind, to_address, subject, body, created_at, sent_at, attempts, last_error"

    public func pendingMail(now: Date, limit: Int) async throws -> [OutgoingMail] {
        try await store.read { db in
            try await db.raw(
                """
                SELECT \(unsafeRaw: Self.mailColumns) FROM mail_outbox
                WHERE sent_at IS NULL AND next_attempt_at <= \(bind: Millis.from(now))
                ORDER BY next_attempt_at, id LIMIT \(literal: limit)
                """
            ).all().map { row in
                OutgoingMail(
                    id: OutgoingMail.ID(try row.uuid("id")),
                    memberID: try row.optionalUUID("member_id").map(Member.ID.init),
                    key: try row.string("key"),
                    kind: NotificationKind(rawValue: try row.string("kind")) ?? .security,
                    to: try row.string("to_address"),
                    subject: try row.string("subject"),
                    body: try row.string("body"),
                    createdAt: try row.date("created_at"),
                    sentAt: try row.optionalInt64("sent_at").map(Millis.date),
                    attempts: Int(try row.int64("attempts")),
                    lastError: try row.optionalString("last_error")
                )
            }
        }
    }

    public func markSent(_ id: OutgoingMail.ID, at: Date) async throws {
        try await store.write { db in
            try await db.raw(
                """
                UPDATE mail_outbox SET sent_at = \(bind: Millis.from(at)), attempts = attempts + 1, last_error = NULL
                WHERE id = \(bind: id.description)
                """
            ).run()
        }
    }

    public func markFailed(_ id: OutgoingMail.ID, error: String, retryAt: Date) async throws {
        try await store.write { db in
            try await db.raw(
                """
                UPDATE mail_outbox SET attempts = attempts + 1, last_error = \(bind: error), next_attempt_at = \(bind: Millis.from(retryAt))
                WHERE id = \(bind: id.description)
                """
            ).run()
        }
    }

    public func notify(
        _ member: Member.ID,
        kind: NotificationKind,
        key: String,
        title: String,
        body: String,
        link: String,
        email: Bool,
        at: Date
    ) async throws {
        let publicURL = publicURL
        try await store.write { db in
            try await Self.notify(
                member,
                kind: kind,
                key: key,
                title: title,
                body: body,
                link: link,
                email: email,
                at: at,
                publicURL: publicURL,
                in: db
            )
        }
    }

    /// One notification and, when `email` and the member wants this kind emailed at once, one
    /// outbox email, inside the caller's transaction (see `deliver`).
    static func notify(
        _ member: Member.ID,
        kind: NotificationKind,
        key: String,
        title: String,
        body: String,
        link: String,
        email: Bool,
        at: Date,
        publicURL: String,
        in db: any SQLDatabase
    ) async throws {
        let notification = MemberNotification(
            id: .make(at: at),
            memberID: member,
            key: key,
            kind: kind,
            title: title,
            body: body,
            link: link,
            createdAt: at
        )
        var mail: OutgoingMail?
        if email, let recipient = try await db.raw("SELECT name, email FROM members WHERE id = \(bind: member.description)").first() {
            mail = OutgoingMail(
                id: .make(at: at),
                memberID: member,
                key: key,
                kind: kind,
                to: try recipient.string("email"),
                subject: title,
                body: NoticeMail.body(to: try recipient.string("name"), body, link: publicURL + link),
                createdAt: at
            )
        }
        _ = try await deliver(notification, mail: mail, in: db)
    }

    /// Records a domain service's notice (and its email, if the member wants this kind at once)
    /// inside the caller's transaction.
    static func notify(_ notice: Notice, at: Date, publicURL: String, in db: any SQLDatabase) async throws {
        try await notify(
            notice.member,
            kind: notice.kind,
            key: notice.key,
            title: notice.title,
            body: notice.body,
            link: notice.link,
            email: true,
            at: at,
            publicURL: publicURL,
            in: db
        )
    }

    public func notifications(
        of member: Member.ID,
        kinds: [NotificationKind],
        unreadOnly: Bool,
        limit: Int
    ) async throws
        -> [MemberNotification]
    {
        guard !kinds.isEmpty else { return [] }
        return try await store.read { db in
            try await db.raw(
                """
                SELECT id, member_id, key, kind, title, body, link, created_at, read_at FROM notifications
                WHERE member_id = \(bind: member.description) AND kind IN (\(binds: kinds.map(\.rawValue)))
                  \(unsafeRaw: unreadOnly ? "AND read_at IS NULL" : "")
                ORDER BY created_at DESC, id DESC LIMIT \(literal: limit)
                """
            ).all().map { row in
                MemberNotification(
                    id: MemberNotification.ID(try row.uuid("id")),
                    memberID: Member.ID(try row.uuid("member_id")),
                    key: try row.string("key"),
                    kind: NotificationKind(rawValue: try row.string("kind")),
                    title: try row.string("title"),
                    body: try row.string("body"),
                    link: try row.string("link"),
                    createdAt: try row.date("created_at"),
                    readAt: try row.optionalInt64("read_at").map(Millis.date)
                )
            }
        }
    }

    public func unreadCount(of member: Member.ID, kinds: [NotificationKind]) async throws -> Int {
        guard !kinds.isEmpty else { return 0 }
        return try await store.read { db in
            Int(
                try await db.raw(
                    """
                    SELECT COUNT(*) AS n FROM notifications
                    WHERE member_id = \(bind: member.description) AND read_at IS NULL AND kind IN (\(binds: kinds.map(\.rawValue)))
                    """
                ).first()?.int64("n") ?? 0
            )
        }
    }

    public func markAllRead(of member: Member.ID, at: Date) async throws {
        try await store.write { db in
            try await db.raw(
                """
                UPDATE notifications SET read_at = \(bind: Millis.from(at)) WHERE member_id = \(bind: member.description) AND read_at IS NULL
                """
            ).run()
        }
    }

    public func markRead(_ id: MemberNotification.ID, of member: Member.ID, at: Date) async throws -> Bool {
        try await store.write { db in
            try await db.raw(
                """
                UPDATE notifications SET read_at = COALESCE(read_at, \(bind: Millis.from(at)))
                WHERE id = \(bind: id.description) AND member_id = \(bind: member.description) RETURNING id
                """
            ).first() != nil
        }
    }

    public func settings(of member: Member.ID) async throws -> NotificationSettings {
        try await store.read { db in try await Self.settings(of: member, in: db) }
    }

    public func save(_ settings: NotificationSettings, of member: Member.ID) async throws {
        try await store.write { db in
            for (kind, delivery) in settings.stored {
                try await db.raw(
                    """
                    INSERT INTO notification_settings (member_id, kind, email, in_app)
                    VALUES (\(bind: member.description), \(bind: kind.rawValue), \(bind: delivery.email.rawValue), \(bind: delivery.inApp ? 1 : 0))
                    ON CONFLICT (member_id, kind) DO UPDATE SET email = excluded.email, in_app = excluded.in_app
                    """
                ).run()
            }
        }
    }

    public func unsubscribe(_ claim: UnsubscribeLinks.Claim, at: Date) async throws -> Bool {
        try await store.write { db in
            let first =
                try await db.raw(
                    """
                    INSERT INTO unsubscribe_uses (mail_id, member_id, kind, used_at)
                    VALUES (\(bind: claim.mail.description), \(bind: claim.member.description), \(bind: claim.kind.rawValue),
                        \(bind: Millis.from(at)))
                    ON CONFLICT (mail_id) DO NOTHING RETURNING mail_id
                    """
                ).first() != nil
            guard first else { return false }
            let inApp = try await Self.settings(of: claim.member, in: db).delivery(for: claim.kind).inApp
            try await db.raw(
                """
                INSERT INTO notification_settings (member_id, kind, email, in_app)
                VALUES (\(bind: claim.member.description), \(bind: claim.kind.rawValue), 'off', \(bind: inApp ? 1 : 0))
                ON CONFLICT (member_id, kind) DO UPDATE SET email = 'off'
                """
            ).run()
            return true
        }
    }
}
