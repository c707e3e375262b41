public import Foundation
public import KithDomain
import SQLKit

public struct SQLEventRepository: EventRepository {
    private let store: any Store
    /// Where links in promotion emails point.
    private let publicURL: String

    public init(store: any Store, publicURL: String = "") {
        self.store = store
        self.publicURL = publicURL
    }

    static let columns = """
        e.id, e.organizer_id, e.title, e.description, e.format, e.starts_at, e.ends_at, e.time_zone, e.location, e.online_url,
        e.capacity, e.audience_cohort, e.rsvp_deadline, e.check_in_code, e.cancelled_at, e.created_at, e.updated_at
        """

    public func insert(_ event: Event) async throws {
        try await store.write { db in
            try await db.raw(
                """
                INSERT INTO events (id, organizer_id, title, description, format, starts_at, ends_at, time_zone, location, online_url,
                    capacity, audience_cohort, rsvp_deadline, check_in_code, cancelled_at, created_at, updated_at)
                VALUES (\(bind: event.id.description), \(bind: event.organizerID.description), \(bind: event.title),
                    \(bind: event.description), \(bind: event.format.rawValue), \(bind: Millis.from(event.startsAt)),
                    \(bind: Millis.from(event.endsAt)), \(bind: event.timeZone), \(bind: event.location), \(bind: event.onlineURL),
                    \(bind: event.capacity.map(Int64.init)), \(bind: event.audienceCohort), \(bind: event.rsvpDeadline.map(Millis.from)),
                    \(bind: event.checkInCode), \(bind: event.cancelledAt.map(Millis.from)), \(bind: Millis.from(event.createdAt)),
                    \(bind: Millis.from(event.updatedAt)))
                """
            ).run()
        }
    }

    /// Stores every field in one transaction: the event row is locked, a capacity below those
    /// already going is refused (nil, nothing written), and new places are filled from the waitlist.
    public func update(_ event: Event, now: Date, notice: @escaping @Sendable (Event) -> PromotionNotice) async throws -> [Member.ID]? {
        let dialect = store.dialect
        let publicURL = publicURL
        return try await store.write { db in
            let eventID = event.id.description
            try await Self.lock(eventID, in: db, dialect: dialect)
            let seats = try await Self.seats(event: eventID, in: db)
            guard Seats.allows(capacity: event.capacity, going: seats.going) else { return nil }
            try await db.raw(
                """
                UPDATE events SET title = \(bind: event.title), description = \(bind: event.description),
                    format = \(bind: event.format.rawValue), starts_at = \(bind: Millis.from(event.startsAt)),
                    ends_at = \(bind: Millis.from(event.endsAt)), time_zone = \(bind: event.timeZone), location = \(bind: event.location),
                    online_url = \(bind: event.onlineURL), capacity = \(bind: event.capacity.map(Int64.init)),
                    audience_cohort = \(bind: event.audienceCohort), rsvp_deadline = \(bind: event.rsvpDeadline.map(Millis.from)),
                    cancelled_at = \(bind: event.cancelledAt.map(Millis.from)), updated_at = \(bind: Millis.from(event.updatedAt))
                WHERE id = \(bind: eventID)
                """
            ).run()
            guard event.cancelledAt == nil else { return [] }
            let free = Seats(going: seats.going, waiting: seats.waiting, capacity: event.capacity).freePlaces
            let promoted = try await Self.promote(first: free, event: eventID, now: now, in: db)
            try await Self.tell(promoted, { notice(event) }, at: now, publicURL: publicURL, in: db)
            return promoted
        }
    }

    public func event(_ id: Event.ID) async throws -> Event? {
        try await store.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM events e WHERE e.id = \(bind: id.description)").first()?.event()
        }
    }

    public func events(matching query: EventQuery) async throws -> [Event] {
        var conditions: [SQLQueryString] = []
        if !query.includeCancelled { conditions.append("e.cancelled_at IS NULL") }
        if let after = query.upcomingAfter { conditions.append("e.ends_at > \(bind: Millis.from(after))") }
        if let format = query.format { conditions.append("e.format = \(bind: format.rawValue)") }
        if let cohort = query.cohort { conditions.append("e.audience_cohort = \(bind: cohort)") }
        if let mine = query.mine {
            conditions.append(
                """
                (e.organizer_id = \(bind: mine.description) OR EXISTS (SELECT 1 FROM rsvps r WHERE r.event_id = e.id
                    AND r.member_id = \(bind: mine.description) AND r.status IN ('going', 'waitlisted', 'maybe')))
                """
            )
        }
        if let after = query.after, let start = Int64(after[0]) {
            conditions.append("(e.starts_at, e.id) > (\(bind: start), \(bind: after[1]))")
        }
        let filter: SQLQueryString = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let sql: SQLQueryString =
            "SELECT \(unsafeRaw: Self.columns) FROM events e" + filter + " ORDER BY e.starts_at, e.id LIMIT \(literal: query.limit)"
        return try await store.read { db in try await db.raw(sql).all().map { try $0.event() } }
    }

    public func counts(of events: [Event.ID]) async throws -> [Event.ID: EventCounts] {
        guard !events.isEmpty else { return [:] }
        return try await store.read { db in
            var result = Dictionary(uniqueKeysWithValues: events.map { ($0, EventCounts(going: 0, waitlisted: 0, maybe: 0)) })
            for row in try await db.raw(
                """
                SELECT event_id, status, COUNT(*) AS n FROM rsvps WHERE event_id IN (\(binds: events.map(\.description)))
                GROUP BY event_id, status
                """
            ).all() {
                let id = Event.ID(try row.uuid("event_id"))
                let count = Int(try row.int64("n"))
                switch try row.string("status") {
                case "going": result[id]?.going = count
                case "waitlisted": result[id]?.waitlisted = count
                case "maybe": result[id]?.maybe = count
                default: break
                }
            }
            return result
        }
    }

    static let rsvpColumns = "r.event_id, r.status, r.waitlist_seq, r.responded_at, r.checked_in_at, \(Columns.member)"

    public func rsvp(of member: Member.ID, to event: Event.ID) async throws -> RSVP? {
        try await store.read { db in
            guard
                let row = try await db.raw(
                    """
                    SELECT \(unsafeRaw: Self.rsvpColumns) FROM rsvps r JOIN members m ON m.id = r.member_id
                    WHERE r.event_id = \(bind: event.description) AND r.member_id = \(bind: member.description)
                    """
                ).first()
            else { return nil }
            var position: Int?
            if let seq = try row.optionalInt64("waitlist_seq") {
                position = try await Self.position(seq, event: event.description, in: db)
            }
            return try row.rsvp(position: position)
        }
    }

    static func position(_ seq: Int64, event: String, in db: any SQLDatabase) async throws -> Int {
        Int(
            try await db.raw(
                """
                SELECT COUNT(*) AS n FROM rsvps WHERE event_id = \(bind: event) AND status = 'waitlisted' AND waitlist_seq <= \(bind: seq)
                """
            ).first()?.int64("n") ?? 0
        )
    }

    public func rsvps(to event: Event.ID) async throws -> [RSVP] {
        try await store.read { db in
            var position = 0
            return try await db.raw(
                """
                SELECT \(unsafeRaw: Self.rsvpColumns) FROM rsvps r JOIN members m ON m.id = r.member_id
                WHERE r.event_id = \(bind: event.description)
                ORDER BY CASE r.status WHEN 'going' THEN 0 WHEN 'waitlisted' THEN 1 WHEN 'maybe' THEN 2 ELSE 3 END,
                    r.waitlist_seq, m.name_key, m.id
                """
            ).all().map { row in
                var rank: Int?
                if try row.optionalInt64("waitlist_seq") != nil {
                    position += 1
                    rank = position
                }
                return try row.rsvp(position: rank)
            }
        }
    }

    /// Locks the event row for this transaction on PostgreSQL (SQLite's single writer already
    /// serialises writes).
    private static func lock(_ event: String, in db: any SQLDatabase, dialect: StoreDialect) async throws {
        guard dialect == .postgres else { return }
        try await db.raw("SELECT 1 FROM events WHERE id = \(bind: event) FOR UPDATE").run()
    }

    /// Going and waiting, in one statement.
    private static func seats(event: String, in db: any SQLDatabase) async throws -> (going: Int, waiting: Int) {
        let row = try await db.raw(
            """
            SELECT COALESCE(SUM(CASE WHEN status = 'going' THEN 1 ELSE 0 END), 0) AS going,
                COALESCE(SUM(CASE WHEN status = 'waitlisted' THEN 1 ELSE 0 END), 0) AS waiting
            FROM rsvps WHERE event_id = \(bind: event) AND status IN ('going', 'waitlisted')
            """
        ).first()
        return (Int(try row?.int64("going") ?? 0), Int(try row?.int64("waiting") ?? 0))
    }

    private static func tell(
        _ promoted: [Member.ID],
        _ makeNotice: () -> PromotionNotice,
        at: Date,
        publicURL: String,
        in db: any SQLDatabase
    ) async throws {
        guard !promoted.isEmpty else { return }
        let notice = makeNotice()
        for member in promoted {
            let addressed = Notice(member: member, kind: .event, key: notice.key, title: notice.title, body: notice.body, link: notice.link)
            try await SQLReminderRepository.notify(addressed, at: at, publicURL: publicURL, in: db)
        }
    }

    /// Moves the first `count` members of the waitlist to going, in one statement.
    private static func promote(first count: Int, event: String, now: Date, in db: any SQLDatabase) async throws -> [Member.ID] {
        guard count > 0 else { return [] }
        return try await db.raw(
            """
            UPDATE rsvps SET status = 'going', waitlist_seq = NULL, responded_at = \(bind: Millis.from(now))
            WHERE event_id = \(bind: event) AND member_id IN (
                SELECT member_id FROM rsvps WHERE event_id = \(bind: event) AND status = 'waitlisted'
                ORDER BY waitlist_seq LIMIT \(literal: count))
            RETURNING member_id
            """
        ).all().map { Member.ID(try $0.uuid("member_id")) }
    }

    /// One RSVP in as few statements as possible (it is the hot write path): one read of the
    /// locked event with the member's answer and the seat counts, the domain's seat rule
    /// (`Seats.answer`) on them, then the answer itself, then — only when a going member leaves —
    /// the promotion of the first in line.
    public func respond(
        _ choice: RSVPChoice,
        member: Member.ID,
        event: Event.ID,
        now: Date,
        admit: @escaping @Sendable (Event) throws -> Void,
        notice: @escaping @Sendable (Event) -> PromotionNotice
    ) async throws -> RSVPOutcome {
        let dialect = store.dialect
        let publicURL = publicURL
        return try await store.write { db in
            let eventID = event.description
            let memberID = member.description
            // PostgreSQL: lock first, then count in a statement of its own — a statement that
            // waited for a lock still counts with the snapshot it started with.
            try await Self.lock(eventID, in: db, dialect: dialect)
            guard
                let row = try await db.raw(
                    """
                    SELECT \(unsafeRaw: Self.columns), r.status,
                        (SELECT COUNT(*) FROM rsvps g WHERE g.event_id = e.id AND g.status = 'going') AS going,
                        (SELECT COUNT(*) FROM rsvps w WHERE w.event_id = e.id AND w.status = 'waitlisted') AS waiting,
                        (SELECT COUNT(*) FROM rsvps w WHERE w.event_id = e.id AND w.status = 'waitlisted'
                            AND w.waitlist_seq <= r.waitlist_seq) AS position
                    FROM events e LEFT JOIN rsvps r ON r.event_id = e.id AND r.member_id = \(bind: memberID)
                    WHERE e.id = \(bind: eventID)
                    """
                ).first()
            else { throw DomainError.notFound("event") }
            let stored = try row.event()
            try admit(stored)
            let current = try row.optionalString("status").flatMap(RSVPStatus.init(rawValue:))
            let seats = Seats(going: Int(try row.int64("going")), waiting: Int(try row.int64("waiting")), capacity: stored.capacity)
            let position = current == .waitlisted ? Int(try row.int64("position")) : nil
            let (status, place, promote): (RSVPStatus, Int?, Int)
            switch seats.answer(choice, current: current, position: position) {
            case .unchanged(let status, let position):
                return RSVPOutcome(status: status, waitlistPosition: position, promoted: [])
            case .store(let newStatus, let newPlace, let count): (status, place, promote) = (newStatus, newPlace, count)
            }
            // The new place in line is after everyone waiting (the event is locked, and SQLite
            // has one writer), so nobody can be overtaken.
            let seq: SQLQueryString =
                status == .waitlisted
                ? "(SELECT COALESCE(MAX(waitlist_seq), 0) + 1 FROM rsvps WHERE event_id = \(bind: eventID) AND status = 'waitlisted')"
                : "NULL"
            try await db.raw(
                """
                INSERT INTO rsvps (event_id, member_id, status, waitlist_seq, responded_at)
                VALUES (\(bind: eventID), \(bind: memberID), \(bind: status.rawValue), \(seq), \(bind: Millis.from(now)))
                ON CONFLICT (event_id, member_id) DO UPDATE SET status = excluded.status, waitlist_seq = excluded.waitlist_seq,
                    responded_at = excluded.responded_at
                """
            ).run()
            let promoted = try await Self.promote(first: promote, event: eventID, now: now, in: db)
            try await Self.tell(promoted, { notice(stored) }, at: now, publicURL: publicURL, in: db)
            return RSVPOutcome(status: status, waitlistPosition: place, promoted: promoted)
        }
    }

    public func checkIn(member: Member.ID, event: Event.ID, at: Date) async throws -> Bool {
        try await store.write { db in
            try await db.raw(
                """
                UPDATE rsvps SET checked_in_at = COALESCE(checked_in_at, \(bind: Millis.from(at)))
                WHERE event_id = \(bind: event.description) AND member_id = \(bind: member.description) AND status = 'going'
                RETURNING member_id
                """
            ).first() != nil
        }
    }

    public func attendance(of member: Member.ID, endedBefore before: Date, limit: Int) async throws -> [Attendance] {
        try await store.read { db in
            try await db.raw(
                """
                SELECT \(unsafeRaw: Self.columns), r.checked_in_at FROM rsvps r JOIN events e ON e.id = r.event_id
                WHERE r.member_id = \(bind: member.description) AND r.status = 'going' AND e.cancelled_at IS NULL
                  AND e.ends_at <= \(bind: Millis.from(before))
                ORDER BY e.starts_at DESC, e.id LIMIT \(literal: limit)
                """
            ).all().map { Attendance(event: try $0.event(), checkedInAt: try $0.optionalInt64("checked_in_at").map(Millis.date)) }
        }
    }

    public func going(to event: Event.ID, withCohorts cohorts: [String]) async throws -> [Member] {
        try await store.read { db in
            try await db.raw(
                """
                SELECT \(unsafeRaw: Columns.member) FROM rsvps r JOIN members m ON m.id = r.member_id
                JOIN profiles p ON p.member_id = m.id
                WHERE r.event_id = \(bind: event.description) AND r.status = 'going' AND p.vis_affiliations = 'community'
                  AND EXISTS (SELECT 1 FROM affiliations a WHERE a.member_id = m.id AND a.cohort_key IN (\(binds: cohorts)))
                ORDER BY m.name_key, m.id LIMIT 50
                """
            ).all().map { try $0.member() }
        }
    }

    public func cohortMembers(_ cohortKey: String) async throws -> [Member.ID] {
        try await store.read { db in
            try await db.raw(
                """
                SELECT DISTINCT a.member_id FROM affiliations a JOIN profiles p ON p.member_id = a.member_id
                WHERE a.cohort_key = \(bind: cohortKey) AND p.vis_affiliations <> 'only_me'
                """
            ).all().map { Member.ID(try $0.uuid("member_id")) }
        }
    }

    public func createdCount(by organizer: Member.ID, since: Date) async throws -> Int {
        try await store.read { db in
            try await db.raw(
                """
                SELECT COUNT(*) AS n FROM events
                WHERE organizer_id = \(bind: organizer.description) AND created_at >= \(bind: Millis.from(since))
                """
            ).first().map { Int(try $0.int64("n")) } ?? 0
        }
    }

    public func calendarFeed(of member: Member.ID) async throws -> Date? {
        try await store.read { db in
            if let row = try await db.raw("SELECT created_at FROM calendar_feeds WHERE member_id = \(bind: member.description)").first() {
                return try row.date("created_at")
            }
            // An address from before migration 11 (its date was not kept).
            let legacy = try await db.raw("SELECT 1 AS x FROM calendar_tokens WHERE member_id = \(bind: member.description)").first()
            return legacy == nil ? nil : Date(timeIntervalSince1970: 0)
        }
    }

    public func replaceCalendarFeed(of member: Member.ID, digest: String, at: Date) async throws {
        try await store.write { db in
            try await db.raw("DELETE FROM calendar_tokens WHERE member_id = \(bind: member.description)").run()
            try await db.raw(
                """
                INSERT INTO calendar_feeds (member_id, digest, created_at)
                VALUES (\(bind: member.description), \(bind: digest), \(bind: Millis.from(at)))
                ON CONFLICT (member_id) DO UPDATE SET digest = excluded.digest, created_at = excluded.created_at
                """
            ).run()
        }
    }

    public func member(calendarToken token: String, digest: String, at: Date) async throws -> Member.ID? {
        if let found = try await store.read({ db in
            try await db.raw("SELECT member_id FROM calendar_feeds WHERE digest = \(bind: digest)").first().map {
                Member.ID(try $0.uuid("member_id"))
            }
        }) {
            return found
        }
        // A plain-text address from before migration 11: moved to a digest on first use.
        return try await store.write { db in
            guard
                let member = try await db.raw("SELECT member_id FROM calendar_tokens WHERE token = \(bind: token)").first().map({
                    Member.ID(try $0.uuid("member_id"))
                })
            else { return nil }
            try await db.raw("DELETE FROM calendar_tokens WHERE member_id = \(bind: member.description)").run()
            try await db.raw(
                """
                INSERT INTO calendar_feeds (member_id, digest, created_at)
                VALUES (\(bind: member.description), \(bind: digest), \(bind: Millis.from(at))) ON CONFLICT (member_id) DO NOTHING
                """
            ).run()
            return member
        }
    }
}

extension SQLRow {
    func event() throws -> Event {
        guard let format = EventFormat(rawValue: try string("format")) else { throw CorruptRow(description: "unknown event format") }
        return Event(
            id: Event.ID(try uuid("id")),
            organizerID: Member.ID(try uuid("organizer_id")),
            title: try string("title"),
            description: try string("description"),
            format: format,
            startsAt: try date("starts_at"),
            endsAt: try date("ends_at"),
            timeZone: try string("time_zone"),
            location: try string("location"),
            onlineURL: try string("online_url"),
            capacity: try optionalInt64("capacity").map(Int.init),
            audienceCohort: try string("audience_cohort"),
            rsvpDeadline: try optionalInt64("rsvp_deadline").map(Millis.date),
            checkInCode: try string("check_in_code"),
            cancelledAt: try optionalInt64("cancelled_at").map(Millis.date),
            createdAt: try date("created_at"),
            updatedAt: try date("updated_at")
        )
    }

    func rsvp(position: Int?) throws -> RSVP {
        RSVP(
            eventID: Event.ID(try uuid("event_id")),
            member: try member(),
            status: RSVPStatus(rawValue: try string("status")) ?? .notGoing,
            waitlistPosition: position,
            respondedAt: try date("responded_at"),
            checkedInAt: try optionalInt64("checked_in_at").map(Millis.date)
        )
    }
}
