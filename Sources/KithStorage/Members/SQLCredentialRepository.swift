public import Foundation
public import KithDomain
import SQLKit

public struct SQLCredentialRepository: CredentialRepository {
    private let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    public func insertSession(
        digest: String,
        member: Member.ID,
        csrfToken: String,
        client: String,
        createdAt: Date,
        expiresAt: Date
    )
        async throws
    {
        try await store.write { db in
            try await db.raw(
                """
                INSERT INTO sessions (digest, member_id, csrf_token, client, created_at, expires_at, last_used_at)
                VALUES (\(bind: digest), \(bind: member.description), \(bind: csrfToken), \(bind: client),
                    \(bind: Millis.from(createdAt)), \(bind: Millis.from(expiresAt)), \(bind: Millis.from(createdAt)))
                """
            ).run()
            // Expired sessions of this member are cleared as new ones start.
            try await db.raw(
                "DELETE FROM sessions WHERE member_id = \(bind: member.description) AND expires_at <= \(bind: Millis.from(createdAt))"
            ).run()
        }
    }

    public func session(digest: String, now: Date) async throws -> Session? {
        try await store.read { db in
            guard
                let row = try await db.raw(
                    """
                    SELECT \(unsafeRaw: Columns.member), s.csrf_token, s.expires_at, s.last_used_at
                    FROM sessions s JOIN members m ON m.id = s.member_id
                    WHERE s.digest = \(bind: digest) AND s.expires_at > \(bind: Millis.from(now))
                    """
                ).first()
            else { return nil }
            return Session(
                member: try row.member(),
                csrfToken: try row.string("csrf_token"),
                expiresAt: try row.date("expires_at"),
                lastUsedAt: try row.optionalInt64("last_used_at").map(Millis.date)
            )
        }
    }

    public func deleteSession(digest: String) async throws {
        try await store.write { db in
            try await db.raw("DELETE FROM sessions WHERE digest = \(bind: digest)").run()
        }
    }

    public func insertToken(digest: String, member: Member.ID, name: String, createdAt: Date, expiresAt: Date?) async throws {
        try await store.write { db in
            try await db.raw(
                """
                INSERT INTO api_tokens (digest, member_id, name, created_at, expires_at)
                VALUES (\(bind: digest), \(bind: member.description), \(bind: name), \(bind: Millis.from(createdAt)),
                    \(bind: expiresAt.map(Millis.from)))
                """
            ).run()
        }
    }

    public func member(tokenDigest: String, now: Date) async throws -> (member: Member, lastUsedAt: Date?)? {
        try await store.read { db in
            guard
                let row = try await db.raw(
                    """
                    SELECT \(unsafeRaw: Columns.member), t.last_used_at FROM api_tokens t JOIN members m ON m.id = t.member_id
                    WHERE t.digest = \(bind: tokenDigest) AND (t.expires_at IS NULL OR t.expires_at > \(bind: Millis.from(now)))
                    """
                ).first()
            else { return nil }
            return (try row.member(), try row.optionalInt64("last_used_at").map(Millis.date))
        }
    }

    public func touch(digest: String, at: Date) async throws {
        try await store.write { db in
            try await db.raw("UPDATE sessions SET last_used_at = \(bind: Millis.from(at)) WHERE digest = \(bind: digest)").run()
            try await db.raw("UPDATE api_tokens SET last_used_at = \(bind: Millis.from(at)) WHERE digest = \(bind: digest)").run()
        }
    }

    public func credentials(of member: Member.ID, now: Date) async throws -> [CredentialInfo] {
        try await store.read { db in
            let sessions = try await db.raw(
                """
                SELECT digest, client, created_at, last_used_at, expires_at FROM sessions
                WHERE member_id = \(bind: member.description) AND expires_at > \(bind: Millis.from(now)) ORDER BY created_at DESC
                """
            ).all().map { row in
                CredentialInfo(
                    id: String(try row.string("digest").prefix(16)),
                    kind: .session,
                    name: try row.optionalString("client") ?? "A browser",
                    createdAt: try row.date("created_at"),
                    lastUsedAt: try row.optionalInt64("last_used_at").map(Millis.date),
                    expiresAt: try row.date("expires_at")
                )
            }
            let tokens = try await db.raw(
                """
                SELECT digest, name, created_at, last_used_at, expires_at FROM api_tokens
                WHERE member_id = \(bind: member.description) AND (expires_at IS NULL OR expires_at > \(bind: Millis.from(now)))
                ORDER BY created_at DESC
                """
            ).all().map { row in
                CredentialInfo(
                    id: String(try row.string("digest").prefix(16)),
                    kind: .token,
                    name: try row.string("name"),
                    createdAt: try row.date("created_at"),
                    lastUsedAt: try row.optionalInt64("last_used_at").map(Millis.date),
                    expiresAt: try row.optionalInt64("expires_at").map(Millis.date)
                )
            }
            return sessions + tokens
        }
    }

    public func revoke(id: String, of member: Member.ID) async throws -> Bool {
        guard id.count == 16, id.allSatisfy(\.isHexDigit) else { return false }
        let pattern = id.lowercased() + "%"
        return try await store.write { db in
            let sessions = try await db.raw(
                "DELETE FROM sessions WHERE member_id = \(bind: member.description) AND digest LIKE \(bind: pattern) RETURNING digest"
            ).all()
            let tokens = try await db.raw(
                "DELETE FROM api_tokens WHERE member_id = \(bind: member.description) AND digest LIKE \(bind: pattern) RETURNING digest"
            ).all()
            return !(sessions.isEmpty && tokens.isEmpty)
        }
    }

    public func changePassword(hash: String, of member: Member.ID, keeping: String?) async throws {
        try await store.write { db in
            try await db.raw("UPDATE members SET password_hash = \(bind: hash) WHERE id = \(bind: member.description)").run()
            try await Self.revokeAll(of: member, keeping: keeping, in: db)
        }
    }

    static func revokeAll(of member: Member.ID, keeping: String?, in db: any SQLDatabase) async throws {
        for table in ["sessions", "api_tokens"] {
            try await db.raw(
                "DELETE FROM \(unsafeRaw: table) WHERE member_id = \(bind: member.description) AND digest <> \(bind: keeping ?? "")"
            ).run()
        }
    }

    public func deleteToken(digest: String) async throws -> Bool {
        try await store.write { db in
            try await db.raw("DELETE FROM api_tokens WHERE digest = \(bind: digest) RETURNING digest").first() != nil
        }
    }

    public func tokens(of member: Member.ID) async throws -> [APITokenInfo] {
        try await store.read { db in
            try await db.raw(
                "SELECT name, created_at FROM api_tokens WHERE member_id = \(bind: member.description) ORDER BY created_at"
            ).all().map { APITokenInfo(name: try $0.string("name"), createdAt: try $0.date("created_at")) }
        }
    }
}

public struct SQLInvitationRepository: InvitationRepository {
    private let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    public func insert(_ invitation: Invitation) async throws {
        try await store.write { db in
            try await db.raw(
                """
                INSERT INTO invitations (digest, email, created_by, created_at, expires_at)
                VALUES (\(bind: invitation.digest), \(bind: invitation.email?.rawValue),
                    \(bind: invitation.createdBy?.description), \(bind: Millis.from(invitation.createdAt)),
                    \(bind: Millis.from(invitation.expiresAt)))
                """
            ).run()
        }
    }

    public func usableInvitation(digest: String, now: Date) async throws -> Invitation? {
        try await store.read { db in
            guard
                let row = try await db.raw(
                    """
                    SELECT digest, email, created_by, created_at, expires_at FROM invitations
                    WHERE digest = \(bind: digest) AND used_at IS NULL AND expires_at > \(bind: Millis.from(now))
                    """
                ).first()
            else { return nil }
            return Invitation(
                digest: try row.string("digest"),
                email: try row.optionalString("email").map { try EmailAddress($0) },
                createdBy: try row.optionalString("created_by").flatMap(Member.ID.init),
                createdAt: try row.date("created_at"),
                expiresAt: try row.date("expires_at")
            )
        }
    }
}

public struct SQLAttemptRepository: AttemptRepository {
    private let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    public func reserve(_ limits: [String: AttemptLimit], at: Date) async throws -> TimeInterval? {
        let dialect = store.dialect
        let now = Millis.from(at)
        return try await store.write { db in
            var counts: [(key: String, count: AttemptCount, windowStart: Int64, limit: AttemptLimit)] = []
            var wait: TimeInterval?
            // Keys in a fixed order, so two reservations never lock the same rows in opposite orders.
            for (key, limit) in limits.sorted(by: { $0.key < $1.key }) {
                try await db.raw(
                    """
                    INSERT INTO attempt_counters (key, window_start, tries, last_at)
                    VALUES (\(bind: key), \(bind: now), 0, \(bind: now)) ON CONFLICT (key) DO NOTHING
                    """
                ).run()
                let lock = dialect == .postgres ? " FOR UPDATE" : ""
                let row = try await db.raw(
                    "SELECT window_start, tries, last_at FROM attempt_counters WHERE key = \(bind: key)\(unsafeRaw: lock)"
                ).first()
                var windowStart = try row?.int64("window_start") ?? now
                var count = AttemptCount(
                    tries: Int(try row?.int64("tries") ?? 0),
                    lastAt: try row.map { Millis.date(try $0.int64("last_at")) }
                )
                if Millis.date(windowStart).addingTimeInterval(limit.window) <= at {
                    (windowStart, count) = (now, AttemptCount(tries: 0, lastAt: nil))
                }
                if count.tries == 0 { count.lastAt = nil }
                if let keyWait = limit.wait(tries: count.tries, lastAt: count.lastAt, now: at) { wait = max(wait ?? 0, keyWait) }
                counts.append((key, count, windowStart, limit))
            }
            if wait != nil { return wait }
            for entry in counts {
                try await db.raw(
                    """
                    UPDATE attempt_counters SET window_start = \(bind: entry.windowStart), tries = \(bind: entry.count.tries + 1),
                    last_at = \(bind: now) WHERE key = \(bind: entry.key)
                    """
                ).run()
            }
            // Keep the table small: a key untouched for a day has nothing left to count.
            try await db.raw("DELETE FROM attempt_counters WHERE last_at < \(bind: now - 86_400_000)").run()
            return nil
        }
    }

    public func clear(key: String) async throws {
        try await store.write { db in
            try await db.raw("DELETE FROM attempt_counters WHERE key = \(bind: key)").run()
        }
    }

    public func forgive(key: String) async throws {
        try await store.write { db in
            try await db.raw("UPDATE attempt_counters SET tries = tries - 1 WHERE key = \(bind: key) AND tries > 0").run()
        }
    }
}

public struct SQLBlockRepository: BlockRepository {
    private let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    public func block(_ blocked: Member.ID, by blocker: Member.ID, at: Date) async throws {
        try await store.write { db in
            try await db.raw(
                """
                INSERT INTO blocks (blocker_id, blocked_id, created_at)
                VALUES (\(bind: blocker.description), \(bind: blocked.description), \(bind: Millis.from(at)))
                ON CONFLICT DO NOTHING
                """
            ).run()
        }
    }

    public func unblock(_ blocked: Member.ID, by blocker: Member.ID) async throws {
        try await store.write { db in
            try await db.raw(
                "DELETE FROM blocks WHERE blocker_id = \(bind: blocker.description) AND blocked_id = \(bind: blocked.description)"
            ).run()
        }
    }

    public func isBlocked(between first: Member.ID, and second: Member.ID) async throws -> Bool {
        try await store.read { db in
            try await db.raw(
                """
                SELECT 1 AS x FROM blocks
                WHERE (blocker_id = \(bind: first.description) AND blocked_id = \(bind: second.description))
                   OR (blocker_id = \(bind: second.description) AND blocked_id = \(bind: first.description))
                """
            ).first() != nil
        }
    }

    public func blocks(among members: [Member.ID]) async throws -> BlocksAmong {
        let ids = Array(Set(members)).map(\.description)
        guard ids.count > 1 else { return BlocksAmong([]) }
        return try await store.read { db in
            BlocksAmong(
                try await db.raw(
                    "SELECT blocker_id, blocked_id FROM blocks WHERE blocker_id IN (\(binds: ids)) AND blocked_id IN (\(binds: ids))"
                ).all().map { (Member.ID(try $0.uuid("blocker_id")), Member.ID(try $0.uuid("blocked_id"))) }
            )
        }
    }

    public func blockedEither(of member: Member.ID) async throws -> [Member.ID] {
        Array(try await blockedEither(ofEach: [member])[member] ?? [])
    }

    public func blockedEither(ofEach members: [Member.ID]) async throws -> [Member.ID: Set<Member.ID>] {
        var result: [Member.ID: Set<Member.ID>] = [:]
        for chunk in SQLSeeder.chunks(Array(Set(members)), size: 500) {
            let ids = chunk.map(\.description)
            let pairs = try await store.read { db in
                try await db.raw(
                    """
                    SELECT blocker_id, blocked_id FROM blocks WHERE blocker_id IN (\(binds: ids))
                    UNION ALL SELECT blocker_id, blocked_id FROM blocks WHERE blocked_id IN (\(binds: ids))
                    """
                ).all().map { (Member.ID(try $0.uuid("blocker_id")), Member.ID(try $0.uuid("blocked_id"))) }
            }
            let wanted = Set(chunk)
            for (blocker, blocked) in pairs {
                if wanted.contains(blocker) { result[blocker, default: []].insert(blocked) }
                if wanted.contains(blocked) { result[blocked, default: []].insert(blocker) }
            }
        }
        return result
    }

    public func blocked(by blocker: Member.ID) async throws -> [Member] {
        try await store.read { db in
            try await db.raw(
                """
                SELECT \(unsafeRaw: Columns.member) FROM blocks b JOIN members m ON m.id = b.blocked_id
                WHERE b.blocker_id = \(bind: blocker.description) ORDER BY b.created_at DESC
                """
            ).all().map { try $0.member() }
        }
    }
}
