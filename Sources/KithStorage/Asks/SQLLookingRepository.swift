public import Foundation
public import KithDomain
import SQLKit

/// Looking signals and their circles on either backend.
public struct SQLLookingRepository: LookingRepository {
    private let store: any Store
    private let publicURL: String

    public init(store: any Store, publicURL: String = "") {
        self.store = store
        self.publicURL = publicURL
    }

    public func signal(of member: Member.ID) async throws -> LookingSignal? {
        try await store.read { db in try await Self.signals(where: "s.member_id = \(bind: member.description)", in: db).first }
    }

    public func save(_ signal: LookingSignal, notices: [Notice]) async throws {
        let publicURL = publicURL
        try await store.write { db in
            let id = signal.member.description
            try await db.raw(
                """
                INSERT INTO looking_signals (member_id, active, roles, locations, updated_at)
                VALUES (\(bind: id), \(bind: Int64(signal.active ? 1 : 0)), \(bind: signal.roles.joined(separator: "\n")),
                    \(bind: signal.locations.joined(separator: "\n")), \(bind: Millis.from(signal.updatedAt)))
                ON CONFLICT (member_id) DO UPDATE SET active = excluded.active, roles = excluded.roles,
                    locations = excluded.locations, updated_at = excluded.updated_at
                """
            ).run()
            try await db.raw("DELETE FROM looking_circle WHERE member_id = \(bind: id)").run()
            for (position, supporter) in signal.circle.enumerated() {
                try await db.raw(
                    """
                    INSERT INTO looking_circle (member_id, supporter_id, position)
                    VALUES (\(bind: id), \(bind: supporter.description), \(bind: Int64(position)))
                    """
                ).run()
            }
            for notice in notices { try await SQLReminderRepository.notify(notice, at: signal.updatedAt, publicURL: publicURL, in: db) }
        }
    }

    public func signals(supportedBy member: Member.ID) async throws -> [LookingSignal] {
        try await store.read { db in
            try await Self.signals(
                where: """
                    s.active = 1 AND s.member_id IN (SELECT member_id FROM looking_circle WHERE supporter_id = \(bind: member.description))
                    """,
                in: db
            )
        }
    }

    static func signals(where condition: SQLQueryString, in db: any SQLDatabase) async throws -> [LookingSignal] {
        let rows = try await db.raw(
            "SELECT s.member_id, s.active, s.roles, s.locations, s.updated_at FROM looking_signals s WHERE "
                + condition + " ORDER BY s.updated_at DESC, s.member_id"
        ).all()
        guard !rows.isEmpty else { return [] }
        let ids = try rows.map { try $0.string("member_id") }
        var circles: [String: [Member.ID]] = [:]
        for row in try await db.raw(
            "SELECT member_id, supporter_id FROM looking_circle WHERE member_id IN (\(binds: ids)) ORDER BY member_id, position"
        ).all() {
            circles[try row.string("member_id"), default: []].append(Member.ID(try row.uuid("supporter_id")))
        }
        return try rows.map { row in
            let id = try row.string("member_id")
            return LookingSignal(
                member: Member.ID(try row.uuid("member_id")),
                active: try row.int64("active") != 0,
                roles: try row.string("roles").split(separator: "\n").map(String.init),
                locations: try row.string("locations").split(separator: "\n").map(String.init),
                circle: circles[id] ?? [],
                updatedAt: try row.date("updated_at")
            )
        }
    }
}
