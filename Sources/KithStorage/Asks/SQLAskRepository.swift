public import Foundation
public import KithDomain
import SQLKit

/// Asks on either backend. A change reads the ask with its row locked (PostgreSQL: `FOR UPDATE`;
/// SQLite has one writer), applies the domain's transition, and writes back the ask, the route
/// members it newly reached, its new notes and the notices — one transaction.
public struct SQLAskRepository: AskRepository {
    private let store: any Store
    private let publicURL: String

    public init(store: any Store, publicURL: String = "") {
        self.store = store
        self.publicURL = publicURL
    }

    static let columns =
        "id, kind, asker_id, step, stage, purpose, blurb, request, created_at, step_started_at, deadline, nudged_at, closed_at, outcome, "
        + "audience, skills, organization"

    public func create(_ ask: Ask, admit: @escaping @Sendable (AskLoad) throws -> Void, notices: [Notice]) async throws {
        let dialect = store.dialect
        let publicURL = publicURL
        try await store.write { db in
            // One asker's asks are admitted one at a time, so two at once cannot both pass a cap.
            if dialect == .postgres {
                try await db.raw("SELECT id FROM members WHERE id = \(bind: ask.asker.description) FOR UPDATE").run()
            }
            try admit(try await Self.load(for: ask, in: db))
            try await db.raw(
                """
                INSERT INTO asks (\(unsafeRaw: Self.columns), waiting_on) VALUES (
                    \(bind: ask.id.description), \(bind: ask.kind.rawValue), \(bind: ask.asker.description), \(bind: Int64(ask.step)),
                    \(bind: ask.stage.rawValue), \(bind: ask.purpose), \(bind: ask.blurb), \(bind: ask.request),
                    \(bind: Millis.from(ask.createdAt)), \(bind: Millis.from(ask.stepStartedAt)), \(bind: Millis.from(ask.deadline)),
                    \(bind: ask.nudgedAt.map(Millis.from)), \(bind: ask.closedAt.map(Millis.from)), \(bind: ask.outcome?.rawValue),
                    \(bind: ask.topic.audience?.rawValue), \(bind: ask.topic.skills.joined(separator: "\n")), \(bind: ask.topic.organization),
                    \(bind: Self.waitingOn(ask)?.description))
                """
            ).run()
            for (position, member) in ask.route.enumerated() {
                let reached: Int64? = position <= ask.step ? Millis.from(ask.stepStartedAt) : nil
                try await db.raw(
                    """
                    INSERT INTO ask_route (ask_id, position, member_id, reached_at, reason)
                    VALUES (\(bind: ask.id.description), \(bind: Int64(position)), \(bind: member.description), \(bind: reached),
                        \(bind: ask.reasons[member] ?? ""))
                    """
                ).run()
            }
            for notice in notices { try await SQLReminderRepository.notify(notice, at: ask.createdAt, publicURL: publicURL, in: db) }
        }
    }

    /// The asker's open asks of this kind, and for the first addressee: asks of this kind waiting
    /// on them, asks of this kind that reached them in 30 days, and what they set.
    static func load(for ask: Ask, in db: any SQLDatabase) async throws -> AskLoad {
        let open =
            try await db.raw(
                """
                SELECT COUNT(*) AS n FROM asks
                WHERE asker_id = \(bind: ask.asker.description) AND kind = \(bind: ask.kind.rawValue) AND stage = 'waiting'
                """
            ).first()?.int64("n") ?? 0
        var addressees: [Member.ID: AskLoad.Addressee] = [:]
        if let first = ask.route.first {
            addressees[first] = try await addressee(first, kind: ask.kind, since: ask.createdAt.addingTimeInterval(-30 * 86_400), in: db)
        }
        return AskLoad(askerOpen: Int(open), addressees: addressees)
    }

    /// Whom an ask waits on (`asks.waiting_on`): the route member at its step while it waits.
    static func waitingOn(_ ask: Ask) -> Member.ID? {
        ask.stage == .waiting && ask.route.indices.contains(ask.step) ? ask.route[ask.step] : nil
    }

    /// What an addressee's caps are checked against. Asks that reached them this month are
    /// counted only when they set a monthly limit (the count is then what the limit needs).
    static func addressee(_ member: Member.ID, kind: AskKind, since: Date, in db: any SQLDatabase) async throws -> AskLoad.Addressee {
        let waiting =
            try await db.raw(
                """
                SELECT COUNT(*) AS n FROM asks
                WHERE waiting_on = \(bind: member.description) AND kind = \(bind: kind.rawValue)
                """
            ).first()?.int64("n") ?? 0
        let availability = try await availability(of: member, kind: kind, in: db)
        var received: Int64 = 0
        if availability.monthlyLimit != nil {
            received =
                try await db.raw(
                    """
                    SELECT COUNT(*) AS n FROM ask_route r JOIN asks a ON a.id = r.ask_id
                    WHERE r.member_id = \(bind: member.description) AND a.kind = \(bind: kind.rawValue)
                      AND r.reached_at >= \(bind: Millis.from(since))
                    """
                ).first()?.int64("n") ?? 0
        }
        return AskLoad.Addressee(waiting: Int(waiting), receivedThisMonth: Int(received), availability: availability)
    }

    public func ask(_ id: Ask.ID) async throws -> Ask? {
        try await store.read { db in try await Self.ask(id, lock: false, in: db) }
    }

    static func ask(_ id: Ask.ID, lock: Bool, in db: any SQLDatabase) async throws -> Ask? {
        guard
            let row = try await db.raw(
                "SELECT \(unsafeRaw: columns) FROM asks WHERE id = \(bind: id.description)\(unsafeRaw: lock ? " FOR UPDATE" : "")"
            ).first()
        else { return nil }
        return try await assemble([row], in: db).first
    }

    /// Asks from their rows, with their routes and notes in two reads.
    static func assemble(_ rows: [any SQLRow], in db: any SQLDatabase) async throws -> [Ask] {
        guard !rows.isEmpty else { return [] }
        let ids = try rows.map { try $0.string("id") }
        var routes: [String: [Member.ID]] = [:]
        var reasons: [String: [Member.ID: String]] = [:]
        var declined: [String: Set<Member.ID>] = [:]
        for row in try await db.raw(
            "SELECT ask_id, member_id, reason, passed_at FROM ask_route WHERE ask_id IN (\(binds: ids)) ORDER BY ask_id, position"
        ).all() {
            let (askID, member) = (try row.string("ask_id"), Member.ID(try row.uuid("member_id")))
            routes[askID, default: []].append(member)
            let reason = try row.string("reason")
            if !reason.isEmpty { reasons[askID, default: [:]][member] = reason }
            if try row.optionalInt64("passed_at") != nil { declined[askID, default: []].insert(member) }
        }
        var helpers: [String: [Member.ID]] = [:]
        for row in try await db.raw(
            "SELECT ask_id, member_id FROM ask_helpers WHERE ask_id IN (\(binds: ids)) ORDER BY ask_id, member_id"
        ).all() {
            helpers[try row.string("ask_id"), default: []].append(Member.ID(try row.uuid("member_id")))
        }
        var notes: [String: [AskNote]] = [:]
        for row in try await db.raw(
            "SELECT ask_id, author_id, text, written_at FROM ask_notes WHERE ask_id IN (\(binds: ids)) ORDER BY ask_id, position"
        ).all() {
            notes[try row.string("ask_id"), default: []].append(
                AskNote(author: Member.ID(try row.uuid("author_id")), text: try row.string("text"), at: try row.date("written_at"))
            )
        }
        return try rows.compactMap { row in
            let id = try row.string("id")
            guard let askID = Ask.ID(id), let kind = AskKind(rawValue: try row.string("kind")),
                let stage = AskStage(rawValue: try row.string("stage")), let route = routes[id], !route.isEmpty
            else { return nil }
            var ask = Ask(
                id: askID,
                kind: kind,
                asker: Member.ID(try row.uuid("asker_id")),
                route: route,
                purpose: try row.string("purpose"),
                blurb: try row.string("blurb"),
                request: try row.string("request"),
                at: try row.date("created_at")
            )
            ask.step = Int(try row.int64("step"))
            ask.stage = stage
            ask.notes = notes[id] ?? []
            ask.stepStartedAt = try row.date("step_started_at")
            ask.deadline = try row.date("deadline")
            ask.nudgedAt = try row.optionalInt64("nudged_at").map(Millis.date)
            ask.closedAt = try row.optionalInt64("closed_at").map(Millis.date)
            ask.outcome = try row.optionalString("outcome").flatMap(AskOutcome.init(rawValue:))
            ask.topic = AskTopic(
                audience: try row.optionalString("audience").flatMap(AskAudience.init(rawValue:)),
                skills: try row.string("skills").split(separator: "\n").map(String.init),
                organization: try row.string("organization")
            )
            ask.reasons = reasons[id] ?? [:]
            ask.declined = declined[id] ?? []
            ask.helpers = helpers[id] ?? []
            return ask
        }
    }

    public func update(_ id: Ask.ID, at: Date, _ change: @escaping @Sendable (inout Ask) throws -> [Notice]) async throws -> Ask? {
        let dialect = store.dialect
        let publicURL = publicURL
        return try await store.write { db in
            guard let before = try await Self.ask(id, lock: dialect == .postgres, in: db) else { return nil }
            var after = before
            let notices = try change(&after)
            try await db.raw(
                """
                UPDATE asks SET step = \(bind: Int64(after.step)), stage = \(bind: after.stage.rawValue),
                    step_started_at = \(bind: Millis.from(after.stepStartedAt)), deadline = \(bind: Millis.from(after.deadline)),
                    nudged_at = \(bind: after.nudgedAt.map(Millis.from)), closed_at = \(bind: after.closedAt.map(Millis.from)),
                    outcome = \(bind: after.outcome?.rawValue), waiting_on = \(bind: Self.waitingOn(after)?.description)
                WHERE id = \(bind: id.description)
                """
            ).run()
            if after.step > before.step {
                try await db.raw(
                    """
                    UPDATE ask_route SET reached_at = \(bind: Millis.from(after.stepStartedAt))
                    WHERE ask_id = \(bind: id.description) AND position > \(bind: Int64(before.step))
                      AND position <= \(bind: Int64(after.step))
                    """
                ).run()
            }
            for (offset, note) in after.notes.dropFirst(before.notes.count).enumerated() {
                try await db.raw(
                    """
                    INSERT INTO ask_notes (ask_id, position, author_id, text, written_at)
                    VALUES (\(bind: id.description), \(bind: Int64(before.notes.count + offset)), \(bind: note.author.description),
                        \(bind: note.text), \(bind: Millis.from(note.at)))
                    """
                ).run()
            }
            for member in after.declined.subtracting(before.declined) {
                try await db.raw(
                    """
                    UPDATE ask_route SET passed_at = \(bind: Millis.from(at))
                    WHERE ask_id = \(bind: id.description) AND member_id = \(bind: member.description)
                    """
                ).run()
            }
            for member in after.helpers where !before.helpers.contains(member) {
                try await db.raw(
                    "INSERT INTO ask_helpers (ask_id, member_id) VALUES (\(bind: id.description), \(bind: member.description))"
                ).run()
            }
            for notice in notices { try await SQLReminderRepository.notify(notice, at: at, publicURL: publicURL, in: db) }
            return after
        }
    }

    public func asks(of member: Member.ID, kind: AskKind, role: AskRole, limit: Int) async throws -> [Ask] {
        try await store.read { db in
            let rows: [any SQLRow]
            switch role {
            case .asker:
                rows = try await db.raw(
                    """
                    SELECT \(unsafeRaw: Self.columns) FROM asks
                    WHERE asker_id = \(bind: member.description) AND kind = \(bind: kind.rawValue)
                    ORDER BY created_at DESC, id DESC LIMIT \(literal: limit)
                    """
                ).all()
            case .addressee:
                // Only asks that have reached the member: a target sees nothing before it is forwarded.
                rows = try await db.raw(
                    """
                    SELECT \(unsafeRaw: Self.columns) FROM asks
                    WHERE kind = \(bind: kind.rawValue) AND id IN (
                        SELECT ask_id FROM ask_route WHERE member_id = \(bind: member.description) AND reached_at IS NOT NULL
                          AND passed_at IS NULL)
                    ORDER BY created_at DESC, id DESC LIMIT \(literal: limit)
                    """
                ).all()
            }
            return try await Self.assemble(rows, in: db)
        }
    }

    public func availability(of member: Member.ID, kind: AskKind) async throws -> AskAvailability {
        try await store.read { db in try await Self.availability(of: member, kind: kind, in: db) }
    }

    static func availability(of member: Member.ID, kind: AskKind, in db: any SQLDatabase) async throws -> AskAvailability {
        guard
            let row = try await db.raw(
                """
                SELECT monthly_limit, paused_until FROM ask_availability
                WHERE member_id = \(bind: member.description) AND kind = \(bind: kind.rawValue)
                """
            ).first()
        else { return AskAvailability() }
        return AskAvailability(
            monthlyLimit: try row.optionalInt64("monthly_limit").map { Int($0) },
            pausedUntil: try row.optionalInt64("paused_until").map(Millis.date)
        )
    }

    public func setAvailability(_ availability: AskAvailability, of member: Member.ID, kind: AskKind) async throws {
        try await store.write { db in
            try await db.raw(
                """
                INSERT INTO ask_availability (member_id, kind, monthly_limit, paused_until)
                VALUES (\(bind: member.description), \(bind: kind.rawValue), \(bind: availability.monthlyLimit.map { Int64($0) }),
                    \(bind: availability.pausedUntil.map(Millis.from)))
                ON CONFLICT (member_id, kind) DO UPDATE SET monthly_limit = excluded.monthly_limit, paused_until = excluded.paused_until
                """
            ).run()
        }
    }

    public func needingAttention(at: Date, limit: Int) async throws -> [Ask] {
        let now = Millis.from(at)
        return try await store.read { db in
            var nudgeDue: [SQLQueryString] = []
            for kind in AskKind.allCases {
                nudgeDue.append(
                    "(kind = \(bind: kind.rawValue) AND step_started_at <= \(bind: now - Int64(kind.timing.nudgeAfter * 1000)))"
                )
            }
            let rows = try await db.raw(
                """
                SELECT \(unsafeRaw: Self.columns) FROM asks
                WHERE stage = 'waiting' AND (deadline <= \(bind: now)
                    OR (nudged_at IS NULL AND (\(nudgeDue.joined(separator: " OR ")))))
                ORDER BY deadline, id LIMIT \(literal: limit)
                """
            ).all()
            return try await Self.assemble(rows, in: db)
        }
    }

    public func reachedCounts(of members: [Member.ID], kind: AskKind, since: Date) async throws -> [Member.ID: Int] {
        guard !members.isEmpty else { return [:] }
        return try await store.read { db in
            var counts: [Member.ID: Int] = [:]
            for row in try await db.raw(
                """
                SELECT r.member_id, COUNT(*) AS n FROM ask_route r JOIN asks a ON a.id = r.ask_id
                WHERE r.member_id IN (\(binds: members.map(\.description))) AND a.kind = \(bind: kind.rawValue)
                  AND r.reached_at >= \(bind: Millis.from(since))
                GROUP BY r.member_id
                """
            ).all() {
                counts[Member.ID(try row.uuid("member_id"))] = Int(try row.int64("n"))
            }
            return counts
        }
    }

    public func paused(_ members: [Member.ID], kind: AskKind, at: Date) async throws -> Set<Member.ID> {
        guard !members.isEmpty else { return [] }
        return try await store.read { db in
            Set(
                try await db.raw(
                    """
                    SELECT member_id FROM ask_availability
                    WHERE member_id IN (\(binds: members.map(\.description))) AND kind = \(bind: kind.rawValue)
                      AND paused_until > \(bind: Millis.from(at))
                    """
                ).all().map { Member.ID(try $0.uuid("member_id")) }
            )
        }
    }

    public func offer(_ offer: AskOffer, notice: Notice) async throws {
        let publicURL = publicURL
        try await store.write { db in
            let existing = try await db.raw(
                """
                SELECT 1 AS found FROM ask_offers
                WHERE ask_id = \(bind: offer.ask.description) AND helper_id = \(bind: offer.helper.description)
                """
            ).first()
            guard existing == nil else { throw DomainError.conflict(field: nil, message: "You have already offered to help with this.") }
            try await db.raw(
                """
                INSERT INTO ask_offers (id, ask_id, helper_id, note, created_at, accepted_at)
                VALUES (\(bind: offer.id.description), \(bind: offer.ask.description), \(bind: offer.helper.description),
                    \(bind: offer.note), \(bind: Millis.from(offer.createdAt)), NULL)
                """
            ).run()
            try await SQLReminderRepository.notify(notice, at: offer.createdAt, publicURL: publicURL, in: db)
        }
    }

    static let offerColumns = "id, ask_id, helper_id, note, created_at, accepted_at"

    public func offers(on ask: Ask.ID) async throws -> [AskOffer] {
        try await store.read { db in
            try await db.raw(
                "SELECT \(unsafeRaw: Self.offerColumns) FROM ask_offers WHERE ask_id = \(bind: ask.description) ORDER BY created_at, id"
            ).all().map { try $0.askOffer() }
        }
    }

    public func acceptOffer(_ id: AskOffer.ID, on ask: Ask.ID, at: Date) async throws -> AskOffer? {
        try await store.write { db in
            try await db.raw(
                """
                UPDATE ask_offers SET accepted_at = COALESCE(accepted_at, \(bind: Millis.from(at)))
                WHERE id = \(bind: id.description) AND ask_id = \(bind: ask.description)
                RETURNING \(unsafeRaw: Self.offerColumns)
                """
            ).first()?.askOffer()
        }
    }

    public func helpedCount(of member: Member.ID) async throws -> Int {
        try await store.read { db in
            Int(
                try await db.raw("SELECT COUNT(*) AS n FROM ask_helpers WHERE member_id = \(bind: member.description)").first()?
                    .int64("n") ?? 0
            )
        }
    }
}

extension SQLRow {
    fileprivate func askOffer() throws -> AskOffer {
        AskOffer(
            id: AskOffer.ID(try uuid("id")),
            ask: Ask.ID(try uuid("ask_id")),
            helper: Member.ID(try uuid("helper_id")),
            note: try string("note"),
            createdAt: try date("created_at"),
            acceptedAt: try optionalInt64("accepted_at").map(Millis.date)
        )
    }
}
