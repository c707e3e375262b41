import Foundation
import KithDomain
import Plot

/// The plan's items, each with one-tap done / not now / less often (forms: no script needed).
enum PlanViews {
    static func items(_ plan: WeeklyPlan, csrf: String, returnTo: String) -> Node<HTML.BodyContext> {
        let actionable = plan.items.filter { $0.kind != .goal }
        return .group(
            actionable.isEmpty
                ? .p(.class("empty"), .text("Nothing waits for you this week. A good week to say hello to someone new."))
                : .ol(
                    .class("plan"),
                    .forEach(actionable) { item in
                        .li(
                            .class("plan-item"),
                            .a(.href(item.link), .strong(.text(item.text))),
                            .unwrap(item.starter) { .p(.class("starter"), .strong("Try: "), .text(item.starter ?? $0)) },
                            .div(
                                .class("actions"),
                                button(item, "done", "Done", csrf: csrf, returnTo: returnTo, primary: true),
                                button(item, "snooze", "Not now", csrf: csrf, returnTo: returnTo),
                                button(item, "less_often", "Less often", csrf: csrf, returnTo: returnTo)
                            )
                        )
                    }
                ),
            .p(.class("goal"), .text(plan.goal.text))
        )
    }

    private static func button(
        _ item: PlanItem,
        _ action: String,
        _ label: String,
        csrf: String,
        returnTo: String,
        primary: Bool = false
    )
        -> Node<HTML.BodyContext>
    {
        Controls.postButton(
            PlanRoutes.Pages.markItem.path,
            label: label,
            csrf: csrf,
            primary: primary,
            hidden: [("key", item.key), ("action", action), ("next", returnTo)]
        )
    }

    static let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    static func slotText(_ slot: WeeklySlot) -> String {
        "\(weekdays[slot.weekday - 1]) at \(slot.time) (\(slot.timeZone)), \(slot.minutes) minutes"
    }
}

/// The weekly plan and the slot's form.
struct WeeklyPlanPage {
    let chrome: PageChrome
    let plan: WeeklyPlan
    var values: [String: String] = [:]
    var errors = FieldErrors()
    var saved = false

    func document() -> HTML {
        let slot = plan.slot
        func value(_ name: String, _ fallback: String) -> String { values[name] ?? fallback }
        return Layout.page(
            title: "Your weekly plan",
            chrome: chrome,
            .h1("Your weekly plan"),
            .p(.class("lede"), .text("A little time each week, spent on what matters: \(PlanViews.slotText(slot)).")),
            .section(.class("card"), .h2("This week"), PlanViews.items(plan, csrf: chrome.csrfToken, returnTo: PlanRoutes.Pages.plan.path)),
            .section(
                .class("card"),
                .id("slot"),
                .h2("Your networking time"),
                .p(
                    .class("hint"),
                    .text("It appears in your calendar feed as a weekly event, and the plan arrives by email then when something waits.")
                ),
                .if(saved, .p(.class("flash"), .attribute(named: "role", value: "status"), .text("Saved."))),
                .form(
                    .method(.post),
                    .action(PlanRoutes.Pages.setSlot.path),
                    csrfField(chrome.csrfToken),
                    Field.select(
                        "weekday",
                        label: "Day",
                        options: PlanViews.weekdays.enumerated().map { (String($0.offset + 1), $0.element) },
                        selected: value("weekday", String(slot.weekday)),
                        errors: errors
                    ),
                    Field.text("time", label: "Time (HH:MM)", value: value("time", slot.time), errors: errors),
                    Field.text(
                        "timezone",
                        label: "Time zone",
                        value: value("timezone", slot.timeZone),
                        errors: errors,
                        hint: "For example Europe/London or America/New_York."
                    ),
                    Field.text(
                        "minutes",
                        label: "Minutes (15 to 120)",
                        value: value("minutes", String(slot.minutes)),
                        type: .number,
                        errors: errors
                    ),
                    .button(.type(.submit), .class("primary"), .text("Save"))
                )
            )
        )
    }
}
