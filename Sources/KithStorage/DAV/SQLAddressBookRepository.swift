public import Foundation
public import KithDomain
import SQLKit

/// The address-book side of the contacts table: each contact's card name, UID and source, and
/// the owner's change numbers. A contact made in Kith is named `<id>.vcf` with the UID
/// `urn:uuid:<id>` until a client writes it back.
public struct SQLAddressBookRepository: AddressBookRepository {
    private let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    static let recordColumns = """
        c.id, COALESCE(c.card_name, c.id || '.vcf') AS resource_name, COALESCE(c.card_uid, 'urn:uuid:' || c.id) AS resource_uid,
        c.card_revision, c.member_id, p.updated_at AS profile_updated_at
        """
    /// The contact's own columns but those the record already reads (id, member_id).
    static let contactColumns = SQLContactRepository.columns.replacingOccurrences(of: "c.id, ", with: "")
        .replacingOccurrences(of: "c.member_id, ", with: "")
    static let join = "contacts c LEFT JOIN profiles p ON p.member_id = c.member_id"

    public func state(of owner: Member.ID) async throws -> AddressBookToken {
        try await store.read { db in
            let row = try await db.raw(
                """
                SELECT (SELECT revision FROM address_books WHERE owner_id = \(bind: owner.description)) AS revision,
                    (SELECT MAX(p.updated_at) FROM contacts c JOIN profiles p ON p.member_id = c.member_id
                     WHERE c.owner_id = \(bind: owner.description) AND c.member_id IS NOT NULL) AS profiles
                """
            ).first()
            return AddressBookToken(
                revision: try row?.optionalInt64("revision") ?? 0,
                profilesUntil: try row?.optionalInt64("profiles") ?? 0
            )
        }
    }

    public func records(of owner: Member.ID) async throws -> [CardRecord] {
        try await store.read { db in
            try await db.raw(
                "SELECT \(unsafeRaw: Self.recordColumns) FROM \(unsafeRaw: Self.join) WHERE c.owner_id = \(bind: owner.description)"
            ).all().map { try $0.cardRecord() }
        }
    }

    public func cards(of owner: Member.ID, named names: [String]) async throws -> [StoredCard] {
        guard !names.isEmpty else { return [] }
        let ids = names.compactMap { $0.hasSuffix(".vcf") ? UUID(uuidString: String($0.dropLast(4))) : nil }.map {
            $0.uuidString.lowercased()
        }
        let found: [StoredCard] = try await store.read { db in
            var cards: [StoredCard] = []
            // Two indexed reads per chunk (by card name; by id for contacts made in Kith), not one
            // OR that would scan the owner's whole book.
            func read(_ condition: SQLQueryString) async throws {
                let rows = try await db.raw(
                    """
                    SELECT \(unsafeRaw: Self.recordColumns), c.card_source,
                        \(unsafeRaw: Self.contactColumns)
                    FROM \(unsafeRaw: Self.join)
                    WHERE c.owner_id = \(bind: owner.description) AND \(condition)
                    """
                ).all()
                for row in rows {
                    cards.append(
                        StoredCard(record: try row.cardRecord(), contact: try row.contact(), source: try row.optionalString("card_source"))
                    )
                }
            }
            for part in SQLSeeder.chunks(names, size: 400) {
                try await read("c.card_name IN (\(binds: part))")
            }
            for part in SQLSeeder.chunks(ids, size: 400) {
                try await read("c.card_name IS NULL AND c.id IN (\(binds: part))")
            }
            return cards
        }
        let byName = Dictionary(found.map { ($0.record.name.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        return names.compactMap { byName[$0.lowercased()] }
    }

    public func card(of owner: Member.ID, uid: String) async throws -> CardRecord? {
        let madeInKith = uid.lowercased().hasPrefix("urn:uuid:") ? UUID(uuidString: String(uid.dropFirst(9))) : nil
        let byID: SQLQueryString =
            madeInKith.map { " OR (c.card_uid IS NULL AND c.id = \(bind: $0.uuidString.lowercased()))" } ?? ""
        return try await store.read { db in
            try await db.raw(
                """
                SELECT \(unsafeRaw: Self.recordColumns) FROM \(unsafeRaw: Self.join)
                WHERE c.owner_id = \(bind: owner.description) AND (c.card_uid = \(bind: uid)\(byID))
                """
            ).first()?.cardRecord()
        }
    }

    public func count(of owner: Member.ID) async throws -> Int {
        try await store.read { db in
            Int(try await db.raw("SELECT COUNT(*) AS n FROM contacts WHERE owner_id = \(bind: owner.description)").first()?.int64("n") ?? 0)
        }
    }

    public func changes(
        of owner: Member.ID,
        since revision: Int64,
        profilesSince: Date
    ) async throws -> (
        changed: [CardRecord], deleted: [String]
    ) {
        try await store.read { db in
            let changed = try await db.raw(
                """
                SELECT \(unsafeRaw: Self.recordColumns) FROM \(unsafeRaw: Self.join)
                WHERE c.owner_id = \(bind: owner.description)
                    AND (c.card_revision > \(bind: revision) OR (c.member_id IS NOT NULL AND p.updated_at > \(bind: Millis.from(profilesSince))))
                """
            ).all().map { try $0.cardRecord() }
            let deleted = try await db.raw(
                """
                SELECT card_name FROM card_tombstones
                WHERE owner_id = \(bind: owner.description) AND revision > \(bind: revision) ORDER BY card_name
                """
            ).all().map { try $0.string("card_name") }
            return (changed, deleted)
        }
    }

    public func save(_ contact: Contact, name: String, uid: String, source: String, creating: Bool) async throws {
        do {
            try await write(contact, name: name, uid: uid, source: source, creating: creating)
        } catch  where UniqueViolation.matches(error, index: "contacts_card_name_idx", columns: "contacts.owner_id, contacts.card_name") {
            // Two requests created a card at one name at once: the second hears a conflict.
            throw DomainError.conflict(field: nil, message: "Another request wrote a card at this address just now; read it and try again.")
        }
    }

    private func write(_ contact: Contact, name: String, uid: String, source: String, creating: Bool) async throws {
        let owner = contact.ownerID.description
        try await SQLContactRepository.refusingDoubleLinks {
            try await store.write { db in
                if creating {
                    try await db.raw(
                        "INSERT INTO \(unsafeRaw: SQLContactRepository.insertColumns) VALUES \(SQLContactRepository.values(contact))"
                    ).run()
                    try await SQLContactRepository.writeTags([contact], in: db, replacing: false)
                } else {
                    guard try await SQLContactRepository.updateFields(of: contact, in: db) else { throw DomainError.notFound("card") }
                }
                try await db.raw(
                    """
                    UPDATE contacts SET card_name = \(bind: name), card_uid = \(bind: uid), card_source = \(bind: source)
                    WHERE id = \(bind: contact.id.description) AND owner_id = \(bind: owner)
                    """
                ).run()
                try await db.raw("DELETE FROM card_tombstones WHERE owner_id = \(bind: owner) AND card_name = \(bind: name)").run()
                try await AddressBookRevision.stamp([contact.id.description], owner: owner, in: db)
            }
        }
    }
}

extension SQLRow {
    func cardRecord() throws -> CardRecord {
        CardRecord(
            contactID: Contact.ID(try uuid("id")),
            name: try string("resource_name"),
            uid: try string("resource_uid"),
            revision: try int64("card_revision"),
            linkedMember: try optionalString("member_id").flatMap(UUID.init(uuidString:)).map(Member.ID.init),
            profileUpdatedAt: try optionalInt64("profile_updated_at").map(Millis.date)
        )
    }
}
