import Foundation
import Hummingbird
import KithDomain

/// Connection requests, connections, relationships and suggestions.
struct ConnectionsAPIController {
    let services: Services
    /// A member asking again for suggestions that have not changed gets the same bytes.
    let suggestionAnswers = AnswerMemo<[Suggestion], SuggestionsDTO> { SuggestionsDTO(items: $0.map(SuggestionDTO.init)) }

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.on(NetworkRoutes.API.request, use: request)
        router.on(NetworkRoutes.API.requests, use: requests)
        router.on(NetworkRoutes.API.accept, use: accept)
        router.on(NetworkRoutes.API.ignore, use: ignore)
        router.on(NetworkRoutes.API.withdraw, use: withdraw)
        router.on(NetworkRoutes.API.connections, use: connections)
        router.on(NetworkRoutes.API.disconnect, use: disconnect)
        router.on(NetworkRoutes.API.relationship, use: relationship)
        router.on(NetworkRoutes.API.suggestions, use: suggestions)
    }

    struct ConnectRequest: APIInput {
        var to: String
        var note: String?
    }

    @Sendable func request(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<RequestDTO> {
        let member = try context.requireMember()
        let input = try await JSONBody.decode(ConnectRequest.self, from: request, context: context)
        let view = try await services.connections.request(to: input.to, note: input.note, from: member)
        return EditedResponse(status: .created, response: RequestDTO(view))
    }

    @Sendable func requests(_ request: Request, context: AppRequestContext) async throws -> ListDTO<RequestDTO> {
        let member = try context.requireMember()
        let query = request.uri.queryParameters
        let page = try await services.connections.requests(
            box: query.get("box"),
            of: member,
            after: query.get("after"),
            limit: query.get("limit")
        )
        return ListDTO(items: page.items.map(RequestDTO.init), next: page.next)
    }

    @Sendable func accept(_ request: Request, context: AppRequestContext) async throws -> RequestDTO {
        let member = try context.requireMember()
        return RequestDTO(try await services.connections.accept(context.parameters.get("id") ?? "", by: member))
    }

    @Sendable func ignore(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let member = try context.requireMember()
        try await services.connections.ignore(context.parameters.get("id") ?? "", by: member)
        return .noContent
    }

    @Sendable func withdraw(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let member = try context.requireMember()
        try await services.connections.withdraw(context.parameters.get("id") ?? "", by: member)
        return .noContent
    }

    @Sendable func connections(_ request: Request, context: AppRequestContext) async throws -> ListDTO<MemberSummaryDTO> {
        let member = try context.requireMember()
        let query = request.uri.queryParameters
        let page = try await services.connections.connections(
            of: query.get("member"),
            viewer: member,
            after: query.get("after"),
            limit: query.get("limit")
        )
        return ListDTO(items: page.items.map(MemberSummaryDTO.init), next: page.next)
    }

    @Sendable func disconnect(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let member = try context.requireMember()
        try await services.connections.disconnect(from: context.parameters.get("handle") ?? "", by: member)
        return .noContent
    }

    @Sendable func relationship(_ request: Request, context: AppRequestContext) async throws -> RelationshipDTO {
        let member = try context.requireMember()
        return RelationshipDTO(try await services.relationships.relationship(with: context.parameters.get("handle") ?? "", viewer: member))
    }

    @Sendable func suggestions(_ request: Request, context: AppRequestContext) async throws -> EncodedAnswer<SuggestionsDTO> {
        let member = try context.requireMember()
        let items = try await services.suggestions.suggestions(for: member, limit: request.uri.queryParameters.get("limit"))
        return try suggestionAnswers.answer(items, for: member.id)
    }
}

struct RequestDTO: APIOutput, NamedSchema {
    static var schemaName: String { "ConnectionRequest" }

    var id: String
    var from: String
    var to: String
    var note: String
    var status: RequestStatus
    var createdAt: Date

    init(_ view: RequestView) {
        id = view.id.description
        from = view.from.handle.rawValue
        to = view.to.handle.rawValue
        note = view.note
        status = view.status
        createdAt = view.createdAt
    }
}

struct RelationshipDTO: APIOutput, NamedSchema {
    static var schemaName: String { "Relationship" }

    @Nullable var degree: Int?
    var mutualCount: Int
    var mutuals: [MemberSummaryDTO]
    var paths: [[String]]

    init(_ relationship: Relationship) {
        degree = relationship.degree
        mutualCount = relationship.mutualCount
        mutuals = relationship.mutuals.map(MemberSummaryDTO.init)
        paths = relationship.paths.map { $0.map(\.handle.rawValue) }
    }

}

struct SuggestionDTO: Codable {
    var member: MemberSummaryDTO
    var score: Double
    var reasons: [String]

    init(_ suggestion: Suggestion) {
        member = MemberSummaryDTO(suggestion.member)
        score = (suggestion.score * 1000).rounded() / 1000
        reasons = suggestion.reasons
    }
}

struct SuggestionsDTO: APIOutput, NamedSchema {
    static var schemaName: String { "Suggestions" }

    var items: [SuggestionDTO]
}

extension RelationshipDTO: FieldRules {
    static let rules: [String: FieldRule] = [
        "degree": .range(1...3), "mutuals": .maxItems(RelationshipService.mutualsShown), "paths": .maxItems(RelationshipService.pathsShown),
    ]
}

extension ConnectionsAPIController.ConnectRequest: FieldRules {
    static let rules: [String: FieldRule] = ["to": .handle, "note": .maxLength(300)]
}
