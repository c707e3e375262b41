import Foundation
import Hummingbird
import KithDomain

/// Conversations over JSON.
struct MessagesAPIController {
    let services: Services

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.on(MessageRoutes.API.start, use: start)
        router.on(MessageRoutes.API.list, use: list)
        router.on(MessageRoutes.API.show, use: show)
        router.on(MessageRoutes.API.messages, use: messages)
        router.on(MessageRoutes.API.send, use: send)
        router.on(MessageRoutes.API.read, use: read)
        router.on(MessageRoutes.API.accept, use: accept)
        router.on(MessageRoutes.API.ignore, use: ignore)
        router.on(MessageRoutes.API.leave, use: leave)
    }

    // Optional here so the domain can say "is required" in its own words, after it has checked
    // the caller is in the conversation (a stranger learns nothing from a 422).
    struct StartBody: APIInput {
        var to: [String]?
        var body: String?
    }

    struct MessageBody: APIInput {
        var body: String?
    }

    private func id(_ context: AppRequestContext) -> String { context.parameters.get("id") ?? "" }

    @Sendable func start(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<ConversationDTO> {
        let member = try context.requireMember()
        let input = try await JSONBody.decode(StartBody.self, from: request, context: context)
        let summary = try await services.messages.start(to: input.to ?? [], body: input.body ?? "", by: member)
        return EditedResponse(status: .created, response: ConversationDTO(summary))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> ListDTO<ConversationDTO> {
        let member = try context.requireMember()
        let query = request.uri.queryParameters
        let page = try await services.messages.conversations(
            box: query.get("box"),
            of: member,
            after: query.get("after"),
            limit: query.get("limit")
        )
        return ListDTO(items: page.items.map(ConversationDTO.init), next: page.next)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> ConversationDTO {
        ConversationDTO(try await services.messages.conversation(id(context), for: try context.requireMember()))
    }

    @Sendable func messages(_ request: Request, context: AppRequestContext) async throws -> ListDTO<MessageDTO> {
        let member = try context.requireMember()
        let query = request.uri.queryParameters
        let page = try await services.messages.messages(in: id(context), for: member, after: query.get("after"), limit: query.get("limit"))
        return ListDTO(items: page.items.map(MessageDTO.init), next: page.next)
    }

    @Sendable func send(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<MessageDTO> {
        let member = try context.requireMember()
        let input = try await JSONBody.decode(MessageBody.self, from: request, context: context)
        let message = try await services.messages.send(input.body ?? "", to: id(context), by: member)
        return EditedResponse(status: .created, response: MessageDTO(message))
    }

    @Sendable func read(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        try await services.messages.markRead(id(context), by: try context.requireMember())
        return .noContent
    }

    @Sendable func accept(_ request: Request, context: AppRequestContext) async throws -> ConversationDTO {
        ConversationDTO(try await services.messages.accept(id(context), by: try context.requireMember()))
    }

    @Sendable func ignore(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        try await services.messages.ignore(id(context), by: try context.requireMember())
        return .noContent
    }

    @Sendable func leave(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        try await services.messages.leave(id(context), by: try context.requireMember())
        return .noContent
    }
}

extension MessagesAPIController.StartBody: FieldRules {
    static let rules: [String: FieldRule] = [
        "to": FieldRule(keywords: ["minItems": 1, "maxItems": Conversation.maxParticipants - 1], onArray: true),
        "body": .text(max: ChatMessage.maxLength),
    ]
    static let required: Set<String> = ["to", "body"]
}

extension MessagesAPIController.MessageBody: FieldRules {
    static let rules: [String: FieldRule] = ["body": .text(max: ChatMessage.maxLength)]
    static let required: Set<String> = ["body"]
}

/// Someone in a conversation, as a name and a handle.
struct PersonRefDTO: Codable, Sendable {
    var handle: String
    var name: String
}

struct MessageDTO: APIOutput {
    var id: String
    var sequence: Int64
    /// Null when the author's account is gone.
    @Nullable var author: PersonRefDTO?
    var body: String
    var sentAt: Date

    init(_ view: MessageView) {
        id = view.message.id.description
        sequence = view.message.sequence
        author = view.author.map { PersonRefDTO(handle: $0.handle.rawValue, name: $0.name) }
        body = view.message.body
        sentAt = view.message.sentAt
    }
}

struct ConversationDTO: APIOutput, NamedSchema {
    static var schemaName: String { "Conversation" }

    var id: String
    var kind: ConversationKind
    var state: ConversationState
    var participants: [PersonRefDTO]
    var unreadCount: Int
    @Nullable var lastMessage: MessageDTO?
    var left: Bool

    init(_ summary: ConversationSummary) {
        id = summary.conversation.id.description
        kind = summary.conversation.kind
        state = summary.state
        participants = summary.others.map { PersonRefDTO(handle: $0.handle.rawValue, name: $0.name) }
        unreadCount = summary.unreadCount
        lastMessage = summary.lastMessage.map { MessageDTO(MessageView(message: $0, author: summary.lastAuthor)) }
        left = summary.hasLeft
    }
}
