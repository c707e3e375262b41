import Hummingbird
import KithDomain

/// The weekly networking plan: each route written once, here (see `Endpoint`).
enum PlanRoutes {
    enum API {
        static let plan = Endpoint<NoParameters>(
            .get,
            "/api/v1/me/weekly-plan",
            .caller,
            "This week's plan: the slot, at most seven actionable items and the goal's progress",
            operation: APIOperation("weeklyPlan", .json("Plan", WeeklyPlanDTO.self))
        )
        static let setSlot = Endpoint<NoParameters>(
            .put,
            "/api/v1/me/weekly-plan/slot",
            .caller,
            "Choose the weekly networking slot (it appears in the personal calendar feed as a weekly event)",
            input: PlanAPIController.SlotBody.self,
            operation: APIOperation("setWeeklySlot", .json("Slot", SlotDTO.self), errors: [400, 413, 422])
        )
        static let markItem = Endpoint<NoParameters>(
            .post,
            "/api/v1/me/weekly-plan/items",
            .caller,
            "Mark a plan item done, snooze it a week, or see it less often (four weeks)",
            input: PlanAPIController.ItemBody.self,
            operation: APIOperation("markPlanItem", .empty("Marked"), errors: [400, 413, 422])
        )

        static let all: [AnyEndpoint] = [plan.erased, setSlot.erased, markItem.erased]
    }

    enum Pages {
        static let plan = Endpoint<NoParameters>(.get, "/me/weekly-plan", .caller, "The weekly plan and its slot")
        static let setSlot = Endpoint<NoParameters>(.post, "/me/weekly-plan", .caller, "Choose the weekly slot")
        static let markItem = Endpoint<NoParameters>(.post, "/me/weekly-plan/items", .caller, "Mark a plan item")

        static let all: [AnyEndpoint] = [plan.erased, setSlot.erased, markItem.erased]
    }

    static let all = API.all + Pages.all
}
