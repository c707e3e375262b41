public import Foundation
public import KithDomain
import SQLKit

public struct SQLConnectionRepository: ConnectionRepository {
    private let store: any Store
    /// For the links in notification emails.
    private let publicURL: String

    public init(store: any Store, publicURL: String = "") {
        self.store = store
        self.publicURL = publicURL
    }

    static let requestColumns = "r.id, r.from_id, r.to_id, r.note, r.status, r.created_at, r.expires_at, r.responded_at"
    static let openStatuses: SQLQueryString = "('pending', 'ignored')"

    static func pairKey(_ a: Member.ID, _ b: Member.ID) -> String {
        [a.description, b.description].sorted().joined(separator: "|")
    }

    public func request(
        _ request: ConnectionRequest,
        initialStrength: UInt8,
        now: Date,
        notices: @escaping @Sendable (RequestOutcome) -> Notice?
    ) async throws -> RequestOutcome {
        let dialect = store.dialect
        let publicURL = publicURL
        return try await store.write { db in
            let outcome = try await Self.request(request, initialStrength: initialStrength, now: now, dialect: dialect, in: db)
            if let notice = notices(outcome) { try await SQLReminderRepository.notify(notice, at: now, publicURL: publicURL, in: db) }
            return outcome
        }
    }

    private static func request(
        _ request: ConnectionRequest,
        initialStrength: UInt8,
        now: Date,
        dialect: StoreDialect,
        in db: any SQLDatabase
    ) async throws -> RequestOutcome {
        try await Self.serialiseGraphWrites(db, dialect)
        let pair = Self.pairKey(request.from, request.to)
        try await db.raw(
            """
            UPDATE connection_requests SET status = 'expired'
            WHERE pair_key = \(bind: pair) AND status IN \(Self.openStatuses) AND expires_at <= \(bind: Millis.from(now))
            """
        ).run()
        let connected = try await db.raw(
            "SELECT 1 AS x FROM connections WHERE member_id = \(bind: request.from.description) AND other_id = \(bind: request.to.description)"
        ).first()
        if connected != nil { return .alreadyConnected }
        if let open = try await db.raw(
            "SELECT \(unsafeRaw: Self.requestColumns) FROM connection_requests r WHERE r.pair_key = \(bind: pair) AND r.status IN \(Self.openStatuses)"
        ).first()?.connectionRequest() {
            if open.from == request.from { return .alreadyPending }
            // They asked first: asking back is the clearest possible "yes".
            try await db.raw(
                """
                UPDATE connection_requests SET status = 'accepted', responded_at = \(bind: Millis.from(now))
                WHERE id = \(bind: open.id.description)
                """
            ).run()
            try await Self.connect(open.from, open.to, strength: initialStrength, now: now, in: db)
            var accepted = open
            accepted.status = .accepted
            accepted.respondedAt = now
            return .acceptedTheirs(accepted)
        }
        let inserted = try await db.raw(
            """
            INSERT INTO connection_requests (id, from_id, to_id, pair_key, note, status, created_at, expires_at)
            VALUES (\(bind: request.id.description), \(bind: request.from.description), \(bind: request.to.description),
                \(bind: pair), \(bind: request.note), 'pending', \(bind: Millis.from(request.createdAt)),
                \(bind: Millis.from(request.expiresAt)))
            ON CONFLICT DO NOTHING
            RETURNING id
            """
        ).first()
        return inserted == nil ? .alreadyPending : .created(request)
    }

    public func respond(
        to id: ConnectionRequest.ID,
        by recipient: Member.ID,
        accept: Bool,
        initialStrength: UInt8,
        now: Date,
        accepted: @escaping @Sendable (ConnectionRequest) -> Notice
    )
        async throws -> ConnectionRequest?
    {
        let dialect = store.dialect
        let publicURL = publicURL
        return try await store.write { db in
            if accept { try await Self.serialiseGraphWrites(db, dialect) }
            guard
                let answered = try await db.raw(
                    """
                    UPDATE connection_requests SET status = \(bind: accept ? "accepted" : "ignored"),
                        responded_at = \(bind: Millis.from(now))
                    WHERE id = \(bind: id.description) AND to_id = \(bind: recipient.description) AND status = 'pending'
                      AND expires_at > \(bind: Millis.from(now))
                    RETURNING id, from_id, to_id, note, status, created_at, expires_at, responded_at
                    """
                ).first()?.connectionRequest()
            else { return nil }
            if accept {
                try await Self.connect(answered.from, answered.to, strength: initialStrength, now: now, in: db)
                try await SQLReminderRepository.notify(accepted(answered), at: now, publicURL: publicURL, in: db)
            }
            return answered
        }
    }

    public func withdraw(_ id: ConnectionRequest.ID, by sender: Member.ID, now: Date) async throws -> Bool {
        try await store.write { db in
            let withdrawn =
                try await db.raw(
                    """
                    UPDATE connection_requests SET status = 'withdrawn', responded_at = \(bind: Millis.from(now))
                    WHERE id = \(bind: id.description) AND from_id = \(bind: sender.description)
                      AND status IN \(Self.openStatuses) AND expires_at > \(bind: Millis.from(now))
                    RETURNING id
                    """
                ).first() != nil
            if withdrawn {
                // The recipient need not be asked any more: the notice and its email go if unread / unsent.
                let key = "connection_request:\(id)"
                try await db.raw("DELETE FROM notifications WHERE key = \(bind: key) AND read_at IS NULL").run()
                try await db.raw("DELETE FROM mail_outbox WHERE key = \(bind: key) AND sent_at IS NULL").run()
            }
            return withdrawn
        }
    }

    public func disconnect(_ a: Member.ID, _ b: Member.ID, now: Date) async throws -> Bool {
        let dialect = store.dialect
        return try await store.write { db in
            try await Self.serialiseGraphWrites(db, dialect)
            return try await Self.disconnect(a, b, now: now, in: db)
        }
    }

    public func sever(_ a: Member.ID, _ b: Member.ID, now: Date) async throws {
        let dialect = store.dialect
        try await store.write { db in
            try await Self.serialiseGraphWrites(db, dialect)
            try await db.raw(
                """
                UPDATE connection_requests SET status = 'withdrawn', responded_at = \(bind: Millis.from(now))
                WHERE pair_key = \(bind: Self.pairKey(a, b)) AND status IN \(Self.openStatuses)
                """
            ).run()
            _ = try await Self.disconnect(a, b, now: now, in: db)
        }
    }

    public func requests(of member: Member.ID, incoming: Bool, now: Date, after: [String]?, limit: Int) async throws -> [RequestEntry] {
        try await store.read { db in
            let id = member.description
            var condition: SQLQueryString =
                incoming
                ? "r.to_id = \(bind: id) AND r.status = 'pending' AND r.expires_at > \(bind: Millis.from(now))"
                : "r.from_id = \(bind: id) AND r.status IN ('pending', 'ignored', 'expired')"
            if let after, let created = Int64(after[0]) {
                condition = condition + " AND (r.created_at, r.id) < (\(bind: created), \(bind: after[1]))"
            }
            let rows = try await db.raw(
                """
                SELECT \(unsafeRaw: Self.requestColumns),
                    f.id AS f_id, f.email AS f_email, f.handle AS f_handle, f.name AS f_name, f.role AS f_role, f.created_at AS f_created_at,
                    t.id AS t_id, t.email AS t_email, t.handle AS t_handle, t.name AS t_name, t.role AS t_role, t.created_at AS t_created_at
                FROM connection_requests r JOIN members f ON f.id = r.from_id JOIN members t ON t.id = r.to_id
                WHERE \(condition)
                ORDER BY r.created_at DESC, r.id DESC LIMIT \(literal: limit)
                """
            ).all()
            return try rows.map { row in
                let request = try row.connectionRequest()
                return RequestEntry(
                    request: request,
                    from: try row.member(prefix: "f_"),
                    to: try row.member(prefix: "t_"),
                    cursor: Cursor.encode([String(Millis.from(request.createdAt)), request.id.description])
                )
            }
        }
    }

    public func connections(of member: Member.ID, after: [String]?, limit: Int) async throws -> [ConnectionEntry] {
        try await store.read { db in
            var condition: SQLQueryString = "c.member_id = \(bind: member.description)"
            if let after, let created = Int64(after[0]) {
                condition = condition + " AND (c.created_at, c.other_id) < (\(bind: created), \(bind: after[1]))"
            }
            return try await db.raw(
                """
                SELECT \(unsafeRaw: Columns.member), c.created_at AS since, c.strength
                FROM connections c JOIN members m ON m.id = c.other_id
                WHERE \(condition) ORDER BY c.created_at DESC, c.other_id DESC LIMIT \(literal: limit)
                """
            ).all().map { row in
                let member = try row.member()
                let since = try row.int64("since")
                return ConnectionEntry(
                    member: member,
                    since: Millis.date(since),
                    strength: UInt8(clamping: try row.int64("strength")),
                    cursor: Cursor.encode([String(since), member.id.description])
                )
            }
        }
    }

    public func connectionCount(of member: Member.ID) async throws -> Int {
        try await store.read { db in
            Int(
                try await db.raw("SELECT COUNT(*) AS n FROM connections WHERE member_id = \(bind: member.description)").first()?.int64("n")
                    ?? 0
            )
        }
    }

    public func sentRequests(by member: Member.ID, since: Date) async throws -> Int {
        try await store.read { db in
            Int(
                try await db.raw(
                    """
                    SELECT COUNT(*) AS n FROM connection_requests
                    WHERE from_id = \(bind: member.description) AND created_at >= \(bind: Millis.from(since))
                    """
                ).first()?.int64("n") ?? 0
            )
        }
    }

    public func openRequestCounterparts(of member: Member.ID, now: Date) async throws -> Set<Member.ID> {
        try await openRequestCounterparts(ofEach: [member], now: now)[member] ?? []
    }

    public func openRequestCounterparts(ofEach members: [Member.ID], now: Date) async throws -> [Member.ID: Set<Member.ID>] {
        var result: [Member.ID: Set<Member.ID>] = [:]
        let until = Millis.from(now)
        for chunk in SQLSeeder.chunks(Array(Set(members)), size: 500) {
            let ids = chunk.map(\.description)
            let pairs = try await store.read { db in
                try await db.raw(
                    """
                    SELECT from_id, to_id FROM connection_requests
                    WHERE from_id IN (\(binds: ids)) AND status IN \(Self.openStatuses) AND expires_at > \(bind: until)
                    UNION ALL SELECT from_id, to_id FROM connection_requests
                    WHERE to_id IN (\(binds: ids)) AND status IN \(Self.openStatuses) AND expires_at > \(bind: until)
                    """
                ).all().map { (Member.ID(try $0.uuid("from_id")), Member.ID(try $0.uuid("to_id"))) }
            }
            let wanted = Set(chunk)
            for (from, to) in pairs {
                if wanted.contains(from) { result[from, default: []].insert(to) }
                if wanted.contains(to) { result[to, default: []].insert(from) }
            }
        }
        return result
    }

    public func expireRequests(now: Date) async throws -> Int {
        try await store.write { db in
            try await db.raw(
                """
                UPDATE connection_requests SET status = 'expired'
                WHERE status IN \(Self.openStatuses) AND expires_at <= \(bind: Millis.from(now))
                RETURNING id
                """
            ).all().count
        }
    }

    /// On PostgreSQL, graph writes take one advisory lock so change-feed sequence numbers commit in
    /// order and a tailing instance never skips a change. SQLite already has a single writer.
    static func serialiseGraphWrites(_ db: any SQLDatabase, _ dialect: StoreDialect) async throws {
        if dialect == .postgres { try await AdvisoryLock.graphWrites.hold(in: db) }
    }

    static func connect(_ a: Member.ID, _ b: Member.ID, strength: UInt8, now: Date, in db: any SQLDatabase) async throws {
        let seqs = try await db.raw(
            "SELECT id, seq FROM members WHERE id IN (\(bind: a.description), \(bind: b.description))"
        ).all().reduce(into: [String: Int64]()) { $0[try $1.string("id")] = try $1.int64("seq") }
        guard let aSeq = seqs[a.description], let bSeq = seqs[b.description] else { return }
        for (member, other, memberSeq, otherSeq) in [(a, b, aSeq, bSeq), (b, a, bSeq, aSeq)] {
            try await db.raw(
                """
                INSERT INTO connections (member_id, other_id, member_seq, other_seq, strength, created_at)
                VALUES (\(bind: member.description), \(bind: other.description), \(bind: memberSeq), \(bind: otherSeq),
                    \(bind: Int64(strength)), \(bind: Millis.from(now)))
                ON CONFLICT DO NOTHING
                """
            ).run()
        }
        try await db.raw(
            """
            INSERT INTO graph_changes (kind, a_seq, b_seq, strength, at)
            VALUES ('connect', \(bind: aSeq), \(bind: bSeq), \(bind: Int64(strength)), \(bind: Millis.from(now)))
            """
        ).run()
        try await AddressBookRevision.relationChanged(a.description, b.description, in: db)
    }

    public func strengthen(_ a: Member.ID, _ b: Member.ID, by amount: UInt8, now: Date) async throws -> Bool {
        let dialect = store.dialect
        return try await store.write { db in
            try await Self.serialiseGraphWrites(db, dialect)
            let rows = try await db.raw(
                """
                UPDATE connections SET strength = CASE WHEN strength + \(bind: Int64(amount)) > 255 THEN 255
                    ELSE strength + \(bind: Int64(amount)) END
                WHERE (member_id = \(bind: a.description) AND other_id = \(bind: b.description))
                   OR (member_id = \(bind: b.description) AND other_id = \(bind: a.description))
                RETURNING member_seq, other_seq, strength
                """
            ).all()
            guard let row = rows.first else { return false }
            try await db.raw(
                """
                INSERT INTO graph_changes (kind, a_seq, b_seq, strength, at)
                VALUES ('connect', \(bind: try row.int64("member_seq")), \(bind: try row.int64("other_seq")),
                    \(bind: try row.int64("strength")), \(bind: Millis.from(now)))
                """
            ).run()
            return true
        }
    }

    static func disconnect(_ a: Member.ID, _ b: Member.ID, now: Date, in db: any SQLDatabase) async throws -> Bool {
        let removed = try await db.raw(
            """
            DELETE FROM connections
            WHERE (member_id = \(bind: a.description) AND other_id = \(bind: b.description))
               OR (member_id = \(bind: b.description) AND other_id = \(bind: a.description))
            RETURNING member_seq, other_seq
            """
        ).all()
        guard let row = removed.first else { return false }
        try await db.raw(
            """
            INSERT INTO graph_changes (kind, a_seq, b_seq, strength, at)
            VALUES ('disconnect', \(bind: try row.int64("member_seq")), \(bind: try row.int64("other_seq")), 0, \(bind: Millis.from(now)))
            """
        ).run()
        try await AddressBookRevision.relationChanged(a.description, b.description, in: db)
        return true
    }
}

public struct SQLGraphFeed: GraphFeed {
    private let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    public func snapshot() async throws -> (vertexCount: Int, edges: [(Int32, Int32, UInt8)], lastChange: Int64) {
        // The last change is read first: edges read after it may already include later changes,
        // which replaying then applies again harmlessly.
        let (last, count) = try await store.read { db in
            (
                try await db.raw("SELECT COALESCE(MAX(seq), 0) AS last FROM graph_changes").first()?.int64("last") ?? 0,
                try await db.raw("SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM members").first()?.int64("n") ?? 1
            )
        }
        // Every edge in one statement: past the per-request limit at a few million connections.
        let edgesSQL = "SELECT member_seq, other_seq, strength FROM connections WHERE member_seq < other_seq"
        let edges: [(Int32, Int32, UInt8)]
        if let postgres = store as? PostgresStore {
            edges = try await postgres.longReadIntegerTriples(edgesSQL).map { (Int32($0.0), Int32($0.1), UInt8(clamping: $0.2)) }
        } else {
            edges = try await store.longRead { db in
                try await db.raw("\(unsafeRaw: edgesSQL)").all().map { row in
                    (Int32(try row.int64("member_seq")), Int32(try row.int64("other_seq")), UInt8(clamping: try row.int64("strength")))
                }
            }
        }
        return (Int(count), edges, last)
    }

    public func changes(after sequence: Int64, limit: Int) async throws -> [GraphChange] {
        try await store.read { db in
            try await db.raw(
                """
                SELECT seq, kind, a_seq, b_seq, strength FROM graph_changes
                WHERE seq > \(bind: sequence) ORDER BY seq LIMIT \(literal: limit)
                """
            ).all().map { row in
                GraphChange(
                    sequence: try row.int64("seq"),
                    kind: GraphChange.Kind(rawValue: try row.string("kind")) ?? .connect,
                    a: Int32(try row.int64("a_seq")),
                    b: Int32(try row.int64("b_seq")),
                    strength: UInt8(clamping: try row.int64("strength"))
                )
            }
        }
    }

    /// Through the member cache, which also learns vertices whenever it reads members.
    public func vertices(of members: [Member.ID]) async throws -> [Member.ID: Int32] {
        guard !members.isEmpty else { return [:] }
        return try await store.memberCards.vertices(of: members) { missing in
            var result: [Member.ID: Int32] = [:]
            for chunk in stride(from: 0, to: missing.count, by: 500).map({ Array(missing[$0..<min(missing.count, $0 + 500)]) }) {
                let found = try await store.read { db in
                    try await db.raw("SELECT id, seq FROM members WHERE id IN (\(binds: chunk.map(\.description)))").all().map {
                        (Member.ID(try $0.uuid("id")), Int32(try $0.int64("seq")))
                    }
                }
                for (id, seq) in found { result[id] = seq }
            }
            return result
        }
    }

    /// Through the member cache (`MemberCards`): which member is at a vertex never changes; the
    /// members themselves are read by id.
    public func members(at vertices: [Int32]) async throws -> [Int32: Member] {
        try await members(at: vertices, caughtUp: nil)
    }

    private func members(at vertices: [Int32], caughtUp: MemberCards.Ticket?) async throws -> [Int32: Member] {
        guard !vertices.isEmpty else { return [:] }
        let cards = store.memberCards
        let ids = try await cards.ids(at: vertices) { missing in
            var found: [Int32: Member.ID] = [:]
            for chunk in stride(from: 0, to: missing.count, by: 500).map({ Array(missing[$0..<min(missing.count, $0 + 500)]) }) {
                let rows = try await store.read { db in
                    try await db.raw("SELECT seq, id FROM members WHERE seq IN (\(binds: chunk.map { Int64($0) }))").all().map {
                        (Int32(try $0.int64("seq")), Member.ID(try $0.uuid("id")))
                    }
                }
                for (vertex, id) in rows { found[vertex] = id }
            }
            return found
        }
        let members = try await cards.members(Array(ids.values), store: store, caughtUp: caughtUp) { missing in
            try await SQLMemberRepository(store: store).loadMembers(missing)
        }
        return ids.compactMapValues { members[$0] }
    }

    /// The members kept in the member cache come straight from it, in step with their vertices
    /// (after its catch-up with the change feed, as any read through it); the rest as above.
    public func memberList(at vertices: [Int32]) async throws -> (vertices: [Int32], members: [Member]) {
        guard !vertices.isEmpty else { return ([], []) }
        let cards = store.memberCards
        let ticket = try await cards.catchUp(store)
        var (found, missing) = cards.members(atVertices: vertices)
        if !missing.isEmpty {
            for (vertex, member) in try await members(at: missing, caughtUp: ticket) {
                found.vertices.append(vertex)
                found.members.append(member)
            }
        }
        return found
    }
}
