import Foundation
import Hummingbird
import KithDomain
import Plot

/// App passwords for contacts and calendar apps: how to connect one, the passwords made (label,
/// made, last used, revoke), and a new one shown once.
struct AppPasswordsPage {
    let chrome: PageChrome
    let passwords: [AppPassword]
    let member: Member
    let publicURL: String
    /// Just made: shown this once.
    var made: (label: String, password: String)?
    var errors = FieldErrors()
    var label = ""

    var madeNotice: Node<HTML.BodyContext> {
        guard let made else { return .empty }
        return .div(
            .class("notice"),
            .attribute(named: "role", value: "status"),
            .p(.strong(.text("App password for “\(made.label)”: ")), .code(.class("secret"), .text(made.password))),
            .p(.text("Type it into the app now: it is shown only this once. Spaces and dashes do not matter."))
        )
    }

    func document() -> HTML {
        Layout.page(
            title: "Contacts and calendar apps",
            chrome: chrome,
            .p(.a(.href(AccountRoutes.Pages.security.path), .text("← Sign-in and security"))),
            .h1("Contacts and calendar apps"),
            .p(
                .class("lede"),
                .text(
                    "Keep your Kith contacts in your phone's address book — edits on either side reach the other — and see your events, weekly networking time and follow-ups in its calendar (read-only)."
                )
            ),
            madeNotice,
            .section(
                .class("card"),
                .h2("Connect an app"),
                .dl(
                    .dt("Server"),
                    .dd(.code(.text(publicURL))),
                    .dt("User name"),
                    .dd(.code(.text(member.handle.rawValue)), .text(" (or your email address)")),
                    .dt("Password"),
                    .dd(.text("an app password made below — never your Kith password, which apps cannot use"))
                ),
                .ul(
                    .li(
                        .text(
                            "iPhone and iPad: Settings → Contacts (or Calendar) → Accounts → Add Account → Other → Add CardDAV (or CalDAV) Account."
                        )
                    ),
                    .li(.text("Mac: Contacts (or Calendar) → Settings → Accounts → + → Other CardDAV (CalDAV) account, Manual.")),
                    .li(.text("Android: DAVx⁵ → Login with URL and user name.")),
                    .li(.text("Thunderbird: New Address Book → CardDAV; New Calendar → On the network."))
                ),
                .p(
                    .class("hint"),
                    .text(
                        "Address book: \(publicURL)/dav/addressbooks/\(member.handle.rawValue)/contacts/ · Calendar: \(publicURL)/dav/calendars/\(member.handle.rawValue)/events/"
                    )
                )
            ),
            .section(
                .class("card"),
                .h2("Make an app password"),
                Field.summary(errors.others(known: ["label"])),
                .form(
                    .method(.post),
                    .action(DAVRoutes.Pages.create.path),
                    csrfField(chrome.csrfToken),
                    Field.text(
                        "label",
                        label: "Which app is it for?",
                        value: label,
                        errors: errors,
                        hint: "For example “iPhone contacts”.",
                        required: true
                    ),
                    .button(.type(.submit), .class("primary"), .text("Make an app password"))
                )
            ),
            .section(
                .class("card"),
                .h2("Your app passwords"),
                passwords.isEmpty
                    ? .p(.class("empty"), .text("None yet."))
                    : .ul(
                        .class("sessions"),
                        .forEach(passwords) { password in
                            .li(
                                .strong(.text(password.label)),
                                .p(
                                    .class("hint"),
                                    .text("Made \(SecurityPage.day(password.createdAt))"),
                                    .text(password.lastUsedAt.map { " · last used \(SecurityPage.day($0))" } ?? " · never used")
                                ),
                                Controls.postButton(DAVRoutes.Pages.revoke.path(password.id), label: "Revoke", csrf: chrome.csrfToken)
                            )
                        }
                    )
            )
        )
    }
}

struct AppPasswordPagesController {
    let services: Services
    let publicURL: String

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.on(DAVRoutes.Pages.list, use: list)
        router.on(DAVRoutes.Pages.create, use: create)
        router.on(DAVRoutes.Pages.revoke, use: revoke)
    }

    func page(_ context: AppRequestContext, member: Member) async throws -> AppPasswordsPage {
        AppPasswordsPage(
            chrome: context.chrome(),
            passwords: try await services.appPasswords.list(of: member),
            member: member,
            publicURL: publicURL
        )
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        HTMLResponse(try await page(context, member: try context.requireMember()).document())
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        do {
            let (made, password) = try await services.appPasswords.create(label: data.text("label"), for: member)
            var page = try await page(context, member: member)
            page.made = (made.label, password)
            return try HTMLResponse(page.document(), status: .created).response(from: request, context: context)
        } catch DomainError.invalid(let errors) {
            var page = try await page(context, member: member)
            page.errors = FieldErrors(errors: errors)
            page.label = data.text("label")
            return try HTMLResponse(page.document(), status: .unprocessableContent).response(from: request, context: context)
        } catch DomainError.conflict(_, let message) {
            var page = try await page(context, member: member)
            page.errors = FieldErrors(errors: [FieldError(field: "label", message: message)])
            page.label = data.text("label")
            return try HTMLResponse(page.document(), status: .conflict).response(from: request, context: context)
        }
    }

    @Sendable func revoke(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        _ = try await VerifiedForm.read(request, context: context)
        try await services.appPasswords.revoke(context.parameters.get("id") ?? "", of: member)
        return Pages.redirect(DAVRoutes.Pages.list.path)
    }
}
