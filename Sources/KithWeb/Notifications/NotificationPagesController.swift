import Foundation
import Hummingbird
import KithDomain

/// The notification centre, choices and unsubscribe as pages.
struct NotificationPagesController {
    let services: Services

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.on(NotificationRoutes.Pages.centre, use: centre)
        router.on(NotificationRoutes.Pages.markAllRead, use: markAllRead)
        router.on(NotificationRoutes.Pages.markRead, use: markRead)
        router.on(NotificationRoutes.Pages.settings, use: settings)
        router.on(NotificationRoutes.Pages.saveSettings, use: saveSettings)
        router.on(NotificationRoutes.Pages.unsubscribeForm, use: unsubscribeForm)
        router.on(NotificationRoutes.Pages.unsubscribe, use: unsubscribe)
    }

    @Sendable func centre(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        let member = try context.requireMember()
        let unreadOnly = request.uri.queryParameters.get("unread") == "true"
        let items = try await services.notifications.notifications(of: member, unreadOnly: unreadOnly)
        return HTMLResponse(NotificationsPage(chrome: context.chrome(), notifications: items, unreadOnly: unreadOnly).document())
    }

    /// Reading changes state only through a form: a GET (a prefetch, a link preview, an image
    /// tag on another site) must not mark anything read.
    @Sendable func markAllRead(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        _ = try await VerifiedForm.read(request, context: context)
        try await services.notifications.markAllRead(of: member)
        return Pages.redirect(NotificationRoutes.Pages.centre.path)
    }

    @Sendable func markRead(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        _ = try await VerifiedForm.read(request, context: context)
        try await services.notifications.markRead(context.parameters.get("id") ?? "", of: member)
        return Pages.redirect(NotificationRoutes.Pages.centre.path)
    }

    @Sendable func settings(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        let member = try context.requireMember()
        return HTMLResponse(
            NotificationSettingsPage(chrome: context.chrome(), settings: try await services.notifications.settings(of: member)).document()
        )
    }

    @Sendable func saveSettings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        // Every kind is on the form: an unticked box is "off" (browsers send nothing for it).
        var changes: [String: (email: String?, inApp: Bool?)] = [:]
        for kind in NotificationKind.allCases {
            changes[kind.rawValue] = (
                email: kind.emailIsFixed ? nil : data["\(kind.rawValue).email"], inApp: data["\(kind.rawValue).in_app"] != nil
            )
        }
        do {
            let saved = try await services.notifications.update(changes, of: member)
            return try HTMLResponse(NotificationSettingsPage(chrome: context.chrome(), settings: saved, saved: true).document())
                .response(from: request, context: context)
        } catch DomainError.invalid(let errors) {
            let current = try await services.notifications.settings(of: member)
            return try HTMLResponse(
                NotificationSettingsPage(chrome: context.chrome(), settings: current, errors: FieldErrors(errors: errors)).document(),
                status: .unprocessableContent
            ).response(from: request, context: context)
        }
    }

    @Sendable func unsubscribeForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        do {
            let claim = try await services.notifications.unsubscribeClaim(token)
            return Pages.render({ UnsubscribePage(chrome: $0, token: token, kind: claim.kind).html() }, context: context, request: request)
        } catch DomainError.invalid(let errors) {
            return Pages.render(
                {
                    UnsubscribePage(chrome: $0, token: token, kind: nil, problem: errors.first?.message).html(status: .unprocessableContent)
                },
                context: context,
                request: request
            )
        }
    }

    /// RFC 8058: the mail program POSTs `List-Unsubscribe=One-Click` with no cookie and no CSRF
    /// token — the signed, single-use link is the credential, and all it can do is stop one kind
    /// of email for one member.
    @Sendable func unsubscribe(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        _ = try await request.body.collect(upTo: 4_096)
        do {
            let kind = try await services.notifications.unsubscribe(token)
            return Pages.render(
                { UnsubscribePage(chrome: $0, token: token, kind: kind, done: true).html() },
                context: context,
                request: request
            )
        } catch let error as DomainError {
            let status: HTTPResponse.Status
            let message: String
            switch error {
            case .invalid(let errors):
                status = .unprocessableContent
                message = errors.first.map { "The link \($0.message)." } ?? "The link is not valid."
            case .conflict(_, let text):
                status = .conflict
                message = text
            default: throw error
            }
            return Pages.render(
                { UnsubscribePage(chrome: $0, token: token, kind: nil, problem: message).html(status: status) },
                context: context,
                request: request
            )
        }
    }
}

extension UnsubscribePage {
    func html(status: HTTPResponse.Status = .ok) -> HTMLResponse { HTMLResponse(document(), status: status) }
}
