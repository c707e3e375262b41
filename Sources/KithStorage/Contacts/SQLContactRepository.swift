public import Foundation
public import KithDomain
import SQLKit

/// The private relationship manager's tables. Every statement filters on owner_id: a row of
/// another member is never read, changed or deleted, whatever id the caller sends.
public struct SQLContactRepository: ContactRepository {
    private let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    static let columns = """
        c.id, c.owner_id, c.member_id, c.name, c.emails, c.phones, c.organization, c.title, c.how_we_met, c.tags,
        c.notes, c.cadence_days, c.snoozed_until, c.last_interaction_at, c.interaction_count, c.next_due_at,
        c.reminded_due_at, c.created_at, c.updated_at
        """

    static func values(_ contact: Contact) -> SQLQueryString {
        """
        (\(bind: contact.id.description), \(bind: contact.ownerID.description), \(bind: contact.memberID?.description),
        \(bind: contact.name), \(bind: Text.key(contact.name)), \(bind: Lists.join(contact.emails)), \(bind: Lists.join(contact.phones)),
        \(bind: contact.organization), \(bind: contact.title), \(bind: contact.howWeMet), \(bind: Lists.join(contact.tags)),
        \(bind: searchText(contact)), \(bind: contact.notes), \(bind: contact.cadenceDays.map(Int64.init)),
        \(bind: contact.snoozedUntil.map(Millis.from)), \(bind: contact.lastInteractionAt.map(Millis.from)),
        \(bind: Int64(contact.interactionCount)), \(bind: contact.nextDueAt.map(Millis.from)),
        \(bind: contact.remindedDueAt.map(Millis.from)), \(bind: Millis.from(contact.createdAt)), \(bind: Millis.from(contact.updatedAt)))
        """
    }

    static let insertColumns = """
        contacts (id, owner_id, member_id, name, name_key, emails, phones, organization, title, how_we_met, tags,
            search_text, notes, cadence_days, snoozed_until, last_interaction_at, interaction_count, next_due_at,
            reminded_due_at, created_at, updated_at)
        """

    /// What the owner's contact search looks through (their own data only).
    static func searchText(_ contact: Contact) -> String {
        ([contact.name, contact.organization, contact.title, contact.howWeMet, contact.notes] + contact.emails + contact.tags)
            .map(Text.key).joined(separator: " \n ")
    }

    static func writeTags(_ contacts: [Contact], in db: any SQLDatabase, replacing: Bool) async throws {
        if replacing {
            for part in SQLSeeder.chunks(contacts.map(\.id.description), size: 500) {
                try await db.raw("DELETE FROM contact_tags WHERE contact_id IN (\(binds: part))").run()
            }
        }
        let rows: [SQLQueryString] = contacts.flatMap { contact in
            Set(contact.tags.map(Text.key)).map {
                "(\(bind: contact.id.description), \(bind: contact.ownerID.description), \(bind: $0))" as SQLQueryString
            }
        }
        for part in SQLSeeder.chunks(rows, size: 500) {
            try await db.raw("INSERT INTO contact_tags (contact_id, owner_id, tag_key) VALUES \(part.joined(separator: ", "))").run()
        }
    }

    public func insert(_ contact: Contact) async throws {
        try await Self.refusingDoubleLinks { try await save(created: [contact], merged: []) }
    }

    /// Two requests linking the same member at once: the domain's check passes for both, the
    /// unique index stops the second, and its caller hears a conflict rather than a server error.
    static func refusingDoubleLinks<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch
            where UniqueViolation.matches(
                error,
                index: "contacts_owner_member_idx",
                columns: "contacts.owner_id, contacts.member_id"
            )
        {
            throw DomainError.conflict(field: "member", message: "This member is already in your contacts.")
        }
    }

    public func update(_ contact: Contact) async throws -> Bool {
        try await Self.refusingDoubleLinks { try await updateRow(contact) }
    }

    private func updateRow(_ contact: Contact) async throws -> Bool {
        try await store.write { db in
            let done = try await Self.updateFields(of: contact, in: db)
            if done { try await AddressBookRevision.stamp([contact.id.description], owner: contact.ownerID.description, in: db) }
            return done
        }
    }

    /// Rewrites the fields of the owner's contact a person can edit, and its tags.
    static func updateFields(of contact: Contact, in db: any SQLDatabase) async throws -> Bool {
        let done =
            try await db.raw(
                """
                UPDATE contacts SET member_id = \(bind: contact.memberID?.description), name = \(bind: contact.name),
                    name_key = \(bind: Text.key(contact.name)), emails = \(bind: Lists.join(contact.emails)),
                    phones = \(bind: Lists.join(contact.phones)), organization = \(bind: contact.organization),
                    title = \(bind: contact.title), how_we_met = \(bind: contact.howWeMet), tags = \(bind: Lists.join(contact.tags)),
                    search_text = \(bind: Self.searchText(contact)), notes = \(bind: contact.notes),
                    cadence_days = \(bind: contact.cadenceDays.map(Int64.init)),
                    snoozed_until = \(bind: contact.snoozedUntil.map(Millis.from)),
                    next_due_at = \(bind: contact.nextDueAt.map(Millis.from)), updated_at = \(bind: Millis.from(contact.updatedAt))
                WHERE id = \(bind: contact.id.description) AND owner_id = \(bind: contact.ownerID.description)
                RETURNING id
                """
            ).first() != nil
        if done { try await Self.writeTags([contact], in: db, replacing: true) }
        return done
    }

    public func delete(_ id: Contact.ID, owner: Member.ID) async throws -> Bool {
        try await store.write { db in
            guard
                let row = try await db.raw(
                    """
                    DELETE FROM contacts WHERE id = \(bind: id.description) AND owner_id = \(bind: owner.description)
                    RETURNING id, card_name
                    """
                ).first()
            else { return false }
            try await AddressBookRevision.tombstone([try AddressBookRevision.name(of: row)], owner: owner.description, in: db)
            return true
        }
    }

    public func contact(_ id: Contact.ID, owner: Member.ID) async throws -> Contact? {
        try await store.read { db in
            try await db.raw(
                "SELECT \(unsafeRaw: Self.columns) FROM contacts c WHERE c.id = \(bind: id.description) AND c.owner_id = \(bind: owner.description)"
            ).first()?.contact()
        }
    }

    public func contact(linkedTo member: Member.ID, owner: Member.ID) async throws -> Contact? {
        try await store.read { db in
            try await db.raw(
                """
                SELECT \(unsafeRaw: Self.columns) FROM contacts c
                WHERE c.owner_id = \(bind: owner.description) AND c.member_id = \(bind: member.description)
                """
            ).first()?.contact()
        }
    }

    public func contacts(of owner: Member.ID, matching query: ContactQuery) async throws -> [Contact] {
        var conditions: [SQLQueryString] = ["c.owner_id = \(bind: owner.description)"]
        if let text = query.text, !text.isEmpty {
            conditions.append("c.search_text LIKE \(bind: "%" + SQLMemberDirectory.escapeLike(Text.key(text)) + "%") ESCAPE '\\'")
        }
        if let tag = query.tag, !tag.isEmpty {
            conditions.append(
                """
                EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id AND t.owner_id = \(bind: owner.description)
                    AND t.tag_key = \(bind: Text.key(tag)))
                """
            )
        }
        if let after = query.after {
            conditions.append("(c.name_key, c.id) > (\(bind: after[0]), \(bind: after[1]))")
        }
        let sql: SQLQueryString =
            "SELECT \(unsafeRaw: Self.columns) FROM contacts c WHERE " + conditions.joined(separator: " AND ")
            + " ORDER BY c.name_key, c.id LIMIT \(literal: query.limit)"
        return try await store.read { db in try await db.raw(sql).all().map { try $0.contact() } }
    }

    public func allContacts(of owner: Member.ID) async throws -> [Contact] {
        try await store.read { db in
            try await db.raw(
                "SELECT \(unsafeRaw: Self.columns) FROM contacts c WHERE c.owner_id = \(bind: owner.description) ORDER BY c.name_key, c.id"
            ).all().map { try $0.contact() }
        }
    }

    public func save(created: [Contact], merged: [Contact]) async throws {
        try await store.write { db in
            for part in SQLSeeder.chunks(created, size: 200) {
                try await db.raw("INSERT INTO \(unsafeRaw: Self.insertColumns) VALUES \(part.map(Self.values).joined(separator: ", "))")
                    .run()
            }
            try await Self.writeTags(created, in: db, replacing: false)
            for contact in merged {
                try await db.raw(
                    """
                    UPDATE contacts SET emails = \(bind: Lists.join(contact.emails)), phones = \(bind: Lists.join(contact.phones)),
                        organization = \(bind: contact.organization), title = \(bind: contact.title),
                        how_we_met = \(bind: contact.howWeMet), tags = \(bind: Lists.join(contact.tags)),
                        search_text = \(bind: Self.searchText(contact)), notes = \(bind: contact.notes),
                        next_due_at = \(bind: contact.nextDueAt.map(Millis.from)), updated_at = \(bind: Millis.from(contact.updatedAt))
                    WHERE id = \(bind: contact.id.description) AND owner_id = \(bind: contact.ownerID.description)
                    """
                ).run()
            }
            try await Self.writeTags(merged, in: db, replacing: true)
            for (owner, changed) in Dictionary(grouping: created + merged, by: \.ownerID) {
                try await AddressBookRevision.stamp(changed.map(\.id.description), owner: owner.description, in: db)
            }
        }
    }

    public func merge(_ source: Contact.ID, into target: Contact) async throws -> Contact? {
        try await store.write { db in
            let owner = target.ownerID.description
            let targetID = target.id.description
            for table in ["interactions", "follow_ups"] {
                try await db.raw(
                    """
                    UPDATE \(unsafeRaw: table) SET contact_id = \(bind: targetID)
                    WHERE contact_id = \(bind: source.description) AND owner_id = \(bind: owner)
                    """
                ).run()
            }
            guard
                let deleted = try await db.raw(
                    "DELETE FROM contacts WHERE id = \(bind: source.description) AND owner_id = \(bind: owner) RETURNING id, card_name"
                ).first()
            else { return nil }
            try await AddressBookRevision.tombstone([try AddressBookRevision.name(of: deleted)], owner: owner, in: db)
            guard
                let row = try await db.raw(
                    """
                    UPDATE contacts SET member_id = \(bind: target.memberID?.description), name = \(bind: target.name),
                        name_key = \(bind: Text.key(target.name)), emails = \(bind: Lists.join(target.emails)),
                        phones = \(bind: Lists.join(target.phones)), organization = \(bind: target.organization),
                        title = \(bind: target.title), how_we_met = \(bind: target.howWeMet), tags = \(bind: Lists.join(target.tags)),
                        search_text = \(bind: Self.searchText(target)), notes = \(bind: target.notes),
                        cadence_days = \(bind: target.cadenceDays.map(Int64.init)), updated_at = \(bind: Millis.from(target.updatedAt)),
                        interaction_count = (SELECT COUNT(*) FROM interactions i WHERE i.contact_id = \(bind: targetID)),
                        last_interaction_at = (SELECT MAX(i.occurred_at) FROM interactions i WHERE i.contact_id = \(bind: targetID))
                    WHERE id = \(bind: targetID) AND owner_id = \(bind: owner)
                    RETURNING \(unsafeRaw: Self.columns.replacingOccurrences(of: "c.", with: ""))
                    """
                ).first()
            else { return nil }
            try await Self.writeTags([target], in: db, replacing: true)
            try await AddressBookRevision.stamp([targetID], owner: owner, in: db)
            return try row.contact()
        }
    }

    public func setNextDue(_ dueDates: [Contact.ID: Date?], owner: Member.ID) async throws {
        try await store.write { db in
            for (id, due) in dueDates {
                try await db.raw(
                    """
                    UPDATE contacts SET next_due_at = \(bind: due.map(Millis.from))
                    WHERE id = \(bind: id.description) AND owner_id = \(bind: owner.description)
                    """
                ).run()
            }
        }
    }

    public func store(nextDue: Date?, of contact: Contact.ID, owner: Member.ID) async throws {
        try await setNextDue([contact: nextDue], owner: owner)
    }

    public func log(_ interaction: Interaction) async throws -> Contact? {
        try await store.write { db in
            let owner = interaction.ownerID.description
            let at = Millis.from(interaction.occurredAt)
            // Only an interaction later than the last one moves the timer; an old one logged late does not.
            guard
                let row = try await db.raw(
                    """
                    UPDATE contacts SET interaction_count = interaction_count + 1,
                        last_interaction_at = CASE WHEN last_interaction_at IS NULL OR last_interaction_at < \(bind: at)
                            THEN \(bind: at) ELSE last_interaction_at END,
                        snoozed_until = NULL
                    WHERE id = \(bind: interaction.contactID.description) AND owner_id = \(bind: owner)
                    RETURNING \(unsafeRaw: Self.columns.replacingOccurrences(of: "c.", with: ""))
                    """
                ).first()
            else { return nil }
            try await db.raw(
                """
                INSERT INTO interactions (id, owner_id, contact_id, kind, help, occurred_at, note, created_at)
                VALUES (\(bind: interaction.id.description), \(bind: owner), \(bind: interaction.contactID.description),
                    \(bind: interaction.kind.rawValue), \(bind: interaction.help?.rawValue), \(bind: at), \(bind: interaction.note),
                    \(bind: Millis.from(interaction.createdAt)))
                """
            ).run()
            return try row.contact()
        }
    }

    public func interactions(of contact: Contact.ID, owner: Member.ID) async throws -> [Interaction] {
        try await store.read { db in
            try await db.raw(
                """
                SELECT id, owner_id, contact_id, kind, help, occurred_at, note, created_at FROM interactions
                WHERE contact_id = \(bind: contact.description) AND owner_id = \(bind: owner.description)
                ORDER BY occurred_at DESC, id DESC
                """
            ).all().map { try $0.interaction() }
        }
    }

    public func allInteractions(of owner: Member.ID) async throws -> [Interaction] {
        try await store.read { db in
            try await db.raw(
                """
                SELECT id, owner_id, contact_id, kind, help, occurred_at, note, created_at FROM interactions
                WHERE owner_id = \(bind: owner.description) ORDER BY occurred_at, id
                """
            ).all().map { try $0.interaction() }
        }
    }

    public func unthankedHelp(of owner: Member.ID, since: Date, limit: Int) async throws -> [Interaction] {
        try await store.read { db in
            try await db.raw(
                """
                SELECT i.id, i.owner_id, i.contact_id, i.kind, i.help, i.occurred_at, i.note, i.created_at FROM interactions i
                WHERE i.owner_id = \(bind: owner.description) AND i.kind = 'help_received'
                    AND i.occurred_at >= \(bind: Millis.from(since))
                    AND NOT EXISTS (
                        SELECT 1 FROM interactions later
                        WHERE later.owner_id = i.owner_id AND later.contact_id = i.contact_id
                            AND later.kind <> 'help_received' AND later.occurred_at > i.occurred_at)
                ORDER BY i.occurred_at DESC, i.id LIMIT \(bind: limit)
                """
            ).all().map { try $0.interaction() }
        }
    }

    public func ledger(of owner: Member.ID) async throws -> [LedgerCount] {
        try await store.read { db in
            try await db.raw(
                """
                SELECT contact_id, kind, help, COUNT(*) AS n FROM interactions
                WHERE owner_id = \(bind: owner.description) AND kind IN ('intro_made', 'help_given', 'help_received')
                GROUP BY contact_id, kind, help
                """
            ).all().compactMap { row in
                guard let kind = InteractionKind(rawValue: try row.string("kind")), let side = kind.ledgerSide else { return nil }
                return LedgerCount(
                    contactID: Contact.ID(try row.uuid("contact_id")),
                    side: side,
                    help: try row.optionalString("help").flatMap(HelpKind.init(rawValue:)) ?? .other,
                    count: Int(try row.int64("n"))
                )
            }
        }
    }

    static let followUpColumns = "f.id, f.owner_id, f.contact_id, f.due_at, f.text, f.done_at, f.reminded_at, f.created_at"

    public func insert(_ followUp: FollowUp) async throws {
        try await store.write { db in
            try await db.raw(
                """
                INSERT INTO follow_ups (id, owner_id, contact_id, due_at, text, created_at)
                VALUES (\(bind: followUp.id.description), \(bind: followUp.ownerID.description), \(bind: followUp.contactID.description),
                    \(bind: Millis.from(followUp.dueAt)), \(bind: followUp.text), \(bind: Millis.from(followUp.createdAt)))
                """
            ).run()
        }
    }

    public func followUp(_ id: FollowUp.ID, owner: Member.ID) async throws -> FollowUp? {
        try await store.read { db in
            try await db.raw(
                """
                SELECT \(unsafeRaw: Self.followUpColumns) FROM follow_ups f
                WHERE f.id = \(bind: id.description) AND f.owner_id = \(bind: owner.description)
                """
            ).first()?.followUp()
        }
    }

    public func complete(_ id: FollowUp.ID, owner: Member.ID, at: Date) async throws -> FollowUp? {
        try await store.write { db in
            try await db.raw(
                """
                UPDATE follow_ups SET done_at = COALESCE(done_at, \(bind: Millis.from(at)))
                WHERE id = \(bind: id.description) AND owner_id = \(bind: owner.description)
                RETURNING \(unsafeRaw: Self.followUpColumns.replacingOccurrences(of: "f.", with: ""))
                """
            ).first()?.followUp()
        }
    }

    public func followUps(of owner: Member.ID, contact: Contact.ID?, includeDone: Bool) async throws -> [FollowUp] {
        var conditions: [SQLQueryString] = ["f.owner_id = \(bind: owner.description)"]
        if let contact { conditions.append("f.contact_id = \(bind: contact.description)") }
        if !includeDone { conditions.append("f.done_at IS NULL") }
        let sql: SQLQueryString =
            "SELECT \(unsafeRaw: Self.followUpColumns) FROM follow_ups f WHERE " + conditions.joined(separator: " AND ")
            + " ORDER BY f.due_at, f.id"
        return try await store.read { db in try await db.raw(sql).all().map { try $0.followUp() } }
    }

    public func tagCadences(of owner: Member.ID) async throws -> [TagCadence] {
        try await store.read { db in
            try await db.raw(
                "SELECT tag_key, ideal_days, max_days FROM tag_cadences WHERE owner_id = \(bind: owner.description) ORDER BY tag_key"
            ).all().map { row in
                TagCadence(
                    tag: try row.string("tag_key"),
                    cadence: Cadence(idealDays: Int(try row.int64("ideal_days")), maximumDays: Int(try row.int64("max_days")))
                )
            }
        }
    }

    public func setTagCadence(_ cadence: TagCadence, owner: Member.ID) async throws {
        try await store.write { db in
            try await db.raw(
                """
                INSERT INTO tag_cadences (owner_id, tag_key, ideal_days, max_days)
                VALUES (\(bind: owner.description), \(bind: Text.key(cadence.tag)), \(bind: Int64(cadence.cadence.idealDays)),
                    \(bind: Int64(cadence.cadence.maximumDays)))
                ON CONFLICT (owner_id, tag_key) DO UPDATE SET ideal_days = excluded.ideal_days, max_days = excluded.max_days
                """
            ).run()
        }
    }

    public func deleteTagCadence(tag: String, owner: Member.ID) async throws -> Bool {
        try await store.write { db in
            try await db.raw(
                """
                DELETE FROM tag_cadences WHERE owner_id = \(bind: owner.description) AND tag_key = \(bind: Text.key(tag))
                RETURNING tag_key
                """
            ).first() != nil
        }
    }
}

extension SQLRow {
    func contact() throws -> Contact {
        Contact(
            id: Contact.ID(try uuid("id")),
            ownerID: Member.ID(try uuid("owner_id")),
            memberID: try optionalString("member_id").flatMap(UUID.init(uuidString:)).map(Member.ID.init),
            name: try string("name"),
            emails: Lists.split(try string("emails")),
            phones: Lists.split(try string("phones")),
            organization: try string("organization"),
            title: try string("title"),
            howWeMet: try string("how_we_met"),
            tags: Lists.split(try string("tags")),
            notes: try string("notes"),
            cadenceDays: try optionalInt64("cadence_days").map(Int.init),
            snoozedUntil: try optionalInt64("snoozed_until").map(Millis.date),
            lastInteractionAt: try optionalInt64("last_interaction_at").map(Millis.date),
            interactionCount: Int(try int64("interaction_count")),
            nextDueAt: try optionalInt64("next_due_at").map(Millis.date),
            remindedDueAt: try optionalInt64("reminded_due_at").map(Millis.date),
            createdAt: try date("created_at"),
            updatedAt: try date("updated_at")
        )
    }

    func interaction() throws -> Interaction {
        guard let kind = InteractionKind(rawValue: try string("kind")) else { throw CorruptRow(description: "unknown interaction kind") }
        return Interaction(
            id: Interaction.ID(try uuid("id")),
            ownerID: Member.ID(try uuid("owner_id")),
            contactID: Contact.ID(try uuid("contact_id")),
            kind: kind,
            help: try optionalString("help").flatMap(HelpKind.init(rawValue:)),
            occurredAt: try date("occurred_at"),
            note: try string("note"),
            createdAt: try date("created_at")
        )
    }

    func followUp() throws -> FollowUp {
        FollowUp(
            id: FollowUp.ID(try uuid("id")),
            ownerID: Member.ID(try uuid("owner_id")),
            contactID: Contact.ID(try uuid("contact_id")),
            dueAt: try date("due_at"),
            text: try string("text"),
            doneAt: try optionalInt64("done_at").map(Millis.date),
            remindedAt: try optionalInt64("reminded_at").map(Millis.date),
            createdAt: try date("created_at")
        )
    }
}
