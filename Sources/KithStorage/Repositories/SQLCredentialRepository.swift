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
        createdAt: Date,
        expiresAt: Date
    )
        async throws
    {
        try await store.write { db in
            try await db.raw(
                """
                INSERT INTO sessions (digest, member_id, csrf_token, created_at, expires_at)
                VALUES (\(bind: digest), \(bind: member.description), \(bind: csrfToken),
                    \(bind: Millis.from(createdAt)), \(bind: Millis.from(expiresAt)))
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
                    SELECT \(unsafeRaw: Columns.member), s.csrf_token, s.expires_at
                    FROM sessions s JOIN members m ON m.id = s.member_id
                    WHERE s.digest = \(bind: digest) AND s.expires_at > \(bind: Millis.from(now))
                    """
                ).first()
            else { return nil }
            return Session(member: try row.member(), csrfToken: try row.string("csrf_token"), expiresAt: try row.date("expires_at"))
        }
    }

    public func deleteSession(digest: String) async throws {
        try await store.write { db in
            try await db.raw("DELETE FROM sessions WHERE digest = \(bind: digest)").run()
        }
    }

    public func insertToken(digest: String, member: Member.ID, name: String, createdAt: Date) async throws {
        try await store.write { db in
            try await db.raw(
                """
                INSERT INTO api_tokens (digest, member_id, name, created_at)
                VALUES (\(bind: digest), \(bind: member.description), \(bind: name), \(bind: Millis.from(createdAt)))
                """
            ).run()
        }
    }

    public func member(tokenDigest: String) async throws -> Member? {
        try await store.read { db in
            try await db.raw(
                """
                SELECT \(unsafeRaw: Columns.member) FROM api_tokens t JOIN members m ON m.id = t.member_id
                WHERE t.digest = \(bind: tokenDigest)
                """
            ).first()?.member()
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

public struct SQLLoginThrottleRepository: LoginThrottleRepository {
    private let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    public func recordFailure(keys: [String], at: Date) async throws {
        try await store.write { db in
            for key in keys {
                try await db.raw("INSERT INTO login_failures (key, at) VALUES (\(bind: key), \(bind: Millis.from(at)))").run()
            }
            // Keep the table small: nothing older than a day matters.
            try await db.raw("DELETE FROM login_failures WHERE at < \(bind: Millis.from(at) - 86_400_000)").run()
        }
    }

    public func failures(key: String, since: Date) async throws -> (count: Int, oldest: Date?) {
        try await store.read { db in
            let row = try await db.raw(
                """
                SELECT COUNT(*) AS n, MIN(at) AS oldest FROM login_failures
                WHERE key = \(bind: key) AND at >= \(bind: Millis.from(since))
                """
            ).first()
            return (Int(try row?.int64("n") ?? 0), try row?.optionalInt64("oldest").map(Millis.date))
        }
    }

    public func clear(key: String) async throws {
        try await store.write { db in
            try await db.raw("DELETE FROM login_failures WHERE key = \(bind: key)").run()
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

    public func blockedEither(of member: Member.ID) async throws -> [Member.ID] {
        try await store.read { db in
            try await db.raw(
                """
                SELECT blocked_id AS other FROM blocks WHERE blocker_id = \(bind: member.description)
                UNION SELECT blocker_id AS other FROM blocks WHERE blocked_id = \(bind: member.description)
                """
            ).all().map { Member.ID(try $0.uuid("other")) }
        }
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
