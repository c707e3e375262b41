import Foundation
import KithDomain
import SQLKit

/// The mail outbox's one insert, inside the caller's transaction: an email is queued in the same
/// transaction as whatever it tells about, and sent (with retries) by the mail worker. Unique on
/// (member, key), so queuing the same email twice stores it once.
enum Outbox {
    static func queue(_ mail: OutgoingMail, in db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO mail_outbox (id, member_id, key, kind, to_address, subject, body, created_at, next_attempt_at)
            VALUES (\(bind: mail.id.description), \(bind: mail.memberID?.description), \(bind: mail.key), \(bind: mail.kind.rawValue),
                \(bind: mail.to),
                \(bind: mail.subject), \(bind: mail.body), \(bind: Millis.from(mail.createdAt)), \(bind: Millis.from(mail.createdAt)))
            ON CONFLICT (member_id, key) DO NOTHING
            """
        ).run()
    }
}
