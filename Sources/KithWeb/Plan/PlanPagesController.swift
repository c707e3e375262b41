import Foundation
import Hummingbird
import KithDomain

/// The weekly plan as pages.
struct PlanPagesController {
    let services: Services

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.on(PlanRoutes.Pages.plan, use: plan)
        router.on(PlanRoutes.Pages.setSlot, use: setSlot)
        router.on(PlanRoutes.Pages.markItem, use: markItem)
    }

    @Sendable func plan(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        let member = try context.requireMember()
        return HTMLResponse(WeeklyPlanPage(chrome: context.chrome(), plan: try await services.plans.plan(for: member)).document())
    }

    @Sendable func setSlot(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        let values = Dictionary(uniqueKeysWithValues: ["weekday", "time", "timezone", "minutes"].map { ($0, data.text($0)) })
        do {
            _ = try await services.plans.setSlot(
                weekday: Int(values["weekday"] ?? ""),
                time: values["time"],
                timeZone: values["timezone"],
                minutes: Int(values["minutes"] ?? ""),
                of: member
            )
            let page = WeeklyPlanPage(chrome: context.chrome(), plan: try await services.plans.plan(for: member), saved: true)
            return try HTMLResponse(page.document()).response(from: request, context: context)
        } catch DomainError.invalid(let errors) {
            let page = WeeklyPlanPage(
                chrome: context.chrome(),
                plan: try await services.plans.plan(for: member),
                values: values,
                errors: FieldErrors(errors: errors)
            )
            return try HTMLResponse(page.document(), status: .unprocessableContent).response(from: request, context: context)
        }
    }

    @Sendable func markItem(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        try await services.plans.mark(data.text("key"), action: data["action"], for: member)
        // Back where the button was: the home page or the plan page, nowhere else.
        let next = data.text("next")
        return Pages.redirect(next == PlanRoutes.Pages.plan.path ? next : ProfileRoutes.Pages.home.path)
    }
}
