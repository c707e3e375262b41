public import Foundation
public import KithDomain
import SQLKit

/// Conversations on SQLite and PostgreSQL. Each participant row carries the conversation's
/// latest message time, so a member's list is one index range, most recent first.
public struct SQLConversationRepository: ConversationRepository {
    private let store: any Store
    private let publicURL: String

    public init(store: any Store, publicURL: String) {
        self.store = store
        self.publicURL = publicURL
    }

    /// The author of a message whose account is gone.
    static let formerMember = Member.ID(UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))

    static func directKey(_ a: Member.ID, _ b: Member.ID) -> String {
        [a.description, b.description].sorted().joined(separator: ":")
    }

    public func directConversation(between a: Member.ID, and b: Member.ID) async throws -> Conversation.ID? {
        try await store.read { db in
            try await db.raw("SELECT id FROM conversations WHERE direct_key = \(bind: Self.directKey(a, b))").first()
                .map { Conversation.ID(try $0.uuid("id")) }
        }
    }

    public func start(
        _ conversation: Conversation,
        participants: [Participant],
        first: ChatMessage,
        startedAsRequest: Bool,
        notices: [Notice]
    ) async throws -> Conversation.ID {
        let directKey: String? =
            conversation.kind == .direct && participants.count == 2
            ? Self.directKey(participants[0].member, participants[1].member) : nil
        let publicURL = publicURL
        return try await store.write { db in
            let at = Millis.from(conversation.lastMessageAt)
            let inserted =
                try await db.raw(
                    """
                    INSERT INTO conversations (id, kind, direct_key, started_by, started_as_request, created_at, last_message_at,
                        last_sequence)
                    VALUES (\(bind: conversation.id.description), \(bind: conversation.kind.rawValue), \(bind: directKey),
                        \(bind: conversation.startedBy.description), \(bind: startedAsRequest ? 1 : 0),
                        \(bind: Millis.from(conversation.createdAt)), \(bind: at), \(bind: conversation.lastSequence))
                    ON CONFLICT DO NOTHING RETURNING id
                    """
                ).first() != nil
            if !inserted, let directKey {
                // Started at the same moment elsewhere: the caller adds its message to that one.
                guard let existing = try await db.raw("SELECT id FROM conversations WHERE direct_key = \(bind: directKey)").first() else {
                    throw CorruptRow(description: "a direct conversation vanished")
                }
                return Conversation.ID(try existing.uuid("id"))
            }
            for participant in participants {
                try await db.raw(
                    """
                    INSERT INTO conversation_participants (conversation_id, member_id, state, read_sequence, joined_at, last_message_at)
                    VALUES (\(bind: conversation.id.description), \(bind: participant.member.description),
                        \(bind: participant.state.rawValue), \(bind: participant.readSequence), \(bind: Millis.from(participant.joinedAt)),
                        \(bind: at))
                    """
                ).run()
            }
            try await Self.insert(first, in: db)
            for notice in notices {
                try await SQLReminderRepository.notify(notice, at: conversation.createdAt, publicURL: publicURL, in: db)
            }
            return conversation.id
        }
    }

    public func post(
        _ id: ChatMessage.ID,
        body: String,
        by author: Member.ID,
        in conversation: Conversation.ID,
        at: Date,
        notices: @escaping @Sendable ([Participant]) -> [Notice]
    ) async throws -> ChatMessage? {
        let publicURL = publicURL
        return try await store.write { db in
            let conversationID = conversation.description
            guard
                let state = try await db.raw(
                    """
                    SELECT state FROM conversation_participants
                    WHERE conversation_id = \(bind: conversationID) AND member_id = \(bind: author.description)
                    """
                ).first().map({ try $0.string("state") }),
                state == ParticipantState.active.rawValue || state == ParticipantState.request.rawValue,
                let sequence = try await db.raw(
                    """
                    UPDATE conversations SET last_sequence = last_sequence + 1, last_message_at = \(bind: Millis.from(at))
                    WHERE id = \(bind: conversationID) RETURNING last_sequence
                    """
                ).first().map({ try $0.int64("last_sequence") })
            else { return nil }
            let message = ChatMessage(id: id, conversationID: conversation, author: author, sequence: sequence, body: body, sentAt: at)
            try await Self.insert(message, in: db)
            try await db.raw(
                """
                UPDATE conversation_participants SET last_message_at = \(bind: Millis.from(at))
                WHERE conversation_id = \(bind: conversationID) AND state <> 'left'
                """
            ).run()
            // Writing is reading, and answering a request accepts it.
            try await db.raw(
                """
                UPDATE conversation_participants SET read_sequence = \(bind: sequence), state = 'active'
                WHERE conversation_id = \(bind: conversationID) AND member_id = \(bind: author.description)
                """
            ).run()
            let participants = try await Self.participants(of: conversation, in: db)
            for notice in notices(participants) {
                try await SQLReminderRepository.notify(notice, at: at, publicURL: publicURL, in: db)
            }
            return message
        }
    }

    public func conversation(_ id: Conversation.ID) async throws -> Conversation? {
        try await store.read { db in
            try await db.raw(
                """
                SELECT id, kind, started_by, created_at, last_message_at, last_sequence FROM conversations
                WHERE id = \(bind: id.description)
                """
            ).first().map { try $0.conversation() }
        }
    }

    public func participants(of conversation: Conversation.ID) async throws -> [Participant] {
        try await store.read { db in try await Self.participants(of: conversation, in: db) }
    }

    public func participants(of conversations: [Conversation.ID]) async throws -> [Conversation.ID: [Participant]] {
        guard !conversations.isEmpty else { return [:] }
        return try await store.read { db in
            let query: SQLQueryString = """
                SELECT conversation_id, member_id, state, read_sequence, joined_at FROM conversation_participants
                WHERE conversation_id IN (\(binds: conversations.map(\.description))) ORDER BY joined_at, member_id
                """
            var grouped: [Conversation.ID: [Participant]] = [:]
            for row in try await db.raw(query).all() {
                let conversation = Conversation.ID(try row.uuid("conversation_id"))
                grouped[conversation, default: []].append(
                    Participant(
                        conversationID: conversation,
                        member: Member.ID(try row.uuid("member_id")),
                        state: ParticipantState(rawValue: try row.string("state")) ?? .active,
                        readSequence: try row.int64("read_sequence"),
                        joinedAt: try row.date("joined_at")
                    )
                )
            }
            return grouped
        }
    }

    public func conversations(
        of member: Member.ID,
        in states: [ParticipantState],
        after: [String]?,
        limit: Int
    ) async throws
        -> [ConversationEntry]
    {
        // The page is chosen on the list index alone, each state's range read in order and cut at
        // `limit`, then merged: only the page's rows are joined to their conversations and last
        // messages. (One `state IN (…)` over the joined rows read and joined every conversation
        // the member has, then sorted them: the inbox's cost grew with its size; docs/BENCHMARKS.md.)
        var resume: SQLQueryString = ""
        if let after, after.count == 2, let at = Int64(after[0]) {
            resume = " AND (last_message_at < \(bind: at) OR (last_message_at = \(bind: at) AND conversation_id < \(bind: after[1])))"
        }
        var ranges: [SQLQueryString] = []
        var seen = Set<ParticipantState>()
        for (index, state) in states.filter({ seen.insert($0).inserted }).enumerated() {
            ranges.append(
                """
                SELECT conversation_id, last_message_at FROM (
                    SELECT conversation_id, last_message_at FROM conversation_participants
                    WHERE member_id = \(bind: member.description) AND state = \(bind: state.rawValue)
                """ + resume
                    + " ORDER BY last_message_at DESC, conversation_id DESC LIMIT \(literal: limit)) range_\(unsafeRaw: String(index))"
            )
        }
        guard !ranges.isEmpty else { return [] }
        let query: SQLQueryString =
            "WITH page AS (" + ranges.joined(separator: " UNION ALL ")
                + """
                )
                SELECT c.id, c.kind, c.started_by, c.created_at, c.last_message_at, c.last_sequence,
                    p.state, p.read_sequence, p.joined_at, p.last_message_at AS listed_at,
                    msg.id AS message_id, msg.author_id, msg.sequence, msg.body, msg.sent_at
                FROM page
                JOIN conversation_participants p ON p.conversation_id = page.conversation_id AND p.member_id = \(bind: member.description)
                JOIN conversations c ON c.id = p.conversation_id
                LEFT JOIN messages msg ON msg.conversation_id = c.id
                    AND msg.sequence = CASE WHEN p.state = 'left' THEN p.read_sequence ELSE c.last_sequence END
                ORDER BY page.last_message_at DESC, page.conversation_id DESC LIMIT \(literal: limit)
                """
        return try await store.read { db in
            return try await db.raw(query).all().map { row in
                let conversation = try row.conversation()
                let mine = Participant(
                    conversationID: conversation.id,
                    member: member,
                    state: ParticipantState(rawValue: try row.string("state")) ?? .active,
                    readSequence: try row.int64("read_sequence"),
                    joinedAt: try row.date("joined_at")
                )
                let last: ChatMessage? =
                    try row.optionalUUID("message_id").map { id in
                        ChatMessage(
                            id: ChatMessage.ID(id),
                            conversationID: conversation.id,
                            author: try row.optionalUUID("author_id").map(Member.ID.init) ?? Self.formerMember,
                            sequence: try row.int64("sequence"),
                            body: try row.string("body"),
                            sentAt: try row.date("sent_at")
                        )
                    }
                let cursor = Cursor.encode([String(try row.int64("listed_at")), conversation.id.description])
                return ConversationEntry(conversation: conversation, mine: mine, lastMessage: last, cursor: cursor)
            }
        }
    }

    public func messages(in conversation: Conversation.ID, after sequence: Int64, limit: Int) async throws -> [ChatMessage] {
        try await store.read { db in
            try await db.raw(
                """
                SELECT id, conversation_id, author_id, sequence, body, sent_at FROM messages
                WHERE conversation_id = \(bind: conversation.description) AND sequence > \(bind: sequence)
                ORDER BY sequence LIMIT \(literal: limit)
                """
            ).all().map { try $0.chatMessage() }
        }
    }

    public func messages(in conversation: Conversation.ID, before sequence: Int64, limit: Int) async throws -> [ChatMessage] {
        try await store.read { db in
            try await db.raw(
                """
                SELECT id, conversation_id, author_id, sequence, body, sent_at FROM messages
                WHERE conversation_id = \(bind: conversation.description) AND sequence < \(bind: sequence)
                ORDER BY sequence DESC LIMIT \(literal: limit)
                """
            ).all().map { try $0.chatMessage() }.reversed()
        }
    }

    public func markRead(_ conversation: Conversation.ID, by member: Member.ID, upTo sequence: Int64) async throws {
        try await store.write { db in
            try await db.raw(
                """
                UPDATE conversation_participants SET read_sequence = \(bind: sequence)
                WHERE conversation_id = \(bind: conversation.description) AND member_id = \(bind: member.description)
                    AND read_sequence < \(bind: sequence) AND state <> 'left'
                """
            ).run()
        }
    }

    public func setState(_ state: ParticipantState, of member: Member.ID, in conversation: Conversation.ID) async throws -> Bool {
        try await store.write { db in
            // Leaving reads everything up to now; nothing later is shown to the one who left.
            let read = state == .left ? ", read_sequence = (SELECT last_sequence FROM conversations WHERE id = conversation_id)" : ""
            return try await db.raw(
                """
                UPDATE conversation_participants SET state = \(bind: state.rawValue)\(unsafeRaw: read)
                WHERE conversation_id = \(bind: conversation.description) AND member_id = \(bind: member.description)
                RETURNING member_id
                """
            ).first() != nil
        }
    }

    public func requestsStarted(by member: Member.ID, since: Date) async throws -> Int {
        try await store.read { db in
            try await db.raw(
                """
                SELECT COUNT(*) AS n FROM conversations
                WHERE started_by = \(bind: member.description) AND started_as_request = 1 AND created_at >= \(bind: Millis.from(since))
                """
            ).first().map { Int(try $0.int64("n")) } ?? 0
        }
    }

    /// Through the member cache (`MemberCards`).
    public func members(_ ids: [Member.ID]) async throws -> [Member.ID: Member] {
        try await store.memberCards.members(ids, store: store) { missing in
            try await SQLMemberRepository(store: store).loadMembers(missing)
        }
    }

    public func lastSequences(of conversations: [Conversation.ID]) async throws -> [Conversation.ID: Int64] {
        guard !conversations.isEmpty else { return [:] }
        return try await store.read { db in
            let rows = try await db.raw(
                "SELECT id, last_sequence FROM conversations WHERE id IN (\(binds: conversations.map(\.description)))"
            ).all()
            return Dictionary(uniqueKeysWithValues: try rows.map { (Conversation.ID(try $0.uuid("id")), try $0.int64("last_sequence")) })
        }
    }

    public func unreadConversations(of member: Member.ID) async throws -> Int {
        try await store.read { db in
            try await db.raw(
                """
                SELECT COUNT(*) AS n FROM conversation_participants p JOIN conversations c ON c.id = p.conversation_id
                WHERE p.member_id = \(bind: member.description)
                  AND ((p.state = 'active' AND c.last_sequence > p.read_sequence) OR p.state = 'request')
                """
            ).first().map { Int(try $0.int64("n")) } ?? 0
        }
    }

    // MARK: - Inside a transaction

    static func insert(_ message: ChatMessage, in db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO messages (id, conversation_id, author_id, sequence, body, sent_at)
            VALUES (\(bind: message.id.description), \(bind: message.conversationID.description), \(bind: message.author.description),
                \(bind: message.sequence), \(bind: message.body), \(bind: Millis.from(message.sentAt)))
            """
        ).run()
    }

    static func participants(of conversation: Conversation.ID, in db: any SQLDatabase) async throws -> [Participant] {
        try await db.raw(
            """
            SELECT member_id, state, read_sequence, joined_at FROM conversation_participants
            WHERE conversation_id = \(bind: conversation.description) ORDER BY joined_at, member_id
            """
        ).all().map { row in
            Participant(
                conversationID: conversation,
                member: Member.ID(try row.uuid("member_id")),
                state: ParticipantState(rawValue: try row.string("state")) ?? .active,
                readSequence: try row.int64("read_sequence"),
                joinedAt: try row.date("joined_at")
            )
        }
    }
}

/// Whether two members share a connection or an event (as organiser, or going, considering or
/// waitlisted), or an accepted introduction — later also a group or a mentorship.
public struct SQLSharedContext: SharedContext {
    private let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    public func shareContext(_ a: Member.ID, _ b: Member.ID) async throws -> Bool {
        try await store.read { db in
            let (x, y) = (a.description, b.description)
            let connected =
                try await db.raw(
                    """
                    SELECT 1 AS found FROM connections
                    WHERE (member_id = \(bind: x) AND other_id = \(bind: y)) OR (member_id = \(bind: y) AND other_id = \(bind: x))
                    """
                ).first() != nil
            if connected { return true }
            let sharedEvent =
                try await db.raw(
                    """
                    SELECT 1 AS found FROM events e
                    WHERE (e.organizer_id = \(bind: x) OR EXISTS (SELECT 1 FROM rsvps r WHERE r.event_id = e.id AND r.member_id = \(bind: x)
                            AND r.status IN ('going', 'maybe', 'waitlisted')))
                      AND (e.organizer_id = \(bind: y) OR EXISTS (SELECT 1 FROM rsvps r WHERE r.event_id = e.id AND r.member_id = \(bind: y)
                            AND r.status IN ('going', 'maybe', 'waitlisted')))
                      AND e.cancelled_at IS NULL
                    LIMIT 1
                    """
                ).first() != nil
            if sharedEvent { return true }
            // An accepted introduction (or, later, another accepted ask) that both were part of.
            return try await db.raw(
                """
                SELECT 1 AS found FROM asks a
                WHERE a.stage = 'accepted'
                  AND a.id IN (SELECT ask_id FROM ask_route WHERE member_id = \(bind: x) UNION SELECT id FROM asks WHERE asker_id = \(bind: x))
                  AND (a.asker_id = \(bind: y) OR EXISTS (SELECT 1 FROM ask_route r WHERE r.ask_id = a.id AND r.member_id = \(bind: y)))
                LIMIT 1
                """
            ).first() != nil
        }
    }
}

extension SQLRow {
    fileprivate func conversation() throws -> Conversation {
        Conversation(
            id: Conversation.ID(try uuid("id")),
            kind: ConversationKind(rawValue: try string("kind")) ?? .direct,
            startedBy: try optionalUUID("started_by").map(Member.ID.init) ?? SQLConversationRepository.formerMember,
            createdAt: try date("created_at"),
            lastMessageAt: try date("last_message_at"),
            lastSequence: try int64("last_sequence")
        )
    }

    fileprivate func chatMessage() throws -> ChatMessage {
        ChatMessage(
            id: ChatMessage.ID(try uuid("id")),
            conversationID: Conversation.ID(try uuid("conversation_id")),
            author: try optionalUUID("author_id").map(Member.ID.init) ?? SQLConversationRepository.formerMember,
            sequence: try int64("sequence"),
            body: try string("body"),
            sentAt: try date("sent_at")
        )
    }
}
