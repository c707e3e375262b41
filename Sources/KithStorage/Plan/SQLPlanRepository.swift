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

    public func recordWeeklyEmail(for member: Member.ID, weekOf: Date, keys: [String], mail: OutgoingMail) async throws -> Bool {
        try await store.write { db in
            let recorded =
                try await db.raw(
                    """
                    INSERT INTO weekly_emails (member_id, week_of, item_keys, created_at)
                    VALUES (\(bind: member.description), \(bind: Millis.from(weekOf)), \(bind: keys.joined(separator: "\n")),
                        \(bind: Millis.from(mail.createdAt)))
                    ON CONFLICT (member_id, week_of) DO NOTHING RETURNING member_id
                    """
                ).first() != nil
            guard recorded else { return false }
            try await Outbox.queue(mail, in: db)
            return true
        }
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
                keys.formUnion(try row.string("item_keys").split(separator: "\n").map(String.init))
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
