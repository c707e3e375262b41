public import Foundation
public import KithDomain
import SQLKit

public struct SQLPasswordResetRepository: PasswordResetRepository {
    private let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    public func create(_ reset: PasswordReset, mail: OutgoingMail) async throws {
        try await store.write { db in
            try await db.raw(
                """
                INSERT INTO password_resets (digest, member_id, created_at, expires_at)
                VALUES (\(bind: reset.digest), \(bind: reset.memberID.description), \(bind: Millis.from(reset.createdAt)),
                    \(bind: Millis.from(reset.expiresAt)))
                """
            ).run()
            try await Outbox.queue(mail, in: db)
        }
    }

    public func complete(digest: String, now: Date, passwordHash: String) async throws -> Member.ID? {
        try await store.write { db in
            guard
                let member = try await db.raw(
                    """
                    UPDATE password_resets SET used_at = \(bind: Millis.from(now))
                    WHERE digest = \(bind: digest) AND used_at IS NULL AND expires_at > \(bind: Millis.from(now))
                    RETURNING member_id
                    """
                ).first().map({ Member.ID(try $0.uuid("member_id")) })
            else { return nil }
            try await db.raw("UPDATE members SET password_hash = \(bind: passwordHash) WHERE id = \(bind: member.description)").run()
            try await db.raw("DELETE FROM sessions WHERE member_id = \(bind: member.description)").run()
            try await db.raw("DELETE FROM api_tokens WHERE member_id = \(bind: member.description)").run()
            // Any other reset link of the member stops working too.
            try await db.raw(
                "UPDATE password_resets SET used_at = \(bind: Millis.from(now)) WHERE member_id = \(bind: member.description) AND used_at IS NULL"
            ).run()
            return member
        }
    }
}
