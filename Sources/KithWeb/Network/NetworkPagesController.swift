import Foundation
import Hummingbird
import KithDomain

/// My network, requests and suggestions, as pages.
struct NetworkPagesController {
    let services: Services

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.on(NetworkRoutes.Pages.network, use: network)
        router.on(NetworkRoutes.Pages.suggestions, use: suggestions)
        router.on(NetworkRoutes.Pages.request, use: request)
        router.on(NetworkRoutes.Pages.accept, use: accept)
        router.on(NetworkRoutes.Pages.ignore, use: ignore)
        router.on(NetworkRoutes.Pages.withdraw, use: withdraw)
        router.on(NetworkRoutes.Pages.remove, use: remove)
    }

    @Sendable func network(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        let member = try context.requireMember()
        let incoming = try await services.connections.requests(box: "incoming", of: member, after: nil, limit: "50")
        let outgoing = try await services.connections.requests(box: "outgoing", of: member, after: nil, limit: "50")
        let connections = try await services.connections.connections(
            of: nil,
            viewer: member,
            after: request.uri.queryParameters.get("after"),
            limit: "50"
        )
        let size = try await services.relationships.networkSize(of: member)
        return HTMLResponse(
            NetworkPage(
                chrome: context.chrome(),
                firstDegree: size.first,
                secondDegree: size.second,
                incoming: incoming.items,
                outgoing: outgoing.items,
                connections: connections
            ).document()
        )
    }

    @Sendable func suggestions(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        let member = try context.requireMember()
        let items = try await services.suggestions.suggestions(for: member, limit: "20")
        return HTMLResponse(SuggestionsPage(chrome: context.chrome(), suggestions: items).document())
    }

    @Sendable func request(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        let handle = data.text("to")
        _ = try await services.connections.request(to: handle, note: data["note"], from: member)
        return Pages.redirect((try? Handle(handle)).map { ProfileRoutes.Pages.show.path($0) } ?? NetworkRoutes.Pages.network.path)
    }

    @Sendable func accept(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        _ = try await VerifiedForm.read(request, context: context)
        _ = try await services.connections.accept(context.parameters.get("id") ?? "", by: member)
        return Pages.redirect(NetworkRoutes.Pages.network.path + "#incoming")
    }

    @Sendable func ignore(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        _ = try await VerifiedForm.read(request, context: context)
        try await services.connections.ignore(context.parameters.get("id") ?? "", by: member)
        return Pages.redirect(NetworkRoutes.Pages.network.path + "#incoming")
    }

    @Sendable func withdraw(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        _ = try await VerifiedForm.read(request, context: context)
        try await services.connections.withdraw(context.parameters.get("id") ?? "", by: member)
        return Pages.redirect(NetworkRoutes.Pages.network.path + "#outgoing")
    }

    @Sendable func remove(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        _ = try await VerifiedForm.read(request, context: context)
        try await services.connections.disconnect(from: context.parameters.get("handle") ?? "", by: member)
        return Pages.redirect(NetworkRoutes.Pages.network.path + "#connections")
    }
}
