import Foundation
import Hummingbird
import KithDomain

/// Introductions over JSON.
struct IntroductionsAPIController {
    let services: Services

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.on(IntroductionRoutes.API.create, use: create)
        router.on(IntroductionRoutes.API.list, use: list)
        router.on(IntroductionRoutes.API.show, use: show)
        router.on(IntroductionRoutes.API.forward, use: forward)
        router.on(IntroductionRoutes.API.question, use: question)
        router.on(IntroductionRoutes.API.pass, use: pass)
        router.on(IntroductionRoutes.API.accept, use: accept)
        router.on(IntroductionRoutes.API.withdraw, use: withdraw)
        router.on(IntroductionRoutes.API.outcome, use: outcome)
        router.on(IntroductionRoutes.API.availability, use: availability)
        router.on(IntroductionRoutes.API.setAvailability, use: setAvailability)
    }

    // Optional so the domain names each missing field in its own words.
    struct CreateBody: APIInput {
        var target: String?
        var via: String?
        var purpose: String?
        var blurb: String?
        var ask: String?
    }

    struct ForwardBody: APIInput {
        var note: String?
    }

    struct QuestionBody: APIInput {
        var question: String?
    }

    struct OutcomeBody: APIInput {
        var outcome: String?
        var note: String?
    }

    struct AvailabilityBody: APIInput {
        var monthlyLimit: Int?
        var pausedUntil: String?
    }

    private func id(_ context: AppRequestContext) -> String { context.parameters.get("id") ?? "" }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<IntroductionDTO> {
        let member = try context.requireMember()
        let body = try await JSONBody.decode(CreateBody.self, from: request, context: context)
        let view = try await services.introductions.request(
            target: body.target,
            via: body.via,
            purpose: body.purpose,
            blurb: body.blurb,
            ask: body.ask,
            by: member
        )
        return EditedResponse(status: .created, response: IntroductionDTO(view, for: member.id))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> ListDTO<IntroductionDTO> {
        let member = try context.requireMember()
        let raw = request.uri.queryParameters.get("role") ?? IntroductionRole.asker.rawValue
        guard let role = IntroductionRole(rawValue: raw) else {
            throw DomainError.invalid(field: "role", reason: "must be one of: asker, connector, target")
        }
        let views = try await services.introductions.list(role: role, of: member)
        return ListDTO(items: views.map { IntroductionDTO($0, for: member.id) }, next: nil)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> IntroductionDTO {
        let member = try context.requireMember()
        return IntroductionDTO(try await services.introductions.introduction(id(context), for: member), for: member.id)
    }

    @Sendable func forward(_ request: Request, context: AppRequestContext) async throws -> IntroductionDTO {
        let member = try context.requireMember()
        let body = try await JSONBody.decode(ForwardBody.self, from: request, context: context)
        return IntroductionDTO(try await services.introductions.forward(id(context), note: body.note, by: member), for: member.id)
    }

    @Sendable func question(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<QuestionAskedDTO> {
        let member = try context.requireMember()
        let body = try await JSONBody.decode(QuestionBody.self, from: request, context: context)
        let conversation = try await services.introductions.askForMore(id(context), question: body.question, by: member)
        return EditedResponse(status: .created, response: QuestionAskedDTO(conversationId: conversation.description))
    }

    @Sendable func pass(_ request: Request, context: AppRequestContext) async throws -> IntroductionDTO {
        let member = try context.requireMember()
        return IntroductionDTO(try await services.introductions.pass(id(context), by: member), for: member.id)
    }

    @Sendable func accept(_ request: Request, context: AppRequestContext) async throws -> IntroductionDTO {
        let member = try context.requireMember()
        return IntroductionDTO(try await services.introductions.accept(id(context), by: member).0, for: member.id)
    }

    @Sendable func withdraw(_ request: Request, context: AppRequestContext) async throws -> IntroductionDTO {
        let member = try context.requireMember()
        return IntroductionDTO(try await services.introductions.withdraw(id(context), by: member), for: member.id)
    }

    @Sendable func outcome(_ request: Request, context: AppRequestContext) async throws -> IntroductionDTO {
        let member = try context.requireMember()
        let body = try await JSONBody.decode(OutcomeBody.self, from: request, context: context)
        let view = try await services.introductions.record(body.outcome, note: body.note, on: id(context), by: member)
        return IntroductionDTO(view, for: member.id)
    }

    @Sendable func availability(_ request: Request, context: AppRequestContext) async throws -> AvailabilityDTO {
        AvailabilityDTO(try await services.introductions.availability(of: try context.requireMember()))
    }

    @Sendable func setAvailability(_ request: Request, context: AppRequestContext) async throws -> AvailabilityDTO {
        let member = try context.requireMember()
        let body = try await JSONBody.decode(AvailabilityBody.self, from: request, context: context)
        let set = try await services.introductions.setAvailability(
            monthlyLimit: body.monthlyLimit.map(String.init),
            pausedUntil: body.pausedUntil,
            for: member
        )
        return AvailabilityDTO(set)
    }
}

extension IntroductionsAPIController.CreateBody: FieldRules {
    static let rules: [String: FieldRule] = [
        "target": .handle, "via": .handle, "purpose": .oneOf(IntroductionPurpose.self),
        "blurb": .text(max: IntroductionService.blurbLimit), "ask": .text(max: IntroductionService.askLimit),
    ]
    static let required: Set<String> = ["target", "via", "purpose", "blurb", "ask"]
}

extension IntroductionsAPIController.ForwardBody: FieldRules {
    static let rules: [String: FieldRule] = ["note": .maxLength(IntroductionService.noteLimit)]
}

extension IntroductionsAPIController.QuestionBody: FieldRules {
    static let rules: [String: FieldRule] = ["question": .text(max: ChatMessage.maxLength)]
    static let required: Set<String> = ["question"]
}

extension IntroductionsAPIController.OutcomeBody: FieldRules {
    static let rules: [String: FieldRule] = ["outcome": .oneOf(AskOutcome.self), "note": .maxLength(IntroductionService.noteLimit)]
    static let required: Set<String> = ["outcome"]
}

extension IntroductionsAPIController.AvailabilityBody: FieldRules {
    static let rules: [String: FieldRule] = ["monthly_limit": .range(1...100), "paused_until": .dateTime]
}

/// Where an introduction stands, as the viewer may know it. The asker reads `requested` until it
/// is answered, then `introduced` or `closed` — the same whoever passed, or if nobody answered.
enum IntroductionStatus: String, CaseIterable, Codable, Sendable, WireEnumeration {
    case requested
    case forwarded
    case waitingForYou = "waiting_for_you"
    case introduced
    case closed
    case withdrawn

    init(_ status: AskStatus) {
        switch status {
        case .requested: self = .requested
        case .forwarded: self = .forwarded
        case .waitingForYou: self = .waitingForYou
        case .accepted: self = .introduced
        case .closed: self = .closed
        case .withdrawn: self = .withdrawn
        }
    }
}

extension IntroductionPurpose: WireEnumeration {}
extension AskOutcome: WireEnumeration {}
extension IntroductionRole: WireEnumeration {}

struct IntroductionNoteDTO: Codable, Sendable {
    var author: PersonRefDTO
    var text: String
    var writtenAt: Date
}

struct IntroductionDTO: APIOutput, NamedSchema {
    static var schemaName: String { "Introduction" }

    var id: String
    var status: IntroductionStatus
    var purpose: IntroductionPurpose
    var asker: PersonRefDTO
    var via: PersonRefDTO
    var target: PersonRefDTO
    var blurb: String
    var ask: String
    /// Notes added on the way (the connector's note for the target); the asker reads them once introduced.
    var notes: [IntroductionNoteDTO]
    var createdAt: Date
    /// When the caller's part lapses (the asker: the latest it can be answered); null once closed.
    @Nullable var expiresAt: Date?
    /// The conversation of three, once introduced.
    @Nullable var conversationId: String?
    @Nullable var outcome: AskOutcome?

    init(_ view: IntroductionView, for viewer: Member.ID) {
        func person(_ member: Member) -> PersonRefDTO { PersonRefDTO(handle: member.handle.rawValue, name: member.name) }
        let people = [view.asker, view.connector, view.target]
        id = view.ask.id.description
        status = IntroductionStatus(view.status)
        purpose = IntroductionPurpose(rawValue: view.ask.purpose) ?? .other
        asker = person(view.asker)
        via = person(view.connector)
        target = person(view.target)
        blurb = view.ask.blurb
        ask = view.ask.request
        notes = view.notes(for: viewer).compactMap { note in
            people.first { $0.id == note.author }.map { IntroductionNoteDTO(author: person($0), text: note.text, writtenAt: note.at) }
        }
        createdAt = view.ask.createdAt
        expiresAt = view.answerBy(for: viewer)
        conversationId = view.conversation?.description
        outcome = viewer == view.asker.id ? view.ask.outcome : nil
    }
}

struct QuestionAskedDTO: APIOutput {
    /// The conversation between the connector and the asker the question was written in.
    var conversationId: String
}

struct AvailabilityDTO: APIOutput {
    @Nullable var monthlyLimit: Int?
    @Nullable var pausedUntil: Date?

    init(_ availability: AskAvailability) {
        monthlyLimit = availability.monthlyLimit
        pausedUntil = availability.pausedUntil
    }
}
