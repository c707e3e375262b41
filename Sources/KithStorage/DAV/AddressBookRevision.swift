import Foundation
import SQLKit

/// Each member's address book has a change number. Every write to a contact takes the next one
/// in its own transaction and stamps the contact with it (a deleted contact leaves a tombstone
/// with it), so "what changed since number N" is one indexed read. On PostgreSQL the owner's
/// row stays locked until the transaction commits, so numbers become visible in order and a sync
/// token never skips a change.
enum AddressBookRevision {
    static func next(owner: String, in db: any SQLDatabase) async throws -> Int64 {
        guard
            let row = try await db.raw(
                """
                INSERT INTO address_books (owner_id, revision) VALUES (\(bind: owner), 1)
                ON CONFLICT (owner_id) DO UPDATE SET revision = address_books.revision + 1
                RETURNING revision
                """
            ).first()
        else { return 0 }
        return try row.int64("revision")
    }

    /// Stamps changed contacts of one owner with the next change number.
    static func stamp(_ ids: [String], owner: String, in db: any SQLDatabase) async throws {
        guard !ids.isEmpty else { return }
        let revision = try await next(owner: owner, in: db)
        for part in SQLSeeder.chunks(ids, size: 500) {
            try await db.raw(
                "UPDATE contacts SET card_revision = \(bind: revision) WHERE owner_id = \(bind: owner) AND id IN (\(binds: part))"
            ).run()
        }
    }

    /// Two members connected or disconnected: what each one's card of the other may show (their
    /// connections-only sections) changed, so those cards take a new number.
    static func relationChanged(_ a: String, _ b: String, in db: any SQLDatabase) async throws {
        for (owner, member) in [(a, b), (b, a)] {
            let ids = try await db.raw(
                "SELECT id FROM contacts WHERE owner_id = \(bind: owner) AND member_id = \(bind: member)"
            ).all().map { try $0.string("id") }
            try await stamp(ids, owner: owner, in: db)
        }
    }

    /// Records that the cards at these names are gone.
    static func tombstone(_ names: [String], owner: String, in db: any SQLDatabase) async throws {
        guard !names.isEmpty else { return }
        let revision = try await next(owner: owner, in: db)
        for name in names {
            try await db.raw(
                """
                INSERT INTO card_tombstones (owner_id, card_name, revision) VALUES (\(bind: owner), \(bind: name), \(bind: revision))
                ON CONFLICT (owner_id, card_name) DO UPDATE SET revision = excluded.revision
                """
            ).run()
        }
    }

    /// The resource name of a deleted contact row (`RETURNING id, card_name`).
    static func name(of row: any SQLRow) throws -> String {
        try row.optionalString("card_name") ?? (try row.string("id") + ".vcf")
    }
}
