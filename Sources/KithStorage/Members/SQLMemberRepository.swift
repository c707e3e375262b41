public import Foundation
public import KithDomain
import SQLKit

public struct SQLMemberRepository: MemberRepository {
    private let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    public func insert(
        _ member: Member,
        passwordHash: String,
        consuming proof: RegistrationProof?,
        now: Date
    ) async throws -> RegistrationOutcome {
        struct Rollback: Error { let outcome: RegistrationOutcome }
        let dialect = store.dialect
        do {
            return try await store.write { db in
                var invitationDigest: String?
                switch proof {
                case .invitation(let digest):
                    invitationDigest = digest
                    let used = try await db.raw(
                        """
                        UPDATE invitations SET used_at = \(bind: Millis.from(now)), used_by = NULL
                        WHERE digest = \(bind: digest) AND used_at IS NULL
                          AND expires_at > \(bind: Millis.from(now))
                          AND (email IS NULL OR email = \(bind: member.email.rawValue))
                        RETURNING digest
                        """
                    ).first()
                    guard used != nil else { throw Rollback(outcome: .invitationUnusable) }
                case .confirmation(let digest):
                    let used = try await db.raw(
                        """
                        DELETE FROM pending_registrations
                        WHERE digest = \(bind: digest) AND expires_at > \(bind: Millis.from(now))
                          AND email = \(bind: member.email.rawValue)
                        RETURNING digest
                        """
                    ).first()
                    guard used != nil else { throw Rollback(outcome: .confirmationUnusable) }
                case nil: break
                }
                let seq: SQLQueryString =
                    dialect == .postgres
                    ? "nextval('members_seq')" : "(SELECT COALESCE(MAX(seq), 0) + 1 FROM members)"
                let inserted = try await db.raw(
                    """
                    INSERT INTO members (id, seq, email, handle, name, name_key, role, password_hash, created_at)
                    VALUES (\(bind: member.id.description), \(seq), \(bind: member.email.rawValue),
                        \(bind: member.handle.rawValue), \(bind: member.name), \(bind: Text.key(member.name)),
                        \(bind: member.role.rawValue), \(bind: passwordHash), \(bind: Millis.from(member.createdAt)))
                    ON CONFLICT DO NOTHING
                    RETURNING id
                    """
                ).first()
                guard inserted != nil else {
                    let emailTaken = try await db.raw(
                        "SELECT id FROM members WHERE email = \(bind: member.email.rawValue)"
                    ).first()
                    throw Rollback(outcome: emailTaken != nil ? .emailTaken : .handleTaken)
                }
                if let invitationDigest {
                    try await db.raw(
                        "UPDATE invitations SET used_by = \(bind: member.id.description) WHERE digest = \(bind: invitationDigest)"
                    ).run()
                }
                let profile = Profile(memberID: member.id, updatedAt: member.createdAt)
                try await ProfileWriter.upsert(profile, in: db)
                try await SearchIndexWriter(dialect: dialect).reindex(member.id, in: db)
                try await MemberChanges.record(member.id, in: db, dialect: dialect)
                return .registered
            }
        } catch let rollback as Rollback {
            return rollback.outcome
        }
    }

    public func member(id: Member.ID) async throws -> Member? {
        try await store.read { db in
            try await db.raw("SELECT \(unsafeRaw: Columns.member) FROM members m WHERE m.id = \(bind: id.description)")
                .first()?.member()
        }
    }

    /// Members by id, read from the database (the member cache's loader); their graph vertices
    /// come with them and are kept too.
    func loadMembers(_ ids: [Member.ID]) async throws -> [Member.ID: Member] {
        var found: [Member.ID: Member] = [:]
        var vertices: [(Member.ID, Int32)] = []
        for chunk in SQLSeeder.chunks(ids, size: 500) {
            let rows = try await store.read { db in
                try await db.raw(
                    "SELECT \(unsafeRaw: Columns.member), m.seq FROM members m WHERE m.id IN (\(binds: chunk.map(\.description)))"
                ).all().map { (try $0.member(), Int32(try $0.int64("seq"))) }
            }
            for (member, vertex) in rows {
                found[member.id] = member
                vertices.append((member.id, vertex))
            }
        }
        store.memberCards.remember(vertices)
        return found
    }

    public func member(handle: Handle) async throws -> Member? {
        try await store.read { db in
            try await db.raw("SELECT \(unsafeRaw: Columns.member) FROM members m WHERE m.handle = \(bind: handle.rawValue)")
                .first()?.member()
        }
    }

    /// Members by handle: whose handle is whose is kept in the member cache (it never changes),
    /// the members themselves are read through it (never stale after a commit); handles not seen
    /// before are read from the database.
    public func members(handles: [Handle]) async throws -> [Handle: Member] {
        let (known, unknown) = store.memberCards.ids(ofHandles: handles)
        var found: [Handle: Member] = [:]
        if !known.isEmpty {
            let byID = try await members(ids: Array(known.values))
            for (handle, id) in known { found[handle] = byID[id] }
        }
        for chunk in SQLSeeder.chunks(unknown.map(\.rawValue), size: 500) {
            let rows = try await store.read { db in
                try await db.raw("SELECT \(unsafeRaw: Columns.member) FROM members m WHERE m.handle IN (\(binds: chunk))")
                    .all().map { try $0.member() }
            }
            for member in rows { found[member.handle] = member }
            store.memberCards.remember(handles: rows.map { ($0.handle, $0.id) })
        }
        return found
    }

    /// Members by id, through the member cache (never stale after a commit).
    public func members(ids: [Member.ID]) async throws -> [Member.ID: Member] {
        try await store.memberCards.members(ids, store: store) { missing in try await loadMembers(missing) }
    }

    public func credentials(email: EmailAddress) async throws -> (member: Member, passwordHash: String)? {
        try await store.read { db in
            guard
                let row = try await db.raw(
                    "SELECT \(unsafeRaw: Columns.member), m.password_hash FROM members m WHERE m.email = \(bind: email.rawValue)"
                ).first()
            else { return nil }
            return (try row.member(), try row.string("password_hash"))
        }
    }

    public func count() async throws -> Int {
        try await store.read { db in
            Int(try await db.raw("SELECT COUNT(*) AS n FROM members").first()?.int64("n") ?? 0)
        }
    }

    public func setRole(_ role: Role, of member: Member.ID) async throws -> Bool {
        let dialect = store.dialect
        return try await store.write { db in
            let changed =
                try await db.raw(
                    "UPDATE members SET role = \(bind: role.rawValue) WHERE id = \(bind: member.description) RETURNING id"
                ).first() != nil
            if changed { try await MemberChanges.record(member, in: db, dialect: dialect) }
            return changed
        }
    }

    public func setPasswordHash(_ hash: String, of member: Member.ID) async throws {
        try await store.write { db in
            try await db.raw("UPDATE members SET password_hash = \(bind: hash) WHERE id = \(bind: member.description)").run()
        }
    }
}
