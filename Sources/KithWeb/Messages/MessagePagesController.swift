import Foundation
import Hummingbird
import KithDomain

/// Conversations as pages: everything works without JavaScript.
struct MessagePagesController {
    let services: Services

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.on(MessageRoutes.Pages.inbox, use: inbox)
        router.on(MessageRoutes.Pages.newConversation, use: newConversation)
        router.on(MessageRoutes.Pages.start, use: start)
        router.on(MessageRoutes.Pages.show, use: show)
        router.on(MessageRoutes.Pages.send, use: send)
        router.on(MessageRoutes.Pages.accept, use: accept)
        router.on(MessageRoutes.Pages.ignore, use: ignore)
        router.on(MessageRoutes.Pages.leave, use: leave)
        router.on(MessageRoutes.Pages.live, use: MessageStream(services: services).live)
    }

    private func id(_ context: AppRequestContext) -> String { context.parameters.get("id") ?? "" }

    private func conversationID(_ context: AppRequestContext) throws -> Conversation.ID {
        guard let id = Conversation.ID(id(context)) else { throw DomainError.notFound("conversation") }
        return id
    }

    @Sendable func inbox(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        let member = try context.requireMember()
        let query = request.uri.queryParameters
        let box = ConversationBox(rawValue: query.get("box") ?? "") ?? .inbox
        let page = try await services.messages.conversations(box: box.rawValue, of: member, after: query.get("after"), limit: "30")
        let waiting =
            box == .requests
            ? page.items.count
            : try await services.messages.conversations(box: "requests", of: member, after: nil, limit: "100").items.count
        return HTMLResponse(InboxPage(chrome: context.chrome(), box: box, conversations: page, requestsWaiting: waiting).document())
    }

    @Sendable func newConversation(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let to = request.uri.queryParameters.get("to") ?? ""
        // "Message" on a profile opens the conversation the two already have.
        if !to.isEmpty, let existing = try await services.messages.directConversation(with: to, for: member) {
            return Pages.redirect(MessageRoutes.Pages.show.path(existing))
        }
        return try HTMLResponse(NewConversationPage(chrome: context.chrome(), to: to).document()).response(from: request, context: context)
    }

    @Sendable func start(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        let to = data.text("to")
        let body = data["body"] ?? ""
        do {
            let handles = to.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
            let summary = try await services.messages.start(to: handles, body: body, by: member)
            return Pages.redirect(MessageRoutes.Pages.show.path(summary.conversation.id) + "#messages-end")
        } catch let error as DomainError {
            let errors: [FieldError]
            switch error {
            case .invalid(let fields): errors = fields
            case .notFound: errors = [FieldError(field: "to", message: "No member with that handle can receive messages from you.")]
            case .rateLimited:
                errors = [FieldError(field: "to", message: "You have started as many message requests as a week allows; try again later.")]
            default: throw error
            }
            let status: HTTPResponse.Status = if case .rateLimited = error { .tooManyRequests } else { .unprocessableContent }
            return try HTMLResponse(
                NewConversationPage(chrome: context.chrome(), to: to, body: body, errors: FieldErrors(errors: errors)).document(),
                status: status
            ).response(from: request, context: context)
        }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        let member = try context.requireMember()
        return HTMLResponse(try await page(id(context), member: member, request: request, context: context).document())
    }

    private func page(
        _ rawID: String,
        member: Member,
        request: Request,
        context: AppRequestContext,
        draft: String = "",
        errors: FieldErrors = FieldErrors()
    ) async throws -> ConversationPage {
        let before = request.uri.queryParameters.get("before").flatMap { Int64($0) }
        let summary = try await services.messages.conversation(rawID, for: member)
        let messages = try await services.messages.recentMessages(in: rawID, for: member, before: before)
        // Opening the conversation reads it (a message request stays unread until accepted).
        var chrome = context.chrome()
        if before == nil, summary.state == .active {
            try await services.messages.markRead(rawID, by: member)
            chrome.unreadConversations = try await services.messages.unreadCount(of: member)
        }
        let first = messages.first?.message.sequence ?? 1
        return ConversationPage(
            chrome: chrome,
            summary: summary,
            messages: messages,
            earlier: first > 1 ? first : nil,
            draft: draft,
            errors: errors
        )
    }

    @Sendable func send(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        let id = try conversationID(context)
        let body = data["body"] ?? ""
        do {
            let view = try await services.messages.send(body, to: id.description, by: member)
            return Pages.redirect(MessageRoutes.Pages.show.path(id) + "#m\(view.message.sequence)")
        } catch DomainError.invalid(let errors) {
            let page = try await page(
                id.description,
                member: member,
                request: request,
                context: context,
                draft: body,
                errors: FieldErrors(errors: errors)
            )
            return try HTMLResponse(page.document(), status: .unprocessableContent).response(from: request, context: context)
        }
    }

    @Sendable func accept(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        _ = try await VerifiedForm.read(request, context: context)
        let id = try conversationID(context)
        _ = try await services.messages.accept(id.description, by: member)
        return Pages.redirect(MessageRoutes.Pages.show.path(id))
    }

    @Sendable func ignore(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        _ = try await VerifiedForm.read(request, context: context)
        try await services.messages.ignore(id(context), by: member)
        return Pages.redirect(MessageRoutes.Pages.inbox.path + "?box=requests")
    }

    @Sendable func leave(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        _ = try await VerifiedForm.read(request, context: context)
        try await services.messages.leave(id(context), by: member)
        return Pages.redirect(MessageRoutes.Pages.inbox.path)
    }
}
