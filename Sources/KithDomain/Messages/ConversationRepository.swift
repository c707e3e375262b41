public import Foundation

/// One row of a member's conversation list, with the sort key for keyset pagination.
public struct ConversationEntry: Sendable {
    public var conversation: Conversation
    public var mine: Participant
    public var lastMessage: ChatMessage?
    public var cursor: String

    public init(conversation: Conversation, mine: Participant, lastMessage: ChatMessage?, cursor: String) {
        self.conversation = conversation
        self.mine = mine
        self.lastMessage = lastMessage
        self.cursor = cursor
    }
}

/// Storage for conversations, their participants and messages.
public protocol ConversationRepository: Sendable {
    /// The direct conversation between two members, if they have one.
    func directConversation(between a: Member.ID, and b: Member.ID) async throws -> Conversation.ID?
    /// Stores a new conversation with its participants and first message in one transaction.
    /// For a direct conversation that the two started at the same moment elsewhere, stores
    /// nothing and returns the existing one's id.
    func start(
        _ conversation: Conversation,
        participants: [Participant],
        first: ChatMessage,
        startedAsRequest: Bool,
        notices: [Notice]
    ) async throws -> Conversation.ID
    /// Appends a message by `author` (numbered after the newest), moves the author's read
    /// position to it, and makes a request the author answers active. Nil when the author is not
    /// an active or request participant.
    func post(
        _ id: ChatMessage.ID,
        body: String,
        by author: Member.ID,
        in conversation: Conversation.ID,
        at: Date,
        notices: @escaping @Sendable ([Participant]) -> [Notice]
    ) async throws -> ChatMessage?
    func conversation(_ id: Conversation.ID) async throws -> Conversation?
    func participants(of conversation: Conversation.ID) async throws -> [Participant]
    /// The participants of several conversations in one read.
    func participants(of conversations: [Conversation.ID]) async throws -> [Conversation.ID: [Participant]]
    /// A member's conversations in the given states, most recent first.
    func conversations(
        of member: Member.ID,
        in states: [ParticipantState],
        after: [String]?,
        limit: Int
    ) async throws
        -> [ConversationEntry]
    /// Messages after `sequence`, oldest first.
    func messages(in conversation: Conversation.ID, after sequence: Int64, limit: Int) async throws -> [ChatMessage]
    /// The newest `limit` messages before `sequence`, oldest first.
    func messages(in conversation: Conversation.ID, before sequence: Int64, limit: Int) async throws -> [ChatMessage]
    func markRead(_ conversation: Conversation.ID, by member: Member.ID, upTo sequence: Int64) async throws
    /// Changes a participant's state; false when they are not in the conversation.
    func setState(_ state: ParticipantState, of member: Member.ID, in conversation: Conversation.ID) async throws -> Bool
    /// Conversations `member` started since `since` that began as a message request (the weekly limit).
    func requestsStarted(by member: Member.ID, since: Date) async throws -> Int
    /// The newest message sequence of each of these conversations.
    func lastSequences(of conversations: [Conversation.ID]) async throws -> [Conversation.ID: Int64]
    /// The members with these ids (participants, authors), in one read.
    func members(_ ids: [Member.ID]) async throws -> [Member.ID: Member]
    /// Active conversations with unread messages, and requests waiting, for the navigation.
    func unreadConversations(of member: Member.ID) async throws -> Int
}

/// Whether two members already share something — a connection, an event, later a group, a
/// mentorship or an introduction — so that a first message is not a message request.
public protocol SharedContext: Sendable {
    func shareContext(_ a: Member.ID, _ b: Member.ID) async throws -> Bool
}
