public import Foundation
public import KithDomain
import SQLKit

public struct SQLAppPasswordRepository: AppPasswordRepository {
    private let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    public func insert(_ password: AppPassword, digest: String) async throws {
        try await store.write { db in
            try await db.raw(
                """
                INSERT INTO app_passwords (id, member_id, label, digest, created_at)
                VALUES (\(bind: password.id.description), \(bind: password.memberID.description), \(bind: password.label),
                    \(bind: digest), \(bind: Millis.from(password.createdAt)))
                """
            ).run()
        }
    }

    public func appPasswords(of member: Member.ID) async throws -> [AppPassword] {
        try await store.read { db in
            try await db.raw(
                """
                SELECT id, member_id, label, created_at, last_used_at FROM app_passwords
                WHERE member_id = \(bind: member.description) ORDER BY created_at DESC, id DESC
                """
            ).all().map { try $0.appPassword() }
        }
    }

    public func delete(_ id: AppPassword.ID, of member: Member.ID) async throws -> Bool {
        try await store.write { db in
            try await db.raw(
                """
                DELETE FROM app_passwords WHERE id = \(bind: id.description) AND member_id = \(bind: member.description)
                RETURNING id
                """
            ).first() != nil
        }
    }

    public func member(digest: String) async throws -> (Member, AppPassword)? {
        try await store.read { db in
            guard
                let row = try await db.raw(
                    """
                    SELECT \(unsafeRaw: Columns.member), a.id AS app_password_id, a.label, a.created_at AS app_created_at,
                        a.last_used_at AS app_last_used_at
                    FROM app_passwords a JOIN members m ON m.id = a.member_id
                    WHERE a.digest = \(bind: digest)
                    """
                ).first()
            else { return nil }
            let member = try row.member()
            return (
                member,
                AppPassword(
                    id: AppPassword.ID(try row.uuid("app_password_id")),
                    memberID: member.id,
                    label: try row.string("label"),
                    createdAt: Millis.date(try row.int64("app_created_at")),
                    lastUsedAt: try row.optionalInt64("app_last_used_at").map(Millis.date)
                )
            )
        }
    }

    public func touch(_ id: AppPassword.ID, at moment: Date) async throws {
        try await store.write { db in
            try await db.raw("UPDATE app_passwords SET last_used_at = \(bind: Millis.from(moment)) WHERE id = \(bind: id.description)")
                .run()
        }
    }
}

extension SQLRow {
    func appPassword() throws -> AppPassword {
        AppPassword(
            id: AppPassword.ID(try uuid("id")),
            memberID: Member.ID(try uuid("member_id")),
            label: try string("label"),
            createdAt: try date("created_at"),
            lastUsedAt: try optionalInt64("last_used_at").map(Millis.date)
        )
    }
}

/// Snapshots of members' calendars at the sync tokens they were given; the newest 20 of each
/// member are kept.
public struct SQLCalendarSyncRepository: CalendarSyncRepository {
    private let store: any Store
    static let kept = 20

    public init(store: any Store) {
        self.store = store
    }

    public func save(_ entries: [String: String], token: String, member: Member.ID, at moment: Date) async throws {
        let text = entries.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "\n")
        try await store.write { db in
            try await db.raw(
                """
                INSERT INTO calendar_sync_states (member_id, token, entries, created_at)
                VALUES (\(bind: member.description), \(bind: token), \(bind: text), \(bind: Millis.from(moment)))
                ON CONFLICT (member_id, token) DO UPDATE SET created_at = excluded.created_at
                """
            ).run()
            try await db.raw(
                """
                DELETE FROM calendar_sync_states WHERE member_id = \(bind: member.description) AND token NOT IN (
                    SELECT token FROM calendar_sync_states WHERE member_id = \(bind: member.description)
                    ORDER BY created_at DESC LIMIT \(unsafeRaw: String(Self.kept)))
                """
            ).run()
        }
    }

    public func entries(token: String, member: Member.ID) async throws -> [String: String]? {
        try await store.read { db in
            guard
                let text = try await db.raw(
                    "SELECT entries FROM calendar_sync_states WHERE member_id = \(bind: member.description) AND token = \(bind: token)"
                ).first()?.string("entries")
            else { return nil }
            var entries: [String: String] = [:]
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: " ", maxSplits: 1)
                if parts.count == 2 { entries[String(parts[0])] = String(parts[1]) }
            }
            return entries
        }
    }
}
