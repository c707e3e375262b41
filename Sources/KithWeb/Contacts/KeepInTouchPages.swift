import Foundation
import KithDomain
import Plot

/// Who to get back in touch with: overdue first, then due, each with one-click "done" and
/// "snooze"; open follow-ups; and dormant ties worth reviving, with a message to start from.
struct KeepInTouchPage {
    let chrome: PageChrome
    let board: KeepInTouchBoard

    func document() -> HTML {
        Layout.page(
            title: "Keep in touch",
            chrome: chrome,
            .h1("Keep in touch"),
            ContactViews.subnav(ContactRoutes.Pages.keepInTouch.path),
            .p(.class("hint"), .text(ContactViews.privacyNote)),
            section("Overdue", id: "overdue", board.overdue, empty: "Nobody is overdue. Nicely done."),
            section("Due", id: "due", board.due, empty: "Nobody is due right now."),
            .section(
                .class("card"),
                .id("follow-ups"),
                .h2(.text("Follow-ups (\(board.followUps.count))")),
                board.followUps.isEmpty
                    ? .p(.class("empty"), .text("No open follow-ups."))
                    : .ul(
                        .forEach(board.followUps) { followUp in
                            .li(
                                .strong(.text(followUp.text)),
                                .text(" — "),
                                .a(
                                    .href(ContactRoutes.Pages.show.path(followUp.contactID)),
                                    .text(board.followUpContacts[followUp.contactID] ?? "contact")
                                ),
                                .text(", due \(ContactViews.day(followUp.dueAt)) "),
                                Controls.postButton(
                                    ContactRoutes.Pages.completeFollowUp.path(followUp.id),
                                    label: "Done",
                                    csrf: chrome.csrfToken
                                )
                            )
                        }
                    )
            ),
            .section(
                .class("card"),
                .id("dormant"),
                .h2("Dormant ties worth reviving"),
                .p(
                    .class("hint"),
                    .text(
                        "People you were once close to and haven't spoken with in years. Reconnecting is easier than it feels, "
                            + "and they often bring fresher advice than the people you see every week."
                    )
                ),
                board.dormantWorthReviving.isEmpty
                    ? .p(.class("empty"), .text("No dormant ties to revive."))
                    : .ul(
                        .class("dormant"),
                        .forEach(board.dormantWorthReviving) { tie in
                            .li(
                                .a(.href(ContactRoutes.Pages.show.path(tie.contact.contact.id)), .strong(.text(tie.contact.contact.name))),
                                .if(!tie.reasons.isEmpty, .p(.class("reasons"), .text(tie.reasons.joined(separator: " · ")))),
                                .blockquote(.class("message"), .text(tie.message))
                            )
                        }
                    )
            )
        )
    }

    private func section(_ title: String, id: String, _ views: [ContactView], empty: String) -> Node<HTML.BodyContext> {
        .section(
            .class("card"),
            .id(id),
            .h2(.text("\(title) (\(views.count))")),
            views.isEmpty
                ? .p(.class("empty"), .text(empty))
                : .ul(
                    .class("due"),
                    .forEach(views) { view in
                        .li(
                            .a(.href(ContactRoutes.Pages.show.path(view.contact.id)), .strong(.text(view.contact.name))),
                            .text(" · last in touch \(ContactViews.day(view.contact.lastInteractionAt))"),
                            .div(
                                .class("actions"),
                                Controls.postButton(
                                    ContactRoutes.Pages.done.path(view.contact.id),
                                    label: "Done",
                                    csrf: chrome.csrfToken,
                                    primary: true,
                                    hidden: [("back", ContactRoutes.Pages.keepInTouch.path)]
                                ),
                                Controls.postButton(
                                    ContactRoutes.Pages.snooze.path(view.contact.id),
                                    label: "Snooze a week",
                                    csrf: chrome.csrfToken,
                                    hidden: [("days", "7"), ("back", ContactRoutes.Pages.keepInTouch.path)]
                                )
                            )
                        )
                    }
                )
        )
    }
}

/// The reciprocity ledger: help given and received, per contact and overall.
struct ReciprocityPage {
    let chrome: PageChrome
    let report: ReciprocityReport

    func document() -> HTML {
        Layout.page(
            title: "Give and take",
            chrome: chrome,
            .h1("Give and take"),
            ContactViews.subnav(ContactRoutes.Pages.reciprocity.path),
            .section(
                .class("grid stats"),
                .div(.class("card stat"), .strong(.text("\(report.totals.given)")), .span(.text(" times you helped"))),
                .div(.class("card stat"), .strong(.text("\(report.totals.received)")), .span(.text(" times you were helped"))),
                .div(
                    .class("card stat"),
                    .strong(.text("\(report.totals.balance > 0 ? "+" : "")\(report.totals.balance)")),
                    .span(.text(" balance"))
                )
            ),
            report.rows.isEmpty
                ? .p(.class("empty"), .text("Log help given, help received or introductions on a contact's page to see the ledger."))
                : .table(
                    .class("ledger"),
                    .caption("Per contact, the ones you owe most first"),
                    .thead(.tr(.th("Contact"), .th("Given"), .th("Received"), .th("Balance"))),
                    .tbody(
                        .forEach(report.rows) { row in
                            .tr(
                                .td(.a(.href(ContactRoutes.Pages.show.path(row.contact.id)), .text(row.contact.name))),
                                .td(.text("\(row.entry.given)")),
                                .td(.text("\(row.entry.received)")),
                                .td(.text("\(row.entry.balance > 0 ? "+" : "")\(row.entry.balance)"))
                            )
                        }
                    )
                )
        )
    }
}

/// Upload a vCard or LinkedIn Connections.csv; afterwards, the report.
struct ImportContactsPage {
    let chrome: PageChrome
    var report: ImportReport? = nil
    var errors = FieldErrors()

    func document() -> HTML {
        Layout.page(
            title: "Import contacts",
            chrome: chrome,
            .h1("Import contacts"),
            ContactViews.subnav(ContactRoutes.Pages.importForm.path),
            .unwrap(report) { report in
                .section(
                    .class("card report"),
                    .id("report"),
                    .h2("Import finished"),
                    .p(
                        .text("\(report.created) created, \(report.merged) merged into existing contacts, \(report.skipped) already known.")
                    ),
                    .if(
                        !report.errors.isEmpty,
                        .group(
                            .h3(.text("\(report.errors.count) line\(report.errors.count == 1 ? "" : "s") could not be imported")),
                            .ul(
                                .class("import-errors"),
                                .forEach(report.errors.prefix(200)) { .li(.text("Line \($0.line): \($0.message)")) }
                            )
                        )
                    ),
                    .p(.a(.href(ContactRoutes.Pages.list.path), .text("See your contacts →")))
                )
            },
            .form(
                .class("card"),
                .method(.post),
                .action(ContactRoutes.Pages.importFile.path),
                .enctype(.multipartData),
                csrfField(chrome.csrfToken),
                Field.summary(errors.others(known: ["file", "format"])),
                .div(
                    .class(errors.message("file") == nil ? "field" : "field invalid"),
                    .label(.for("file"), .text("File")),
                    .p(.class("hint"), .id("file-hint"), .text("A vCard file (.vcf, version 3.0 or 4.0) or LinkedIn's Connections.csv.")),
                    .input(
                        .type(.file),
                        .id("file"),
                        .name("file"),
                        .attribute(named: "accept", value: ".vcf,.vcard,.csv,text/vcard,text/csv"),
                        .required(true)
                    ),
                    .unwrap(errors.message("file")) { .p(.class("error"), .id("file-error"), .text($0)) }
                ),
                Field.select(
                    "format",
                    label: "Format",
                    options: [("", "Detect from the file"), ("vcard", "vCard"), ("linkedin_csv", "LinkedIn Connections.csv")],
                    selected: "",
                    errors: errors
                ),
                .p(.class("hint"), .text("Duplicates — the same email, or the same name and organisation — are merged, never doubled.")),
                .button(.type(.submit), .class("primary"), .text("Import"))
            )
        )
    }
}
