public import Foundation

/// What a conversation is for. Direct and group conversations are started by members; later
/// capabilities open their own kinds (an accepted introduction, a mentorship).
public enum ConversationKind: String, Sendable, Codable, CaseIterable {
    case direct
    case group
    case introduction
    case mentorship
}

/// Where a conversation stands for one participant.
public enum ParticipantState: String, Sendable, Codable, CaseIterable {
    /// In the inbox.
    case active
    /// A first message from someone the member shares nothing with: under requests until the
    /// member accepts (or replies), ignores or blocks.
    case request
    /// Ignored. The sender is never told; to them the conversation looks as it always did.
    case ignored
    /// Left a group conversation: no new messages arrive, none can be written.
    case left
}

/// A conversation as one participant sees it: `request` only to a recipient who has not
/// accepted. The sender of a request sees `active` — sent, never "declined" or "ignored".
public enum ConversationState: String, Sendable, Codable, CaseIterable {
    case active
    case request
}

public struct Conversation: Sendable, Equatable, Identifiable {
    public typealias ID = Identifier<Conversation>

    public var id: ID
    public var kind: ConversationKind
    public var startedBy: Member.ID
    public var createdAt: Date
    public var lastMessageAt: Date
    /// The sequence number of the newest message (messages are numbered 1, 2, 3… per conversation).
    public var lastSequence: Int64

    public init(id: ID, kind: ConversationKind, startedBy: Member.ID, createdAt: Date, lastMessageAt: Date, lastSequence: Int64) {
        self.id = id
        self.kind = kind
        self.startedBy = startedBy
        self.createdAt = createdAt
        self.lastMessageAt = lastMessageAt
        self.lastSequence = lastSequence
    }

    /// The most people in one conversation, the sender included.
    public static let maxParticipants = 8
}

public struct ChatMessage: Sendable, Equatable, Identifiable {
    public typealias ID = Identifier<ChatMessage>

    public var id: ID
    public var conversationID: Conversation.ID
    public var author: Member.ID
    public var sequence: Int64
    public var body: String
    public var sentAt: Date

    public init(id: ID, conversationID: Conversation.ID, author: Member.ID, sequence: Int64, body: String, sentAt: Date) {
        self.id = id
        self.conversationID = conversationID
        self.author = author
        self.sequence = sequence
        self.body = body
        self.sentAt = sentAt
    }

    /// The longest message, in characters.
    public static let maxLength = 5_000
}

public struct Participant: Sendable, Equatable {
    public var conversationID: Conversation.ID
    public var member: Member.ID
    public var state: ParticipantState
    /// The newest message this participant has read (their own messages count as read).
    public var readSequence: Int64
    public var joinedAt: Date

    public init(conversationID: Conversation.ID, member: Member.ID, state: ParticipantState, readSequence: Int64, joinedAt: Date) {
        self.conversationID = conversationID
        self.member = member
        self.state = state
        self.readSequence = readSequence
        self.joinedAt = joinedAt
    }
}

/// A conversation in a participant's list: who is in it, the newest message and what is unread.
public struct ConversationSummary: Sendable {
    public var conversation: Conversation
    public var state: ConversationState
    /// Everyone in it but the viewer, as the viewer may see them.
    public var others: [Member]
    public var unreadCount: Int
    public var lastMessage: ChatMessage?
    public var lastAuthor: Member?
    /// The viewer has left it (a group conversation).
    public var hasLeft: Bool

    public init(
        conversation: Conversation,
        state: ConversationState,
        others: [Member],
        unreadCount: Int,
        lastMessage: ChatMessage?,
        lastAuthor: Member?,
        hasLeft: Bool
    ) {
        self.conversation = conversation
        self.state = state
        self.others = others
        self.unreadCount = unreadCount
        self.lastMessage = lastMessage
        self.lastAuthor = lastAuthor
        self.hasLeft = hasLeft
    }
}

/// Which list of conversations: the inbox, or message requests waiting for the member.
public enum ConversationBox: String, Sendable, CaseIterable {
    case inbox
    case requests
}

/// A message with its author (nil when their account is gone: "a former member").
public struct MessageView: Sendable {
    public var message: ChatMessage
    public var author: Member?

    public init(message: ChatMessage, author: Member?) {
        self.message = message
        self.author = author
    }
}
