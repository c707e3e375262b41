import Foundation
import Hummingbird
import KithDomain

/// Help asks over JSON.
struct AsksAPIController {
    let services: Services

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.on(AskRoutes.API.create, use: create)
        router.on(AskRoutes.API.list, use: list)
        router.on(AskRoutes.API.show, use: show)
        router.on(AskRoutes.API.offer, use: offer)
        router.on(AskRoutes.API.acceptOffer, use: acceptOffer)
        router.on(AskRoutes.API.decline, use: decline)
        router.on(AskRoutes.API.resolve, use: resolve)
        router.on(AskRoutes.API.withdraw, use: withdraw)
    }

    // Optional so the domain names each missing field in its own words.
    struct CreateBody: APIInput {
        var kind: String?
        var title: String?
        var body: String?
        var audience: String?
        var group: String?
        var skills: [String]?
        var organization: String?
    }

    struct OfferBody: APIInput {
        var note: String?
    }

    struct ResolveBody: APIInput {
        var helpedBy: [String]?
        var note: String?
    }

    private func id(_ context: AppRequestContext) -> String { context.parameters.get("id") ?? "" }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<HelpAskDTO> {
        let member = try context.requireMember()
        let body = try await JSONBody.decode(CreateBody.self, from: request, context: context)
        let view = try await services.asks.create(
            kind: body.kind,
            title: body.title,
            body: body.body,
            audience: body.audience,
            group: body.group,
            skills: body.skills,
            organization: body.organization,
            by: member
        )
        return EditedResponse(status: .created, response: HelpAskDTO(view))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> ListDTO<HelpAskDTO> {
        let member = try context.requireMember()
        let query = request.uri.queryParameters
        let mine = query.get("mine")
        if let mine, mine != "true", mine != "false" { throw DomainError.invalid(field: "mine", reason: "must be true or false") }
        if let target = query.get("for"), target != "me" { throw DomainError.invalid(field: "for", reason: "must be me") }
        let views = mine == "true" ? try await services.asks.mine(member) : try await services.asks.forMe(member)
        return ListDTO(items: views.map(HelpAskDTO.init), next: nil)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> HelpAskDTO {
        HelpAskDTO(try await services.asks.ask(id(context), for: try context.requireMember()))
    }

    @Sendable func offer(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<HelpAskDTO> {
        let member = try context.requireMember()
        let body = try await JSONBody.decode(OfferBody.self, from: request, context: context)
        return EditedResponse(
            status: .created,
            response: HelpAskDTO(try await services.asks.offer(id(context), note: body.note, by: member))
        )
    }

    @Sendable func acceptOffer(_ request: Request, context: AppRequestContext) async throws -> OfferAcceptedDTO {
        let member = try context.requireMember()
        let (view, conversation) = try await services.asks.acceptOffer(
            context.parameters.get("offer") ?? "",
            on: id(context),
            by: member
        )
        return OfferAcceptedDTO(ask: HelpAskDTO(view), conversationId: conversation.description)
    }

    @Sendable func decline(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        try await services.asks.decline(id(context), by: try context.requireMember())
        return .noContent
    }

    @Sendable func resolve(_ request: Request, context: AppRequestContext) async throws -> HelpAskDTO {
        let member = try context.requireMember()
        let body = try await JSONBody.decode(ResolveBody.self, from: request, context: context)
        return HelpAskDTO(try await services.asks.resolve(id(context), helpedBy: body.helpedBy, note: body.note, by: member))
    }

    @Sendable func withdraw(_ request: Request, context: AppRequestContext) async throws -> HelpAskDTO {
        HelpAskDTO(try await services.asks.withdraw(id(context), by: try context.requireMember()))
    }
}

extension AsksAPIController.CreateBody: FieldRules {
    static let rules: [String: FieldRule] = [
        "kind": .oneOf(HelpAskKind.self), "title": .text(max: HelpAskService.titleLimit), "body": .text(max: HelpAskService.bodyLimit),
        "audience": .oneOf(AskAudience.self), "skills": .maxItems(HelpAskService.skillsLimit), "organization": .maxLength(100),
    ]
    static let required: Set<String> = ["kind", "title", "body", "audience"]
}

extension AsksAPIController.OfferBody: FieldRules {
    static let rules: [String: FieldRule] = ["note": .text(max: HelpAskService.noteLimit)]
    static let required: Set<String> = ["note"]
}

extension AsksAPIController.ResolveBody: FieldRules {
    static let rules: [String: FieldRule] = ["note": .maxLength(HelpAskService.noteLimit)]
}

extension HelpAskKind: WireEnumeration {}
extension AskAudience: WireEnumeration {}

/// Where a help ask stands for the caller.
enum HelpAskStatus: String, CaseIterable, Codable, Sendable, WireEnumeration {
    /// The asker's, while open.
    case open
    /// Reached the caller, still open.
    case waitingForYou = "waiting_for_you"
    case resolved
    case closed
    case withdrawn

    init(_ status: AskStatus) {
        switch status {
        case .requested, .forwarded: self = .open
        case .waitingForYou: self = .waitingForYou
        case .accepted: self = .resolved
        case .closed: self = .closed
        case .withdrawn: self = .withdrawn
        }
    }
}

struct OfferDTO: Codable, Sendable {
    var id: String
    var helper: PersonRefDTO
    var note: String
    var createdAt: Date
    var accepted: Bool
}

struct HelpAskDTO: APIOutput, NamedSchema {
    static var schemaName: String { "Ask" }

    var id: String
    var kind: HelpAskKind
    var status: HelpAskStatus
    var title: String
    var body: String
    var asker: PersonRefDTO
    @Nullable var audience: AskAudience?
    var skills: [String]
    var organization: String
    /// For a member the ask reached: why they were chosen.
    @Nullable var why: String?
    /// The asker sees every offer; a helper, their own.
    var offers: [OfferDTO]
    /// For the asker: how many members it was sent to (never who).
    @Nullable var sentTo: Int?
    /// For the asker, once resolved: who helped.
    var helpedBy: [String]
    var createdAt: Date
    @Nullable var expiresAt: Date?

    init(_ view: HelpAskView) {
        id = view.ask.id.description
        kind = view.kind
        status = HelpAskStatus(view.status)
        title = view.ask.request
        body = view.ask.blurb
        asker = PersonRefDTO(handle: view.asker.handle.rawValue, name: view.asker.name)
        audience = view.ask.topic.audience
        skills = view.ask.topic.skills
        organization = view.ask.topic.organization
        why = view.reason
        offers = view.offers.map {
            OfferDTO(
                id: $0.offer.id.description,
                helper: PersonRefDTO(handle: $0.helper.handle.rawValue, name: $0.helper.name),
                note: $0.offer.note,
                createdAt: $0.offer.createdAt,
                accepted: $0.offer.acceptedAt != nil
            )
        }
        sentTo = view.sentTo
        let helpers = Set(view.ask.helpers)
        helpedBy = view.sentTo == nil ? [] : view.offers.filter { helpers.contains($0.helper.id) }.map(\.helper.handle.rawValue)
        createdAt = view.ask.createdAt
        expiresAt = view.ask.isOpen ? view.ask.deadline : nil
    }
}

struct OfferAcceptedDTO: APIOutput {
    var ask: HelpAskDTO
    /// The conversation between the asker and the helper.
    var conversationId: String
}
