import Foundation
import Hummingbird
import KithDomain

/// The looking signal over JSON.
struct LookingAPIController {
    let services: Services

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.on(LookingRoutes.API.show, use: show)
        router.on(LookingRoutes.API.set, use: set)
        router.on(LookingRoutes.API.circle, use: circle)
    }

    struct LookingBody: APIInput {
        var active: Bool?
        var roles: [String]?
        var locations: [String]?
        var circle: [String]?
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> LookingDTO {
        let own = try await services.looking.own(try context.requireMember())
        return LookingDTO(own.signal, circle: own.circle)
    }

    @Sendable func set(_ request: Request, context: AppRequestContext) async throws -> LookingDTO {
        let member = try context.requireMember()
        let body = try await JSONBody.decode(LookingBody.self, from: request, context: context)
        let saved = try await services.looking.set(
            active: body.active,
            roles: body.roles,
            locations: body.locations,
            circle: body.circle,
            by: member
        )
        return LookingDTO(saved.signal, circle: saved.circle)
    }

    @Sendable func circle(_ request: Request, context: AppRequestContext) async throws -> ListDTO<SupportedSignalDTO> {
        let supported = try await services.looking.supporting(try context.requireMember())
        return ListDTO(items: supported.map(SupportedSignalDTO.init), next: nil)
    }
}

extension LookingAPIController.LookingBody: FieldRules {
    static let rules: [String: FieldRule] = [
        "roles": .maxItems(LookingSignal.listLimit), "locations": .maxItems(LookingSignal.listLimit),
        "circle": .maxItems(LookingSignal.circleLimit),
    ]
    static let required: Set<String> = ["active"]
}

struct LookingDTO: APIOutput {
    var active: Bool
    var roles: [String]
    var locations: [String]
    var circle: [PersonRefDTO]
    var updatedAt: Date

    init(_ signal: LookingSignal, circle: [Member]) {
        active = signal.active
        roles = signal.roles
        locations = signal.locations
        self.circle = circle.map { PersonRefDTO(handle: $0.handle.rawValue, name: $0.name) }
        updatedAt = signal.updatedAt
    }
}

struct SupportedSignalDTO: Codable, Sendable {
    var member: PersonRefDTO
    var roles: [String]
    var locations: [String]
    var updatedAt: Date

    init(_ supported: SupportedSignal) {
        member = PersonRefDTO(handle: supported.member.handle.rawValue, name: supported.member.name)
        roles = supported.signal.roles
        locations = supported.signal.locations
        updatedAt = supported.signal.updatedAt
    }
}
