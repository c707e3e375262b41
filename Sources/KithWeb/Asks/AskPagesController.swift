import Foundation
import Hummingbird
import KithDomain

/// Help asks as pages: everything works without JavaScript.
struct AskPagesController {
    let services: Services

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.on(AskRoutes.Pages.list, use: list)
        router.on(AskRoutes.Pages.new, use: new)
        router.on(AskRoutes.Pages.create, use: create)
        router.on(AskRoutes.Pages.show, use: show)
        router.on(AskRoutes.Pages.offer, use: offer)
        router.on(AskRoutes.Pages.acceptOffer, use: acceptOffer)
        router.on(AskRoutes.Pages.decline, use: decline)
        router.on(AskRoutes.Pages.resolve, use: resolve)
        router.on(AskRoutes.Pages.withdraw, use: withdraw)
    }

    private func id(_ context: AppRequestContext) -> String { context.parameters.get("id") ?? "" }

    private func showPath(_ context: AppRequestContext) throws -> String {
        guard let id = Ask.ID(id(context)) else { throw DomainError.notFound("ask") }
        return AskRoutes.Pages.show.path(id)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        let member = try context.requireMember()
        let tab = AskTab(rawValue: request.uri.queryParameters.get("tab") ?? "") ?? .forMe
        let asks = tab == .forMe ? try await services.asks.forMe(member) : try await services.asks.mine(member)
        return HTMLResponse(AskListPage(chrome: context.chrome(), tab: tab, asks: asks).document())
    }

    @Sendable func new(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        let member = try context.requireMember()
        let giveFirst = Array(try await services.asks.forMe(member).filter { $0.offers.isEmpty }.prefix(3))
        return HTMLResponse(NewAskPage(chrome: context.chrome(), giveFirst: giveFirst).document())
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        let skills = data.text("skills").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        do {
            let view = try await services.asks.create(
                kind: data.text("kind"),
                title: data.text("title"),
                body: data["body"] ?? "",
                audience: data.text("audience"),
                skills: skills,
                organization: data.text("organization"),
                by: member
            )
            return Pages.redirect(AskRoutes.Pages.show.path(view.ask.id))
        } catch let error as DomainError {
            let (errors, status) = IntroductionPagesController.formErrors(error)
            var page = NewAskPage(
                chrome: context.chrome(),
                giveFirst: Array(try await services.asks.forMe(member).filter { $0.offers.isEmpty }.prefix(3))
            )
            (page.kind, page.title, page.body, page.audience) = (
                data.text("kind"), data.text("title"), data["body"] ?? "", data.text("audience")
            )
            (page.skills, page.organization, page.errors) = (data.text("skills"), data.text("organization"), errors)
            if case .rateLimited = error {
                page.errors = FieldErrors(errors: [
                    FieldError(
                        field: "",
                        message:
                            "You have \(AskCaps.standard(for: .help).openPerAsker) asks open already: resolve or withdraw one before asking again."
                    )
                ])
            }
            return try HTMLResponse(page.document(), status: status).response(from: request, context: context)
        }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        let member = try context.requireMember()
        return HTMLResponse(AskPage(chrome: context.chrome(), view: try await services.asks.ask(id(context), for: member)).document())
    }

    /// Acts and returns to the ask's page (or `location`); a refusal is shown on it.
    private func act(
        _ request: Request,
        context: AppRequestContext,
        then location: (@Sendable () async -> String)? = nil,
        _ action: @escaping @Sendable (Member, FormData) async throws -> Void
    ) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        do {
            try await action(member, data)
            return Pages.redirect(try await location?() ?? showPath(context))
        } catch let error as DomainError {
            if case .notFound = error { throw error }
            let (errors, status) = IntroductionPagesController.formErrors(error)
            let view = try await services.asks.ask(id(context), for: member)
            let page = AskPage(chrome: context.chrome(), view: view, note: data["note"] ?? "", errors: errors)
            return try HTMLResponse(page.document(), status: status).response(from: request, context: context)
        }
    }

    @Sendable func offer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let rawID = id(context)
        return try await act(request, context: context) { member, data in
            _ = try await services.asks.offer(rawID, note: data["note"], by: member)
        }
    }

    @Sendable func acceptOffer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (rawID, rawOffer) = (id(context), context.parameters.get("offer") ?? "")
        let opened = OpenedConversation()
        return try await act(request, context: context, then: { await opened.path(or: AskRoutes.Pages.list.path) }) { member, _ in
            await opened.set(try await services.asks.acceptOffer(rawOffer, on: rawID, by: member).1)
        }
    }

    @Sendable func decline(_ request: Request, context: AppRequestContext) async throws -> Response {
        let rawID = id(context)
        return try await act(request, context: context, then: { AskRoutes.Pages.list.path }) { member, _ in
            try await services.asks.decline(rawID, by: member)
        }
    }

    @Sendable func resolve(_ request: Request, context: AppRequestContext) async throws -> Response {
        let rawID = id(context)
        return try await act(request, context: context) { member, data in
            _ = try await services.asks.resolve(rawID, helpedBy: data.all("helped_by"), note: data["note"], by: member)
        }
    }

    @Sendable func withdraw(_ request: Request, context: AppRequestContext) async throws -> Response {
        let rawID = id(context)
        return try await act(request, context: context) { member, _ in _ = try await services.asks.withdraw(rawID, by: member) }
    }
}

/// Where an action's conversation ended up, for the redirect after it.
actor OpenedConversation {
    private var id: Conversation.ID?
    func set(_ id: Conversation.ID) { self.id = id }
    func path(or fallback: String) -> String { id.map { MessageRoutes.Pages.show.path($0) } ?? fallback }
}
