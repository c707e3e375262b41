public import Foundation
public import KithDomain
import SQLKit

public struct SQLPendingRegistrationRepository: PendingRegistrationRepository {
    private let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    public func create(_ pending: PendingRegistration, mail: OutgoingMail) async throws {
        try await store.write { db in
            try await db.raw("DELETE FROM pending_registrations WHERE expires_at <= \(bind: Millis.from(pending.createdAt))").run()
            try await db.raw(
                """
                INSERT INTO pending_registrations (digest, email, handle, name, password_hash, created_at, expires_at)
                VALUES (\(bind: pending.digest), \(bind: pending.email.rawValue), \(bind: pending.handle.rawValue),
                    \(bind: pending.name), \(bind: pending.passwordHash), \(bind: Millis.from(pending.createdAt)),
                    \(bind: Millis.from(pending.expiresAt)))
                """
            ).run()
            try await Outbox.queue(mail, in: db)
        }
    }

    public func pending(digest: String, now: Date) async throws -> PendingRegistration? {
        try await store.read { db in
            try await db.raw(
                """
                SELECT digest, email, handle, name, password_hash, created_at, expires_at FROM pending_registrations
                WHERE digest = \(bind: digest) AND expires_at > \(bind: Millis.from(now))
                """
            ).first().map { row in
                PendingRegistration(
                    digest: try row.string("digest"),
                    email: EmailAddress(stored: try row.string("email")),
                    handle: Handle(stored: try row.string("handle")),
                    name: try row.string("name"),
                    passwordHash: try row.string("password_hash"),
                    createdAt: try row.date("created_at"),
                    expiresAt: try row.date("expires_at")
                )
            }
        }
    }

    public func queue(_ mail: OutgoingMail) async throws {
        try await store.write { db in try await Outbox.queue(mail, in: db) }
    }
}
