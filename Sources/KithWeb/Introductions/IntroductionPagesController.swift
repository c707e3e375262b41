import Foundation
import Hummingbird
import KithDomain

/// Introductions as pages: everything works without JavaScript.
struct IntroductionPagesController {
    let services: Services

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.on(IntroductionRoutes.Pages.list, use: list)
        router.on(IntroductionRoutes.Pages.new, use: new)
        router.on(IntroductionRoutes.Pages.create, use: create)
        router.on(IntroductionRoutes.Pages.availability, use: setAvailability)
        router.on(IntroductionRoutes.Pages.show, use: show)
        router.on(IntroductionRoutes.Pages.forward, use: forward)
        router.on(IntroductionRoutes.Pages.question, use: question)
        router.on(IntroductionRoutes.Pages.pass, use: pass)
        router.on(IntroductionRoutes.Pages.accept, use: accept)
        router.on(IntroductionRoutes.Pages.withdraw, use: withdraw)
        router.on(IntroductionRoutes.Pages.outcome, use: outcome)
    }

    private func id(_ context: AppRequestContext) -> String { context.parameters.get("id") ?? "" }

    private func showPath(_ context: AppRequestContext) throws -> String {
        guard let id = Ask.ID(id(context)) else { throw DomainError.notFound("introduction") }
        return IntroductionRoutes.Pages.show.path(id)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        let member = try context.requireMember()
        return HTMLResponse(try await listPage(role: request.uri.queryParameters.get("role"), member: member, context: context).document())
    }

    private func listPage(
        role raw: String?,
        member: Member,
        context: AppRequestContext,
        errors: FieldErrors = FieldErrors()
    ) async throws
        -> IntroductionListPage
    {
        let role = raw.flatMap(IntroductionRole.init(rawValue:)) ?? .asker
        let views = try await services.introductions.list(role: role, of: member)
        return IntroductionListPage(
            chrome: context.chrome(),
            role: role,
            introductions: views,
            waitingForMe: views.filter { $0.status == .waitingForYou }.count,
            availability: try await services.introductions.availability(of: member),
            errors: errors
        )
    }

    @Sendable func new(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let query = request.uri.queryParameters
        let page = try await newPage(target: query.get("target") ?? "", member: member, context: context, via: query.get("via") ?? "")
        return try HTMLResponse(page.document()).response(from: request, context: context)
    }

    private func newPage(target: String, member: Member, context: AppRequestContext, via: String) async throws -> NewIntroductionPage {
        // Without a target: how to find one (a member's profile shows the paths to them).
        if target.isEmpty { return NewIntroductionPage(chrome: context.chrome(), target: nil, connectors: []) }
        let relationship = try await services.relationships.relationship(with: target, viewer: member)
        return NewIntroductionPage(
            chrome: context.chrome(),
            target: relationship.member,
            connectors: relationship.degree == 2 ? relationship.mutuals : [],
            via: via
        )
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        let (target, via, purpose, blurb, ask) = (
            data.text("target"), data.text("via"), data.text("purpose"), data["blurb"] ?? "", data["ask"] ?? ""
        )
        do {
            let view = try await services.introductions.request(
                target: target,
                via: via,
                purpose: purpose,
                blurb: blurb,
                ask: ask,
                by: member
            )
            return Pages.redirect(IntroductionRoutes.Pages.show.path(view.ask.id))
        } catch let error as DomainError {
            let (errors, status) = Self.formErrors(error)
            var page = try await newPage(target: target, member: member, context: context, via: via)
            (page.purpose, page.blurb, page.ask, page.errors) = (purpose, blurb, ask, errors)
            return try HTMLResponse(page.document(), status: status).response(from: request, context: context)
        }
    }

    @Sendable func setAvailability(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        do {
            _ = try await services.introductions.setAvailability(
                monthlyLimit: data.text("monthly_limit"),
                pausedUntil: data.text("paused_until"),
                for: member
            )
            return Pages.redirect(IntroductionRoutes.Pages.list.path + "?role=connector")
        } catch DomainError.invalid(let errors) {
            let page = try await listPage(role: "connector", member: member, context: context, errors: FieldErrors(errors: errors))
            return try HTMLResponse(page.document(), status: .unprocessableContent).response(from: request, context: context)
        }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        let member = try context.requireMember()
        return HTMLResponse(try await detailPage(id(context), member: member, context: context).document())
    }

    private func detailPage(_ rawID: String, member: Member, context: AppRequestContext) async throws -> IntroductionPage {
        let view = try await services.introductions.introduction(rawID, for: member)
        let broker = try await services.introductions.brokerContext(view, for: member)
        return IntroductionPage(chrome: context.chrome(), view: view, broker: broker)
    }

    /// Acts on the introduction and returns to its page; a refusal is shown beside the field it
    /// names (422) or at the top (409), with what was typed kept.
    private func act(
        _ request: Request,
        context: AppRequestContext,
        then location: ((Member) async throws -> String)? = nil,
        _ action: @escaping (Member, FormData) async throws -> Void
    ) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        let rawID = id(context)
        do {
            try await action(member, data)
            return Pages.redirect(try await location?(member) ?? showPath(context))
        } catch let error as DomainError {
            if case .notFound = error { throw error }
            let (errors, status) = Self.formErrors(error)
            var page = try await detailPage(rawID, member: member, context: context)
            (page.note, page.question, page.errors) = (data["note"] ?? "", data["question"] ?? "", errors)
            return try HTMLResponse(page.document(), status: status).response(from: request, context: context)
        }
    }

    @Sendable func forward(_ request: Request, context: AppRequestContext) async throws -> Response {
        let rawID = id(context)
        return try await act(request, context: context) { member, data in
            _ = try await services.introductions.forward(rawID, note: data["note"], by: member)
        }
    }

    @Sendable func question(_ request: Request, context: AppRequestContext) async throws -> Response {
        let rawID = id(context)
        let asked = OpenedConversation()
        return try await act(request, context: context, then: { _ in await asked.path(or: IntroductionRoutes.Pages.list.path) }) {
            member,
            data in
            await asked.set(try await services.introductions.askForMore(rawID, question: data["question"], by: member))
        }
    }

    @Sendable func pass(_ request: Request, context: AppRequestContext) async throws -> Response {
        let rawID = id(context)
        return try await act(request, context: context) { member, _ in _ = try await services.introductions.pass(rawID, by: member) }
    }

    @Sendable func accept(_ request: Request, context: AppRequestContext) async throws -> Response {
        let rawID = id(context)
        let opened = OpenedConversation()
        return try await act(request, context: context, then: { _ in await opened.path(or: IntroductionRoutes.Pages.list.path) }) {
            member,
            _ in
            await opened.set(try await services.introductions.accept(rawID, by: member).1)
        }
    }

    @Sendable func withdraw(_ request: Request, context: AppRequestContext) async throws -> Response {
        let rawID = id(context)
        return try await act(request, context: context) { member, _ in _ = try await services.introductions.withdraw(rawID, by: member) }
    }

    @Sendable func outcome(_ request: Request, context: AppRequestContext) async throws -> Response {
        let rawID = id(context)
        return try await act(request, context: context) { member, data in
            _ = try await services.introductions.record(data["outcome"], note: data["note"], on: rawID, by: member)
        }
    }

    /// A refusal as form errors, and the status the page answers with.
    static func formErrors(_ error: DomainError) -> (FieldErrors, HTTPResponse.Status) {
        switch error {
        case .invalid(let fields): (FieldErrors(errors: fields), .unprocessableContent)
        case .notFound:
            (
                FieldErrors(errors: [FieldError(field: "target", message: "That member cannot be reached through this path.")]),
                .notFound
            )
        case .conflict(let field, let message): (FieldErrors(errors: [FieldError(field: field ?? "", message: message)]), .conflict)
        case .rateLimited:
            (
                FieldErrors(errors: [
                    FieldError(
                        field: "",
                        message:
                            "You have \(AskCaps.standard(for: .introduction).openPerAsker) introductions waiting already: let one finish (or withdraw it) before asking for another."
                    )
                ]),
                .tooManyRequests
            )
        case .forbidden(let why), .unauthorized(let why): (FieldErrors(errors: [FieldError(field: "", message: why)]), .forbidden)
        }
    }
}
