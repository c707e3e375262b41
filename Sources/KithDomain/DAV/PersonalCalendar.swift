public import Foundation

/// One resource of the member's CalDAV calendar: an event, the weekly networking slot, or an open
/// follow-up (a to-do with its due date).
public struct CalendarItem: Sendable, Equatable {
    public enum Component: String, Sendable { case event = "VEVENT", todo = "VTODO" }

    public var name: String
    public var component: Component
    public var body: String
    /// When it starts (a to-do: when it is due).
    public var start: Date
    /// When it ends; nil when it repeats without end.
    public var end: Date?
    /// Whether it makes the member busy (a free-busy query): an event not cancelled.
    public var busy = false

    /// A strong ETag from the bytes themselves.
    public var etag: String { "\"" + SHA256Digest.hex(of: body).prefix(20) + "\"" }

    /// Whether it falls in [start, end) (RFC 4791 §9.9, for the kinds of items Kith writes).
    public func overlaps(start rangeStart: Date?, end rangeEnd: Date?) -> Bool {
        let itemEnd = end ?? .distantFuture
        switch component {
        case .todo:
            return (rangeStart.map { start >= $0 } ?? true) && (rangeEnd.map { start < $0 } ?? true)
        case .event:
            return (rangeEnd.map { start < $0 } ?? true) && (rangeStart.map { itemEnd > $0 } ?? true)
        }
    }
}

/// Snapshots of what a member's calendar held when a sync token was given, so that a later
/// sync can say what changed and what went.
public protocol CalendarSyncRepository: Sendable {
    /// Keeps the snapshot for `token` (the newest few per member are kept).
    func save(_ entries: [String: String], token: String, member: Member.ID, at: Date) async throws
    func entries(token: String, member: Member.ID) async throws -> [String: String]?
}

/// The member's calendar as CalDAV sees it, read-only: the events they organise or answered
/// going, maybe or waitlisted to, their weekly networking slot (its description this week's
/// plan), and their open follow-ups as to-dos.
public struct PersonalCalendar: Sendable {
    let events: EventService
    let plans: PlanService
    let contacts: ContactService
    let sync: any CalendarSyncRepository
    let now: @Sendable () -> Date

    public init(
        events: EventService,
        plans: PlanService,
        contacts: ContactService,
        sync: any CalendarSyncRepository,
        now: @escaping @Sendable () -> Date
    ) {
        self.events = events
        self.plans = plans
        self.contacts = contacts
        self.sync = sync
        self.now = now
    }

    public func items(of member: Member, publicURL: String, links: any PageLinks) async throws -> [CalendarItem] {
        var items: [CalendarItem] = []
        for event in try await events.calendarEvents(of: member.id) {
            items.append(
                CalendarItem(
                    name: "event-\(event.id).ics",
                    component: .event,
                    body: events.calendarFile(event, publicURL: publicURL),
                    start: event.startsAt,
                    end: event.endsAt,
                    busy: event.cancelledAt == nil
                )
            )
        }
        let slot = try await plans.calendarEntry(for: member)
        items.append(
            CalendarItem(
                name: "weekly-plan.ics",
                component: .event,
                body: ICalendar.calendar([], recurring: [slot], publicURL: publicURL, links: links, name: nil, method: false),
                start: slot.slot.start(inWeekOf: slot.firstWeek),
                end: nil
            )
        )
        var names: [Contact.ID: String] = [:]
        for followUp in try await contacts.openFollowUps(owner: member) {
            // Only the contacts follow-ups name are read (a book may hold 50,000).
            if names[followUp.contactID] == nil {
                names[followUp.contactID] = try await contacts.contactsRepository.contact(followUp.contactID, owner: member.id)?.name ?? ""
            }
            let who = names[followUp.contactID].flatMap { $0.isEmpty ? nil : " with \($0)" } ?? ""
            let lines = [
                "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Kith//Follow-ups//EN", "CALSCALE:GREGORIAN",
                "BEGIN:VTODO",
                "UID:follow-up-\(followUp.id)@kith",
                "DTSTAMP:" + ICalendar.utc(followUp.createdAt),
                "DUE:" + ICalendar.utc(followUp.dueAt),
                "SUMMARY:" + ContentLines.escape("Follow up\(who): \(followUp.text)"),
                "STATUS:NEEDS-ACTION",
                "URL:" + publicURL + links.contact(followUp.contactID),
                "END:VTODO", "END:VCALENDAR",
            ]
            items.append(
                CalendarItem(
                    name: "follow-up-\(followUp.id).ics",
                    component: .todo,
                    body: lines.map(ContentLines.fold).joined(),
                    start: followUp.dueAt,
                    end: followUp.dueAt
                )
            )
        }
        return items
    }

    /// A free-busy answer (RFC 4791 §7.10) for [start, end): the member's busy periods, without
    /// saying what they are.
    public static func freeBusy(_ items: [CalendarItem], start: Date, end: Date, now: Date) -> String {
        let periods = items.filter { $0.busy && $0.overlaps(start: start, end: end) }.sorted { $0.start < $1.start }.map {
            "FREEBUSY:" + ICalendar.utc(max($0.start, start)) + "/" + ICalendar.utc(min($0.end ?? end, end))
        }
        let lines =
            [
                "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Kith//Free-busy//EN", "BEGIN:VFREEBUSY", "DTSTAMP:" + ICalendar.utc(now),
                "DTSTART:" + ICalendar.utc(start), "DTEND:" + ICalendar.utc(end),
            ] + periods + ["END:VFREEBUSY", "END:VCALENDAR"]
        return lines.map(ContentLines.fold).joined()
    }

    /// The sync token for the calendar as it is now (its snapshot kept for later syncs).
    public func token(for items: [CalendarItem], of member: Member) async throws -> String {
        let entries = Dictionary(items.map { ($0.name, $0.etag) }, uniquingKeysWith: { first, _ in first })
        let token = String(
            SHA256Digest.hex(of: entries.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "\n")).prefix(24)
        )
        try await sync.save(entries, token: token, member: member.id, at: now())
        return token
    }

    /// Items changed or added since `token` and names gone since; nil for a token this calendar
    /// never gave (or forgot: the client then syncs from the start).
    public func changes(
        since token: String,
        items: [CalendarItem],
        of member: Member
    ) async throws -> (changed: [CalendarItem], deleted: [String])? {
        guard token.count <= 64, let before = try await sync.entries(token: token, member: member.id) else { return nil }
        let now = Set(items.map(\.name))
        return (items.filter { before[$0.name] != $0.etag }, before.keys.filter { !now.contains($0) }.sorted())
    }
}
