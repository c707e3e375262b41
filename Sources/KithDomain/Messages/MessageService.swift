public import Foundation

/// The rules of talking: who may start what, message requests (anti-spam without rejection),
/// blocks, read state and leaving. Only participants ever see a conversation; to anyone else
/// every conversation route answers "not found", as for one that does not exist.
public struct MessageService: Sendable {
    public struct Settings: Sendable {
        /// The most message requests (first messages to people one shares nothing with) a member
        /// may start in seven days.
        public var weeklyRequestLimit: Int

        public init(weeklyRequestLimit: Int = 20) {
            self.weeklyRequestLimit = weeklyRequestLimit
        }
    }

    private let members: any MemberRepository
    private let conversations: any ConversationRepository
    private let blocks: any BlockRepository
    private let context: any SharedContext
    private let links: any PageLinks
    /// This instance's open conversation pages (live delivery).
    public let live: LiveConversations
    public let settings: Settings
    private let now: @Sendable () -> Date

    public init(
        members: any MemberRepository,
        conversations: any ConversationRepository,
        blocks: any BlockRepository,
        context: any SharedContext,
        links: any PageLinks,
        live: LiveConversations = LiveConversations(),
        settings: Settings = Settings(),
        now: @escaping @Sendable () -> Date
    ) {
        self.members = members
        self.live = live
        self.conversations = conversations
        self.blocks = blocks
        self.context = context
        self.links = links
        self.settings = settings
        self.now = now
    }

    /// Writes to one member (a direct conversation, continued if the two already have one) or to
    /// up to seven (a group conversation). A recipient the sender shares nothing with gets it as
    /// a message request; the sender only ever sees it as sent.
    public func start(to handles: [String], body rawBody: String, by sender: Member) async throws -> ConversationSummary {
        var check = Validation()
        let body = check.capture { try Self.cleanBody(rawBody) }
        let wanted = Self.uniqueHandles(handles)
        if wanted.isEmpty {
            check.fail("to", "must name at least one member")
        } else if wanted.count > Conversation.maxParticipants - 1 {
            check.fail("to", "must name at most \(Conversation.maxParticipants - 1) members")
        }
        try check.throwIfFailed()
        var recipients: [Member] = []
        for raw in wanted {
            guard let handle = try? Handle(raw, field: "to"), let member = try await members.member(handle: handle) else {
                throw DomainError.notFound("member")
            }
            if member.id == sender.id { throw DomainError.invalid(field: "to", reason: "cannot include yourself") }
            // Blocked either way: the same answer as for someone who does not exist.
            if try await blocks.isBlocked(between: member.id, and: sender.id) { throw DomainError.notFound("member") }
            recipients.append(member)
        }
        let moment = now()
        if recipients.count == 1, let existing = try await conversations.directConversation(between: sender.id, and: recipients[0].id) {
            _ = try await post(body!, in: existing, by: sender, at: moment)
            return try await summary(existing, for: sender)
        }
        var states: [Member.ID: ParticipantState] = [:]
        for recipient in recipients {
            states[recipient.id] = try await context.shareContext(sender.id, recipient.id) ? .active : .request
        }
        let isRequest = states.values.contains(.request)
        if isRequest {
            let started = try await conversations.requestsStarted(by: sender.id, since: moment.addingTimeInterval(-7 * 86_400))
            guard started < settings.weeklyRequestLimit else { throw DomainError.rateLimited(retryAfterSeconds: 86_400) }
        }
        let conversation = Conversation(
            id: .make(at: moment),
            kind: recipients.count == 1 ? .direct : .group,
            startedBy: sender.id,
            createdAt: moment,
            lastMessageAt: moment,
            lastSequence: 1
        )
        let participants =
            [Participant(conversationID: conversation.id, member: sender.id, state: .active, readSequence: 1, joinedAt: moment)]
            + recipients.map {
                Participant(
                    conversationID: conversation.id,
                    member: $0.id,
                    state: states[$0.id] ?? .request,
                    readSequence: 0,
                    joinedAt: moment
                )
            }
        let first = ChatMessage(
            id: .make(at: moment),
            conversationID: conversation.id,
            author: sender.id,
            sequence: 1,
            body: body!,
            sentAt: moment
        )
        let notices = participants.dropFirst().map { notice(for: $0, from: sender, in: conversation.id) }
        let id = try await conversations.start(
            conversation,
            participants: participants,
            first: first,
            startedAsRequest: isRequest,
            notices: notices
        )
        if id != conversation.id { _ = try await post(body!, in: id, by: sender, at: moment) }
        return try await summary(id, for: sender)
    }

    /// Opens the conversation an accepted introduction leads to: the connector writes first (the
    /// blurb and the ask), and everyone is in it at once — an introduction is shared context.
    /// `id` is the introduction's own, so the introduction always leads to its conversation.
    public func openIntroduction(
        _ id: Conversation.ID,
        by connector: Member,
        with others: [Member],
        body: String
    ) async throws -> Conversation.ID {
        let moment = now()
        let conversation = Conversation(
            id: id,
            kind: .introduction,
            startedBy: connector.id,
            createdAt: moment,
            lastMessageAt: moment,
            lastSequence: 1
        )
        let participants =
            [Participant(conversationID: conversation.id, member: connector.id, state: .active, readSequence: 1, joinedAt: moment)]
            + others.map { Participant(conversationID: conversation.id, member: $0.id, state: .active, readSequence: 0, joinedAt: moment) }
        let first = ChatMessage(
            id: .make(at: moment),
            conversationID: conversation.id,
            author: connector.id,
            sequence: 1,
            body: try Self.cleanBody(body),
            sentAt: moment
        )
        return try await conversations.start(
            conversation,
            participants: participants,
            first: first,
            startedAsRequest: false,
            notices: participants.dropFirst().map { notice(for: $0, from: connector, in: conversation.id) }
        )
    }

    /// Writes between two members who agreed to talk (an accepted offer of help): in their direct
    /// conversation if they have one, else in a new one both are already in — never a message request.
    public func openBetween(_ sender: Member, and other: Member, body: String) async throws -> Conversation.ID {
        let moment = now()
        let text = try Self.cleanBody(body)
        if let existing = try await conversations.directConversation(between: sender.id, and: other.id) {
            _ = try await post(text, in: existing, by: sender, at: moment)
            return existing
        }
        let conversation = Conversation(
            id: .make(at: moment),
            kind: .direct,
            startedBy: sender.id,
            createdAt: moment,
            lastMessageAt: moment,
            lastSequence: 1
        )
        let participants = [
            Participant(conversationID: conversation.id, member: sender.id, state: .active, readSequence: 1, joinedAt: moment),
            Participant(conversationID: conversation.id, member: other.id, state: .active, readSequence: 0, joinedAt: moment),
        ]
        let first = ChatMessage(
            id: .make(at: moment),
            conversationID: conversation.id,
            author: sender.id,
            sequence: 1,
            body: text,
            sentAt: moment
        )
        return try await conversations.start(
            conversation,
            participants: participants,
            first: first,
            startedAsRequest: false,
            notices: [notice(for: participants[1], from: sender, in: conversation.id)]
        )
    }

    /// Adds a message to a conversation the member is in. Replying to a request accepts it.
    public func send(_ rawBody: String, to rawID: String, by author: Member) async throws -> MessageView {
        let id = try await participating(rawID, author).conversation.id
        let body = try Self.cleanBody(rawBody)
        return MessageView(message: try await post(body, in: id, by: author, at: now()), author: author)
    }

    /// The member's conversations in one box, most recent first.
    public func conversations(
        box rawBox: String?,
        of member: Member,
        after: String?,
        limit: String?
    ) async throws -> Page<ConversationSummary> {
        var check = Validation()
        var box = ConversationBox.inbox
        if let rawBox, !rawBox.isEmpty {
            if let parsed = ConversationBox(rawValue: rawBox) {
                box = parsed
            } else {
                check.fail("box", "must be one of: \(ConversationBox.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        let size = check.capture { try PageSize(limit) }
        let cursor = check.capture { try Cursor.decode(after, parts: 2, numericFirst: true) } ?? nil
        try check.throwIfFailed()
        let states: [ParticipantState] = box == .inbox ? [.active, .left] : [.request]
        let hidden = Set(try await blocks.blockedEither(of: member.id))
        let entries = try await conversations.conversations(of: member.id, in: states, after: cursor, limit: size!.value + 1)
        let shown = Array(entries.prefix(size!.value))
        // The page's participants and the members behind them in two reads, whatever its length.
        let participants = try await conversations.participants(of: shown.map(\.conversation.id))
        let people = try await conversations.members(
            participants.values.flatMap { $0.map(\.member) } + shown.compactMap { $0.lastMessage?.author }
        )
        var items: [ConversationSummary] = []
        for entry in shown {
            let summary = try await summarize(
                entry.conversation,
                mine: entry.mine,
                last: entry.lastMessage,
                for: member,
                hidden: hidden,
                participants: participants[entry.conversation.id] ?? [],
                people: people
            )
            if let summary { items.append(summary) }
        }
        return Page(items: items, next: entries.count > size!.value ? shown.last?.cursor : nil)
    }

    /// One conversation, as the participant sees it.
    public func conversation(_ rawID: String, for member: Member) async throws -> ConversationSummary {
        let (conversation, _) = try await participating(rawID, member)
        return try await summary(conversation.id, for: member)
    }

    /// Messages oldest first, after a sequence number (`after`, from the API's `next`).
    public func messages(in rawID: String, for member: Member, after: String?, limit: String?) async throws -> Page<MessageView> {
        var check = Validation()
        let size = check.capture { try PageSize(limit) }
        var start: Int64 = 0
        if let after, !after.isEmpty {
            if let value = Int64(after), value >= 0 { start = value } else { check.fail("after", "is not a cursor returned by this list") }
        }
        try check.throwIfFailed()
        let (conversation, mine) = try await participating(rawID, member)
        let found = try await conversations.messages(in: conversation.id, after: start, limit: size!.value + 1)
            .filter { mine.state != .left || $0.sequence <= mine.readSequence }
        let items = Array(found.prefix(size!.value))
        return Page(
            items: try await withAuthors(items),
            next: found.count > size!.value ? items.last.map { String($0.sequence) } : nil
        )
    }

    /// The newest messages (before a sequence number, for "earlier"), oldest first, for the page.
    public func recentMessages(in rawID: String, for member: Member, before: Int64?, limit: Int = 50) async throws -> [MessageView] {
        let (conversation, mine) = try await participating(rawID, member)
        // One who left sees what was said until then.
        let end = mine.state == .left ? mine.readSequence + 1 : Int64.max
        return try await withAuthors(conversations.messages(in: conversation.id, before: min(before ?? Int64.max, end), limit: limit))
    }

    private func withAuthors(_ messages: [ChatMessage]) async throws -> [MessageView] {
        let authors = try await conversations.members(messages.map(\.author))
        return messages.map { MessageView(message: $0, author: authors[$0.author]) }
    }

    /// Marks everything in the conversation read for the member.
    public func markRead(_ rawID: String, by member: Member) async throws {
        let (conversation, _) = try await participating(rawID, member)
        try await conversations.markRead(conversation.id, by: member.id, upTo: conversation.lastSequence)
    }

    /// Moves a message request to the inbox.
    public func accept(_ rawID: String, by member: Member) async throws -> ConversationSummary {
        let (conversation, mine) = try await participating(rawID, member)
        if mine.state == .request || mine.state == .ignored {
            _ = try await conversations.setState(.active, of: member.id, in: conversation.id)
        }
        return try await summary(conversation.id, for: member)
    }

    /// Ignores a message request. The sender is never told.
    public func ignore(_ rawID: String, by member: Member) async throws {
        let (conversation, mine) = try await participating(rawID, member)
        guard mine.state == .request else {
            throw DomainError.conflict(field: "conversation", message: "Only a message request can be ignored.")
        }
        _ = try await conversations.setState(.ignored, of: member.id, in: conversation.id)
    }

    /// Leaves a group conversation: nothing new arrives, nothing can be written.
    public func leave(_ rawID: String, by member: Member) async throws {
        let (conversation, _) = try await participating(rawID, member)
        // A group, or an introduction's conversation of three (the connector steps out once the
        // two have met).
        guard conversation.kind == .group || conversation.kind == .introduction else {
            throw DomainError.conflict(field: "conversation", message: "Only a group conversation or an introduction can be left.")
        }
        _ = try await conversations.setState(.left, of: member.id, in: conversation.id)
    }

    /// The member's direct conversation with `handle`, if they have one and may still reach them.
    public func directConversation(with handle: String, for member: Member) async throws -> Conversation.ID? {
        guard let parsed = try? Handle(handle), let other = try await members.member(handle: parsed), other.id != member.id,
            !(try await blocks.isBlocked(between: other.id, and: member.id))
        else { return nil }
        return try await conversations.directConversation(between: member.id, and: other.id)
    }

    /// Wakes this instance's listeners for conversations that moved on through another instance.
    /// Reads nothing when nobody here is watching.
    public func catchUp() async throws {
        let watched = await live.watched
        guard !watched.isEmpty else { return }
        for (id, sequence) in try await conversations.lastSequences(of: watched) {
            await live.announce(id, sequence: sequence)
        }
    }

    /// Conversations with something unread, and message requests waiting: the navigation's count.
    public func unreadCount(of member: Member) async throws -> Int {
        try await conversations.unreadConversations(of: member.id)
    }

    // MARK: - Rules

    static func cleanBody(_ raw: String) throws(DomainError) -> String {
        try Text.clean(raw, field: "body", max: ChatMessage.maxLength, min: 1, multiline: true)
    }

    static func uniqueHandles(_ raw: [String]) -> [String] {
        var seen = Set<String>()
        return raw.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// The conversation and the member's place in it; "not found" for anyone not in it, and for a
    /// direct conversation with someone blocked either way.
    private func participating(_ rawID: String, _ member: Member) async throws -> (conversation: Conversation, mine: Participant) {
        guard let id = Conversation.ID(rawID), let conversation = try await conversations.conversation(id) else {
            throw DomainError.notFound("conversation")
        }
        let participants = try await conversations.participants(of: id)
        guard let mine = participants.first(where: { $0.member == member.id }) else { throw DomainError.notFound("conversation") }
        if conversation.kind == .direct, let other = participants.first(where: { $0.member != member.id }),
            try await blocks.isBlocked(between: member.id, and: other.member)
        {
            throw DomainError.notFound("conversation")
        }
        return (conversation, mine)
    }

    private func post(_ body: String, in id: Conversation.ID, by author: Member, at moment: Date) async throws -> ChatMessage {
        let participants = try await conversations.participants(of: id)
        guard let mine = participants.first(where: { $0.member == author.id }) else { throw DomainError.notFound("conversation") }
        switch mine.state {
        case .left: throw DomainError.conflict(field: "conversation", message: "You left this conversation; you can no longer write in it.")
        case .ignored: _ = try await conversations.setState(.active, of: author.id, in: id)
        case .active, .request: break
        }
        let notice = self.notice
        let message = try await conversations.post(
            .make(at: moment),
            body: body,
            by: author.id,
            in: id,
            at: moment,
            notices: { participants in
                participants.filter { $0.member != author.id && ($0.state == .active || $0.state == .request) }
                    .map { notice($0, author, id) }
            }
        )
        guard let message else { throw DomainError.notFound("conversation") }
        await live.announce(id, sequence: message.sequence)
        return message
    }

    /// One notification per unread stretch: the key holds the recipient's read position, so a
    /// second message before they read the first adds nothing. Never the message itself.
    private func notice(for participant: Participant, from sender: Member, in conversation: Conversation.ID) -> Notice {
        let isRequest = participant.state == .request
        return Notice(
            member: participant.member,
            kind: .message,
            key: "message:\(conversation):\(participant.readSequence)",
            title: isRequest ? "\(sender.name) sent you a message request" : "New message from \(sender.name)",
            body: isRequest ? "Accept it to reply, or ignore it; they will not be told." : "Open the conversation to read it.",
            link: links.conversation(conversation)
        )
    }

    private func summary(_ id: Conversation.ID, for member: Member) async throws -> ConversationSummary {
        guard let conversation = try await conversations.conversation(id) else { throw DomainError.notFound("conversation") }
        let participants = try await conversations.participants(of: id)
        guard let mine = participants.first(where: { $0.member == member.id }) else { throw DomainError.notFound("conversation") }
        let end = mine.state == .left ? mine.readSequence + 1 : Int64.max
        let last = try await conversations.messages(in: id, before: end, limit: 1).last
        let hidden = Set(try await blocks.blockedEither(of: member.id))
        guard
            let summary = try await summarize(conversation, mine: mine, last: last, for: member, hidden: hidden, participants: participants)
        else { throw DomainError.notFound("conversation") }
        return summary
    }

    private func summarize(
        _ conversation: Conversation,
        mine: Participant,
        last: ChatMessage?,
        for member: Member,
        hidden: Set<Member.ID>,
        participants known: [Participant]? = nil,
        people: [Member.ID: Member]? = nil
    ) async throws -> ConversationSummary? {
        var participants = known ?? []
        if known == nil { participants = try await conversations.participants(of: conversation.id) }
        let otherIDs = participants.map(\.member).filter { $0 != member.id }
        if conversation.kind == .direct, otherIDs.contains(where: hidden.contains) { return nil }
        var byID = people ?? [:]
        if people == nil { byID = try await conversations.members(otherIDs + (last.map { [$0.author] } ?? [])) }
        return ConversationSummary(
            conversation: conversation,
            state: mine.state == .request ? .request : .active,
            others: otherIDs.filter { !hidden.contains($0) }.compactMap { byID[$0] },
            unreadCount: mine.state == .left ? 0 : Int(max(0, conversation.lastSequence - mine.readSequence)),
            lastMessage: last,
            lastAuthor: last.flatMap { byID[$0.author] ?? ($0.author == member.id ? member : nil) },
            hasLeft: mine.state == .left
        )
    }
}
