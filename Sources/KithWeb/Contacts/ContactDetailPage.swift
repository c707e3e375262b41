import Foundation
import KithDomain
import Plot

/// One contact: who they are, where keeping in touch stands, the timeline, follow-ups, the
/// give-and-take ledger, and forms to log, plan and edit.
struct ContactDetailPage {
    let chrome: PageChrome
    let detail: ContactDetail
    var editValues: [String: String]? = nil
    var errors = FieldErrors()
    var form: String? = nil

    private var contact: Contact { detail.view.contact }

    func document() -> HTML {
        let view = detail.view
        return Layout.page(
            title: contact.name,
            chrome: chrome,
            .h1(.text(contact.name), .text(" "), ContactViews.statusBadge(view.status)),
            ContactViews.subnav(""),
            .section(
                .class("card"),
                .unwrap(detail.profile) { profile in
                    .p(
                        .text("On Kith: "),
                        .a(.href(ProfileRoutes.Pages.show.path(profile.handle)), .text("@\(profile.handle)")),
                        .if(!profile.headline.isEmpty, .text(" — \(profile.headline)"))
                    )
                },
                .if(
                    !contact.title.isEmpty || !contact.organization.isEmpty,
                    .p(.text([contact.title, contact.organization].filter { !$0.isEmpty }.joined(separator: " · ")))
                ),
                .if(!contact.howWeMet.isEmpty, .p(.text("How we met: \(contact.howWeMet)"))),
                .if(
                    !contact.emails.isEmpty,
                    .p(.text("Email: "), .forEach(contact.emails) { .a(.href("mailto:\($0)"), .text("\($0) ")) })
                ),
                .if(!contact.phones.isEmpty, .p(.text("Phone: \(contact.phones.joined(separator: ", "))"))),
                .if(
                    !contact.tags.isEmpty,
                    .p(
                        .class("tags"),
                        .forEach(contact.tags) {
                            .a(.class("tag"), .href(ContactRoutes.Pages.list.path + "?tag=\(AttributeValue.query($0))"), .text($0))
                        }
                    )
                ),
                .p(
                    .class("hint"),
                    .text("Last in touch: \(ContactViews.day(contact.lastInteractionAt))"),
                    .unwrap(view.state.cadence) { .text(" · every \($0.idealDays) days") },
                    .unwrap(view.state.nextDueAt) { .text(" · next due \(ContactViews.day($0))") }
                ),
                .if(!contact.notes.isEmpty, .blockquote(.class("notes"), .text(contact.notes))),
                .div(
                    .class("actions"),
                    Controls.postButton(
                        ContactRoutes.Pages.done.path(contact.id),
                        label: "We're in touch — done",
                        csrf: chrome.csrfToken,
                        primary: true
                    ),
                    Controls.postButton(
                        ContactRoutes.Pages.snooze.path(contact.id),
                        label: "Snooze a week",
                        csrf: chrome.csrfToken,
                        hidden: [("days", "7")]
                    )
                )
            ),
            .if(
                detail.giveBeforeYouAsk,
                .p(
                    .class("card prompt"),
                    .text(
                        "Give before you ask: you haven't logged any help for \(contact.firstName) yet. "
                            + "An introduction, a referral or a useful article makes the next ask easier for both of you."
                    )
                )
            ),
            .section(
                .class("card"),
                .id("log"),
                .h2("Log an interaction"),
                .form(
                    .method(.post),
                    .action(ContactRoutes.Pages.logInteraction.path(contact.id)),
                    csrfField(chrome.csrfToken),
                    Field.summary(form == "log" ? errors.others(known: ["kind", "occurred_at", "note", "help"]) : []),
                    Field.select(
                        "kind",
                        label: "What happened",
                        options: InteractionKind.allCases.map { ($0.rawValue, $0.label) },
                        selected: "coffee",
                        errors: form == "log" ? errors : FieldErrors()
                    ),
                    Field.select(
                        "help",
                        label: "Kind of help (for help and introductions)",
                        options: [("", "—")] + HelpKind.allCases.map { ($0.rawValue, $0.label) },
                        selected: "",
                        errors: form == "log" ? errors : FieldErrors()
                    ),
                    Field.text(
                        "occurred_at",
                        label: "When",
                        value: "",
                        type: .date,
                        errors: form == "log" ? errors : FieldErrors(),
                        hint: "Leave empty for now."
                    ),
                    Field.textarea("note", label: "Note", value: "", errors: form == "log" ? errors : FieldErrors()),
                    .button(.type(.submit), .class("primary"), .text("Log it"))
                )
            ),
            .section(
                .class("card"),
                .id("timeline"),
                .h2("Timeline"),
                detail.interactions.isEmpty
                    ? .p(.class("empty"), .text("Nothing logged yet."))
                    : .ol(
                        .class("timeline"),
                        .forEach(detail.interactions) { interaction in
                            .li(
                                .element(
                                    named: "time",
                                    nodes: [
                                        .attribute(named: "datetime", value: Moment.format(interaction.occurredAt)),
                                        .text(ContactViews.day(interaction.occurredAt)),
                                    ]
                                ),
                                .text(" "),
                                .strong(.text(interaction.kind.label)),
                                .unwrap(interaction.help) { .text(" (\($0.label.lowercased()))") },
                                .if(!interaction.note.isEmpty, .p(.text(interaction.note)))
                            )
                        }
                    )
            ),
            .section(
                .class("card"),
                .id("follow-ups"),
                .h2("Follow-ups"),
                .ul(
                    .class("follow-ups"),
                    .forEach(detail.followUps) { followUp in
                        .li(
                            .if(followUp.doneAt != nil, .del(.text(followUp.text)), else: .strong(.text(followUp.text))),
                            .text(" — due \(ContactViews.day(followUp.dueAt))"),
                            .if(
                                followUp.doneAt == nil,
                                Controls.postButton(
                                    ContactRoutes.Pages.completeFollowUp.path(followUp.id),
                                    label: "Done",
                                    csrf: chrome.csrfToken
                                )
                            )
                        )
                    }
                ),
                .form(
                    .method(.post),
                    .action(ContactRoutes.Pages.addFollowUp.path(contact.id)),
                    csrfField(chrome.csrfToken),
                    Field.text(
                        "text",
                        label: "Follow up on",
                        value: "",
                        errors: form == "follow-up" ? errors : FieldErrors(),
                        required: true
                    ),
                    Field.text(
                        "due_at",
                        label: "Due",
                        value: "",
                        type: .date,
                        errors: form == "follow-up" ? errors : FieldErrors(),
                        required: true
                    ),
                    .button(.type(.submit), .text("Add follow-up"))
                )
            ),
            .section(
                .class("card"),
                .id("ledger"),
                .h2("Give and take"),
                .p(
                    .text("You gave \(detail.ledger.given), received \(detail.ledger.received). "),
                    .strong(.text("Balance \(detail.ledger.balance > 0 ? "+" : "")\(detail.ledger.balance)"))
                )
            ),
            .section(
                .class("card"),
                .id("edit"),
                .element(
                    named: "details",
                    nodes: [
                        form == "edit" ? .attribute(named: "open") : .empty,
                        .element(named: "summary", text: "Edit details"),
                        .form(
                            .method(.post),
                            .action(ContactRoutes.Pages.update.path(contact.id)),
                            csrfField(chrome.csrfToken),
                            Field.summary(form == "edit" ? errors.others(known: ContactForm.fields) : []),
                            ContactForm.fields(
                                editValues ?? ContactForm.values(contact, handle: detail.view.memberHandle),
                                errors: form == "edit" ? errors : FieldErrors()
                            ),
                            .button(.type(.submit), .class("primary"), .text("Save changes"))
                        ),
                    ]
                ),
                Controls.postButton(
                    ContactRoutes.Pages.delete.path(contact.id),
                    label: "Delete this contact",
                    csrf: chrome.csrfToken
                )
            )
        )
    }
}
