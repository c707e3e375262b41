import Foundation
import Hummingbird
import KithDomain

/// The weekly plan over JSON.
struct PlanAPIController {
    let services: Services

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.on(PlanRoutes.API.plan, use: plan)
        router.on(PlanRoutes.API.setSlot, use: setSlot)
        router.on(PlanRoutes.API.markItem, use: markItem)
    }

    struct SlotBody: APIInput {
        var weekday: Int?
        var time: String?
        var timezone: String?
        var minutes: Int?
    }

    struct ItemBody: APIInput {
        var key: String?
        var action: String?
    }

    @Sendable func plan(_ request: Request, context: AppRequestContext) async throws -> WeeklyPlanDTO {
        WeeklyPlanDTO(try await services.plans.plan(for: try context.requireMember()))
    }

    @Sendable func setSlot(_ request: Request, context: AppRequestContext) async throws -> SlotDTO {
        let member = try context.requireMember()
        let body = try await JSONBody.decode(SlotBody.self, from: request, context: context)
        return SlotDTO(
            try await services.plans.setSlot(
                weekday: body.weekday,
                time: body.time,
                timeZone: body.timezone,
                minutes: body.minutes,
                of: member
            )
        )
    }

    @Sendable func markItem(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let member = try context.requireMember()
        let body = try await JSONBody.decode(ItemBody.self, from: request, context: context)
        try await services.plans.mark(body.key ?? "", action: body.action, for: member)
        return .noContent
    }
}

extension PlanAPIController.SlotBody: FieldRules {
    static let rules: [String: FieldRule] = [
        "weekday": .range(1...7), "time": .pattern("^([01][0-9]|2[0-3]):[0-5][0-9]$"), "timezone": .timeZone,
        "minutes": .range(WeeklySlot.lengths),
    ]
    static let required: Set<String> = ["weekday", "time", "timezone", "minutes"]
}

extension PlanAPIController.ItemBody: FieldRules {
    static let rules: [String: FieldRule] = [
        "key": FieldRule(keywords: ["minLength": 1, "maxLength": 200]), "action": .oneOf(PlanAction.self),
    ]
    static let required: Set<String> = ["key", "action"]
}

/// What a member can do with a plan item (the API's `action`).
enum PlanAction: String, CaseIterable {
    case done
    case snooze
    case lessOften = "less_often"
}

struct SlotDTO: APIOutput {
    var weekday: Int
    var time: String
    var timezone: String
    var minutes: Int

    init(_ slot: WeeklySlot) {
        weekday = slot.weekday
        time = slot.time
        timezone = slot.timeZone
        minutes = slot.minutes
    }
}

struct PlanItemDTO: Codable, Sendable {
    var key: String
    var kind: PlanItemKind
    var text: String
    var url: String
    var starter: String?

    init(_ item: PlanItem) {
        key = item.key
        kind = item.kind
        text = item.text
        url = item.link
        starter = item.starter
    }
}

struct GoalDTO: Codable, Sendable {
    var conversations: Int
    var period: String
    var done: Int
    var text: String
}

struct WeeklyPlanDTO: APIOutput {
    var weekOf: Date
    var slot: SlotDTO
    var items: [PlanItemDTO]
    var goal: GoalDTO

    init(_ plan: WeeklyPlan) {
        weekOf = plan.weekOf
        slot = SlotDTO(plan.slot)
        items = plan.items.map(PlanItemDTO.init)
        goal = GoalDTO(
            conversations: plan.goal.goal.conversations,
            period: plan.goal.goal.period.rawValue,
            done: plan.goal.done,
            text: plan.goal.text
        )
    }
}
