public import Foundation
public import KithDomain
import SQLKit

/// Weekly slots, plan item states and the weekly emails, on SQLite and PostgreSQL.
public struct SQLPlanRepository: PlanRepository {
    private let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    public func slot(of member: Member.ID) async throws -> WeeklySlot? {
        try await store.read { db in
            try await db.raw(
                "SELECT weekday, hour, minute, time_zone, minutes FROM weekly_slots WHERE member_id = \(bind: member.description)"
            ).first().map { try $0.weeklySlot() }
        }
    }

    public func saveSlot(_ slot: WeeklySlot, of member: Member.ID) async throws {
        try await store.write { db in
            try await db.raw(
                """
                INSERT INTO weekly_slots (member_id, weekday, hour, minute, time_zone, minutes)
                VALUES (\(bind: member.description), \(bind: slot.weekday), \(bind: slot.hour), \(bind: slot.minute), \(bind: slot.timeZone),
                    \(bind: slot.minutes))
                ON CONFLICT (member_id) DO UPDATE SET weekday = excluded.weekday, hour = excluded.hour, minute = excluded.minute,
                    time_zone = excluded.time_zone, minutes = excluded.minutes
                """
            ).run()
        }
    }

    public func states(of member: Member.ID) async throws -> [String: PlanItemState] {
        try await store.read { db in
            var states: [String: PlanItemState] = [:]
            for row in try await db.raw("SELECT key, state, until FROM plan_item_states WHERE member_id = \(bind: member.description)")
                .all()
            {
                let until = try row.date("until")
                states[try row.string("key")] = try row.string("state") == "done" ? .done(at: until) : .snoozed(until: until)
            }
            return states
        }
    }

    public func setState(_ state: PlanItemState, of key: String, for member: Member.ID) async throws {
        let (name, until): (String, Date) =
            switch state {
            case .done(let at): ("done", at)
            case .snoozed(let until): ("snoozed", until)
            }
        try await store.write { db in
            try await db.raw(
                """
                INSERT INTO plan_item_states (member_id, key, state, until)
                VALUES (\(bind: member.description), \(bind: key), \(bind: name), \(bind: Millis.from(until)))
                ON CONFLICT (member_id, key) DO UPDATE SET state = excluded.state, until = excluded.until
                """
            ).run()
        }
    }

    public func conversationsHad(by member: Member.ID, since: Date) async throws -> Int {
        try await store.read { db in
            let id = member.description
            let at = Millis.from(since)
            let logged =
                try await db.raw(
                    "SELECT COUNT(*) AS n FROM interactions WHERE owner_id = \(bind: id) AND occurred_at >= \(bind: at)"
                ).first()?.int64("n") ?? 0
            let written =
                try await db.raw(
                    "SELECT COUNT(DISTINCT conversation_id) AS n FROM messages WHERE author_id = \(bind: id) AND sent_at >= \(bind: at)"
                ).first()?.int64("n") ?? 0
            return Int(logged + written)
        }
    }

    public func recordWeeklyEmails(_ emails: [WeeklyEmail], weekOf: Date) async throws -> Int {
        guard !emails.isEmpty else { return 0 }
        return try await store.write { db in
            var recorded = 0
            for email in emails {
                guard
                    try await db.raw(
                        """
                        INSERT INTO weekly_emails (member_id, week_of, item_keys, created_at)
                        VALUES (\(bind: email.member.description), \(bind: Millis.from(weekOf)), \(bind: email.keys.joined(separator: "\n")),
                            \(bind: Millis.from(email.mail.createdAt)))
                        ON CONFLICT (member_id, week_of) DO NOTHING RETURNING member_id
                        """
                    ).first() != nil
                else { continue }
                try await Outbox.queue(email.mail, in: db)
                recorded += 1
            }
            return recorded
        }
    }

    /// Each store the plan reads, by the column naming the member it belongs to (all indexed first).
    private static let planSources: [(table: String, column: String, source: PlanSourceSet)] = [
        ("looking_signals", "member_id", .lookingSignal),
        ("looking_circle", "supporter_id", .lookingCircle),
        ("asks", "asker_id", .asksMade),
        ("ask_route", "member_id", .asksRouted),
        ("conversation_participants", "member_id", .conversations),
        ("contacts", "owner_id", .contacts),
        ("follow_ups", "owner_id", .contacts),
        ("interactions", "owner_id", .contacts),
        ("events", "organizer_id", .events),
        ("rsvps", "member_id", .events),
        ("plan_item_states", "member_id", .itemStates),
        ("weekly_emails", "member_id", .weeklyEmails),
        ("notification_settings", "member_id", .notificationSettings),
        ("notifications", "member_id", .notifications),
    ]

    public func sourcesPresent(after: Member.ID?, through: Member.ID) async throws -> [Member.ID: PlanSourceSet] {
        let (low, high) = (after?.description ?? "", through.description)
        // One statement for the batch: per store, the distinct members in the id range (an index
        // range each), tagged with the store's bit.
        let query = Self.overEveryStore { table, column, bit, query in
            query.appendInterpolation(
                unsafeRaw: "SELECT DISTINCT \(column) AS member_id, \(bit) AS source FROM \(table) WHERE \(column) > "
            )
            query.appendInterpolation(bind: low)
            query.appendInterpolation(unsafeRaw: " AND \(column) <= ")
            query.appendInterpolation(bind: high)
        }
        return try await store.read { db in
            var present: [Member.ID: PlanSourceSet] = [:]
            for row in try await db.raw(query).all() {
                let member = Member.ID(try row.uuid("member_id"))
                present[member, default: []].insert(PlanSourceSet(rawValue: UInt16(try row.int64("source"))))
            }
            return present
        }
    }

    public func sourcesPresent(of member: Member.ID) async throws -> PlanSourceSet {
        let id = member.description
        // One statement: per store, its bit if it holds a row for the member (one index probe each,
        // however many rows the member has there).
        let query = Self.overEveryStore { table, column, bit, query in
            query.appendInterpolation(unsafeRaw: "SELECT \(bit) AS source WHERE EXISTS (SELECT 1 FROM \(table) WHERE \(column) = ")
            query.appendInterpolation(bind: id)
            query.appendLiteral(")")
        }
        return try await store.read { db in
            try await db.raw(query).all().reduce(into: PlanSourceSet()) { present, row in
                present.insert(PlanSourceSet(rawValue: UInt16(try row.int64("source"))))
            }
        }
    }

    /// One `SELECT` per store the plan reads, written by `select` (given the table, its member
    /// column and the store's bit), joined by `UNION ALL`.
    private static func overEveryStore(_ select: (String, String, UInt16, inout SQLQueryString) -> Void) -> SQLQueryString {
        var query = SQLQueryString("")
        for (index, source) in planSources.enumerated() {
            if index > 0 { query.appendLiteral(" UNION ALL ") }
            select(source.table, source.column, source.source.rawValue, &query)
        }
        return query
    }

    public func membersAwaitingWeeklyEmail(
        weekOf: Date,
        after: Member.ID?,
        limit: Int
    ) async throws
        -> [(member: Member, email: String, slot: WeeklySlot?, stage: CareerStage?)]
    {
        try await store.read { db in
            try await db.raw(
                """
                SELECT \(unsafeRaw: Columns.member), s.weekday, s.hour, s.minute, s.time_zone, s.minutes, p.career_stage
                FROM members m
                LEFT JOIN weekly_slots s ON s.member_id = m.id
                LEFT JOIN profiles p ON p.member_id = m.id
                WHERE m.id > \(bind: after?.description ?? "")
                  AND NOT EXISTS (SELECT 1 FROM weekly_emails w WHERE w.member_id = m.id AND w.week_of = \(bind: Millis.from(weekOf)))
                ORDER BY m.id LIMIT \(literal: limit)
                """
            ).all().map { row in
                let member = try row.member()
                let slot = try row.optionalInt64("weekday") == nil ? nil : try row.weeklySlot()
                let stage = try row.optionalString("career_stage").flatMap(CareerStage.init(rawValue:))
                return (member, member.email.rawValue, slot, stage)
            }
        }
    }

    public func emailedKeys(of member: Member.ID) async throws -> Set<String> {
        try await store.read { db in
            var keys = Set<String>()
            for row in try await db.raw("SELECT item_keys FROM weekly_emails WHERE member_id = \(bind: member.description)").all() {
                keys.formUnion(Lists.split(try row.string("item_keys")))
            }
            return keys
        }
    }

    public func emailedKeys(after: Member.ID?, through: Member.ID) async throws -> [Member.ID: Set<String>] {
        try await store.read { db in
            // An index range: the primary key starts with member_id.
            let rows = try await db.raw(
                """
                SELECT member_id, item_keys FROM weekly_emails
                WHERE member_id > \(bind: after?.description ?? "") AND member_id <= \(bind: through.description)
                """
            ).all()
            var keys: [Member.ID: Set<String>] = [:]
            for row in rows {
                keys[Member.ID(try row.uuid("member_id")), default: []].formUnion(Lists.split(try row.string("item_keys")))
            }
            return keys
        }
    }
}

extension SQLRow {
    fileprivate func weeklySlot() throws -> WeeklySlot {
        WeeklySlot(
            weekday: Int(try int64("weekday")),
            hour: Int(try int64("hour")),
            minute: Int(try int64("minute")),
            timeZone: try string("time_zone"),
            minutes: Int(try int64("minutes"))
        )
    }
}
