import Hummingbird
import KithDomain

/// The conversation routes: each written once, here (see `Endpoint`). Only participants reach a
/// conversation; everyone else, admins included, gets 404.
enum MessageRoutes {
    enum API {
        static let start = Endpoint<NoParameters>(
            .post,
            "/api/v1/conversations",
            .caller,
            "Write to one member (continuing your conversation if you have one) or up to seven; to someone you share nothing with it arrives as a message request",
            input: MessagesAPIController.StartBody.self,
            operation: APIOperation("startConversation", .json(201, "Sent", ConversationDTO.self), errors: [400, 404, 413, 422, 429])
        )
        static let list = Endpoint<NoParameters>(
            .get,
            "/api/v1/conversations",
            .caller,
            "The caller's conversations (inbox) or message requests waiting for them, most recent first",
            operation: APIOperation(
                "listConversations",
                query: [.oneOf("box", ConversationBox.self)] + QueryParameter.page,
                .json("Conversations", ListDTO<ConversationDTO>.self),
                errors: [422]
            )
        )
        static let show = Endpoint<OneParameter<Conversation.ID>>(
            .get,
            "/api/v1/conversations/:id",
            .owner,
            "A conversation the caller is in",
            operation: APIOperation("showConversation", .json("Conversation", ConversationDTO.self), errors: [404])
        )
        static let messages = Endpoint<OneParameter<Conversation.ID>>(
            .get,
            "/api/v1/conversations/:id/messages",
            .owner,
            "Messages, oldest first (after: the sequence number from next)",
            operation: APIOperation(
                "listMessages",
                query: QueryParameter.page,
                .json("Messages", ListDTO<MessageDTO>.self),
                errors: [404, 422]
            )
        )
        static let send = Endpoint<OneParameter<Conversation.ID>>(
            .post,
            "/api/v1/conversations/:id/messages",
            .owner,
            "Write in a conversation (answering a message request accepts it)",
            input: MessagesAPIController.MessageBody.self,
            operation: APIOperation("sendMessage", .json(201, "Sent", MessageDTO.self), errors: [400, 404, 409, 413, 422])
        )
        static let read = Endpoint<OneParameter<Conversation.ID>>(
            .post,
            "/api/v1/conversations/:id/read",
            .owner,
            "Mark the conversation read",
            operation: APIOperation("readConversation", .empty("Read"), errors: [404])
        )
        static let accept = Endpoint<OneParameter<Conversation.ID>>(
            .post,
            "/api/v1/conversations/:id/accept",
            .owner,
            "Accept a message request (it moves to the inbox)",
            operation: APIOperation("acceptConversation", .json("Accepted", ConversationDTO.self), errors: [404])
        )
        static let ignore = Endpoint<OneParameter<Conversation.ID>>(
            .post,
            "/api/v1/conversations/:id/ignore",
            .owner,
            "Ignore a message request (the sender is never told)",
            operation: APIOperation("ignoreConversation", .empty("Ignored"), errors: [404, 409])
        )
        static let leave = Endpoint<OneParameter<Conversation.ID>>(
            .post,
            "/api/v1/conversations/:id/leave",
            .owner,
            "Leave a group conversation, or step out of an introduction's conversation of three",
            operation: APIOperation("leaveConversation", .empty("Left"), errors: [404, 409])
        )

        static let all: [AnyEndpoint] = [
            start.erased, list.erased, show.erased, messages.erased, send.erased, read.erased, accept.erased, ignore.erased,
            leave.erased,
        ]
    }

    enum Pages {
        static let inbox = Endpoint<NoParameters>(.get, "/messages", .caller, "Conversations and message requests")
        static let newConversation = Endpoint<NoParameters>(.get, "/messages/new", .caller, "Write to someone")
        static let start = Endpoint<NoParameters>(.post, "/messages", .caller, "Send a first message")
        static let show = Endpoint<OneParameter<Conversation.ID>>(.get, "/messages/:id", .owner, "A conversation")
        static let send = Endpoint<OneParameter<Conversation.ID>>(.post, "/messages/:id", .owner, "Write in a conversation")
        static let accept = Endpoint<OneParameter<Conversation.ID>>(.post, "/messages/:id/accept", .owner, "Accept a message request")
        static let ignore = Endpoint<OneParameter<Conversation.ID>>(.post, "/messages/:id/ignore", .owner, "Ignore a message request")
        static let leave = Endpoint<OneParameter<Conversation.ID>>(
            .post,
            "/messages/:id/leave",
            .owner,
            "Leave a group conversation or step out of an introduction"
        )
        static let live = Endpoint<OneParameter<Conversation.ID>>(
            .get,
            "/messages/:id/live",
            .owner,
            "New messages as they arrive (text/event-stream, for the open conversation page)"
        )

        static let all: [AnyEndpoint] = [
            inbox.erased, newConversation.erased, start.erased, show.erased, send.erased, accept.erased, ignore.erased, leave.erased,
            live.erased,
        ]
    }

    static let all = API.all + Pages.all
}
