import Foundation
import Hummingbird
import KithDomain
import Plot

/// The member's looking signal (private to the circle they choose) and the circles they are in.
struct LookingPage {
    let chrome: PageChrome
    let signal: LookingSignal
    let circle: [Member]
    let supporting: [SupportedSignal]
    /// When shown again after a refusal: what was typed.
    var typed: (roles: String, locations: String, circle: String)? = nil
    var errors = FieldErrors()

    func document() -> HTML {
        Layout.page(
            title: "Looking for work",
            chrome: chrome,
            .h1("Looking for work"),
            .p(
                .class("hint"),
                .text(
                    "Lost a job, or changing careers? Tell a few people you trust. Only the circle you choose sees this — never the directory, suggestions, admins or anyone else."
                )
            ),
            Field.summary(errors.others(known: ["active", "roles", "locations", "circle"])),
            .form(
                .method(.post),
                .action(LookingRoutes.Pages.set.path),
                csrfField(chrome.csrfToken),
                .div(
                    .class("check"),
                    .input(
                        .type(.checkbox),
                        .id("active"),
                        .name("active"),
                        .value("true"),
                        .attribute(named: "checked", value: signal.active ? "checked" : nil)
                    ),
                    .label(.for("active"), .text("I am looking, and my circle may know"))
                ),
                Field.text(
                    "roles",
                    label: "Roles you want",
                    value: typed?.roles ?? signal.roles.joined(separator: ", "),
                    errors: errors,
                    hint: "Up to \(LookingSignal.listLimit), separated by commas."
                ),
                Field.text(
                    "locations",
                    label: "Places",
                    value: typed?.locations ?? signal.locations.joined(separator: ", "),
                    errors: errors,
                    hint: "Cities, or remote."
                ),
                Field.text(
                    "circle",
                    label: "Your circle (handles of connections)",
                    value: typed?.circle ?? circle.map(\.handle.rawValue).joined(separator: ", "),
                    errors: errors,
                    hint: "Up to \(LookingSignal.circleLimit) of your connections, separated by commas. They are told once, privately."
                ),
                .button(.type(.submit), .class("primary"), .text("Save"))
            ),
            .section(
                .class("card"),
                .h2("Counting on you"),
                supporting.isEmpty
                    ? .p(.class("empty"), .text("Nobody has put you in their circle."))
                    : LookingViews.supportList(supporting)
            )
        )
    }
}

enum LookingViews {
    /// The signals a member supports: who, what they are looking for, and a way to help.
    static func supportList(_ supporting: [SupportedSignal]) -> Node<HTML.BodyContext> {
        .ul(
            .class("circle"),
            .forEach(supporting) { item in
                .li(
                    .a(.href(ProfileRoutes.Pages.show.path(item.member.handle)), .strong(.text(item.member.name))),
                    .text(" — " + LookingService.summary(item.signal) + " "),
                    .a(.href(MessageLinks.write(to: item.member.handle)), .text("Send a lead or an introduction"))
                )
            }
        )
    }
}

/// The looking page and its form.
struct LookingPagesController {
    let services: Services

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.on(LookingRoutes.Pages.looking, use: show)
        router.on(LookingRoutes.Pages.set, use: set)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        let member = try context.requireMember()
        let own = try await services.looking.own(member)
        let supporting = try await services.looking.supporting(member)
        return HTMLResponse(
            LookingPage(chrome: context.chrome(), signal: own.signal, circle: own.circle, supporting: supporting).document()
        )
    }

    @Sendable func set(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        func list(_ key: String) -> [String] {
            data.text(key).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        do {
            _ = try await services.looking.set(
                active: data["active"] == "true",
                roles: list("roles"),
                locations: list("locations"),
                circle: list("circle").map { $0.hasPrefix("@") ? String($0.dropFirst()) : $0 },
                by: member
            )
            return Pages.redirect(LookingRoutes.Pages.looking.path)
        } catch DomainError.invalid(let errors) {
            let own = try await services.looking.own(member)
            var page = LookingPage(
                chrome: context.chrome(),
                signal: own.signal,
                circle: own.circle,
                supporting: try await services.looking.supporting(member),
                errors: FieldErrors(errors: errors)
            )
            page.typed = (data.text("roles"), data.text("locations"), data.text("circle"))
            return try HTMLResponse(page.document(), status: .unprocessableContent).response(from: request, context: context)
        }
    }
}
