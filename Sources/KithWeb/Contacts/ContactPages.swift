import Foundation
import KithDomain
import Plot

/// Shared bits of the relationship manager's pages.
enum ContactViews {
    static let privacyNote = "Only you can see your contacts, notes and interactions — not the people in them, not admins."

    static func statusBadge(_ status: ContactStatus) -> Node<HTML.BodyContext> {
        let label =
            switch status {
            case .ok: "In touch"
            case .due: "Due"
            case .overdue: "Overdue"
            case .dormant: "Dormant"
            }
        return .span(.class("status status-\(status.rawValue)"), .text(label))
    }

    static func day(_ date: Date?) -> String {
        guard let date else { return "—" }
        return date.formatted(.dateTime.day().month(.abbreviated).year().locale(Locale(identifier: "en_GB")))
    }

    static func subnav(_ current: String) -> Node<HTML.BodyContext> {
        let links = [
            (ContactRoutes.Pages.list.path, "Contacts"), (ContactRoutes.Pages.keepInTouch.path, "Keep in touch"),
            (ContactRoutes.Pages.reciprocity.path, "Give and take"),
            (ContactRoutes.Pages.importForm.path, "Import"), (NotificationRoutes.Pages.centre.path, "Notifications"),
        ]
        return Controls.subnav("Contacts", links.map { Controls.Tab(path: $0.0, label: $0.1, current: $0.0 == current) })
    }
}

/// The contacts list: search, tag and status filters, and each contact's keep-in-touch state.
struct ContactsPage {
    let chrome: PageChrome
    let page: Page<ContactView>?
    let query: (q: String, tag: String, status: String)
    let errors: FieldErrors
    var duplicates: [DuplicatePair] = []

    func document() -> HTML {
        Layout.page(
            title: "Contacts",
            chrome: chrome,
            .h1("Contacts"),
            ContactViews.subnav(ContactRoutes.Pages.list.path),
            .p(.class("hint"), .text(ContactViews.privacyNote)),
            .form(
                .class("card filters"),
                .method(.get),
                .action(ContactRoutes.Pages.create.path),
                .attribute(named: "role", value: "search"),
                Field.text("q", label: "Search your contacts", value: query.q, type: .search, errors: errors),
                Field.text("tag", label: "Tag", value: query.tag, errors: errors),
                Field.select(
                    "status",
                    label: "Keep-in-touch status",
                    options: [("", "Any")] + ContactStatus.allCases.map { ($0.rawValue, $0.rawValue.capitalized) },
                    selected: query.status,
                    errors: errors
                ),
                .button(.type(.submit), .text("Filter"))
            ),
            .p(
                .a(.class("button"), .href(ContactRoutes.Pages.newContact.path), .text("Add a contact")),
                .text(" "),
                .a(.href(ContactRoutes.Pages.export.path), .text("Export all as vCard"))
            ),
            .unwrap(page) { page in
                page.items.isEmpty
                    ? .p(.class("empty"), .text("No contacts here yet. Add someone, or import your address book or LinkedIn connections."))
                    : .ul(
                        .class("contacts"),
                        .forEach(page.items) { view in
                            .li(
                                .class("card contact-row"),
                                .a(.href(ContactRoutes.Pages.show.path(view.contact.id)), .strong(.text(view.contact.name))),
                                .text(" "),
                                ContactViews.statusBadge(view.status),
                                .if(
                                    !view.contact.organization.isEmpty || !view.contact.title.isEmpty,
                                    .p(
                                        .text(
                                            [view.contact.title, view.contact.organization].filter { !$0.isEmpty }.joined(separator: " · ")
                                        )
                                    )
                                ),
                                .p(
                                    .class("hint"),
                                    .text("Last in touch: \(ContactViews.day(view.contact.lastInteractionAt))"),
                                    .if(view.state.nextDueAt != nil, .text(" · next due \(ContactViews.day(view.state.nextDueAt))"))
                                ),
                                .if(
                                    !view.contact.tags.isEmpty,
                                    .p(
                                        .class("tags"),
                                        .forEach(view.contact.tags) {
                                            .a(
                                                .class("tag"),
                                                .href(ContactRoutes.Pages.list.path + "?tag=\(AttributeValue.query($0))"),
                                                .text($0)
                                            )
                                        }
                                    )
                                )
                            )
                        }
                    )
            },
            .unwrap(page?.next) { next in
                .p(
                    .a(
                        .href(
                            (ContactRoutes.Pages.list.path
                                + "?q=\(AttributeValue.query(query.q))&tag=\(AttributeValue.query(query.tag))&status=\(AttributeValue.query(query.status))&after=\(AttributeValue.query(next))")
                        ),
                        .text("More contacts →")
                    )
                )
            }
        )
    }
}

/// The add-contact form (also used to show its errors).
struct NewContactPage {
    let chrome: PageChrome
    let values: [String: String]
    let errors: FieldErrors

    func document() -> HTML {
        Layout.page(
            title: "Add a contact",
            chrome: chrome,
            .h1("Add a contact"),
            ContactViews.subnav(ContactRoutes.Pages.list.path),
            .form(
                .class("card"),
                .method(.post),
                .action(ContactRoutes.Pages.create.path),
                csrfField(chrome.csrfToken),
                Field.summary(errors.others(known: ContactForm.fields)),
                ContactForm.fields(values, errors: errors),
                .button(.type(.submit), .class("primary"), .text("Save contact"))
            )
        )
    }
}

/// The contact's editable fields, shared by the add and edit forms.
enum ContactForm {
    static let fields: Set<String> = [
        "name", "member", "emails", "phones", "organization", "title", "how_we_met", "tags", "notes", "cadence_days",
    ]

    static func fields(_ values: [String: String], errors: FieldErrors) -> Node<HTML.FormContext> {
        .group(
            Field.text("name", label: "Name", value: values["name"] ?? "", errors: errors, required: true),
            Field.text(
                "member",
                label: "Kith member (handle)",
                value: values["member"] ?? "",
                errors: errors,
                hint: "Link someone who is on Kith: their profile then stays current here."
            ),
            Field.text("emails", label: "Emails", value: values["emails"] ?? "", errors: errors, hint: "Separate several with commas."),
            Field.text("phones", label: "Phones", value: values["phones"] ?? "", errors: errors, hint: "Separate several with commas."),
            Field.text("organization", label: "Organisation", value: values["organization"] ?? "", errors: errors),
            Field.text("title", label: "Title", value: values["title"] ?? "", errors: errors),
            Field.text("how_we_met", label: "How we met", value: values["how_we_met"] ?? "", errors: errors),
            Field.text(
                "tags",
                label: "Tags",
                value: values["tags"] ?? "",
                errors: errors,
                hint: "For example: close, network, mentor. Tags can carry a keep-in-touch cadence."
            ),
            Field.text(
                "cadence_days",
                label: "Keep in touch every … days",
                value: values["cadence_days"] ?? "",
                type: .number,
                errors: errors,
                hint: "Leave empty to follow the tags (close: 30 days, network: 90 days)."
            ),
            Field.textarea("notes", label: "Private notes", value: values["notes"] ?? "", errors: errors)
        )
    }

    static func values(_ contact: Contact, handle: Handle?) -> [String: String] {
        [
            "name": contact.name, "member": handle?.rawValue ?? "", "emails": contact.emails.joined(separator: ", "),
            "phones": contact.phones.joined(separator: ", "), "organization": contact.organization, "title": contact.title,
            "how_we_met": contact.howWeMet, "tags": contact.tags.joined(separator: ", "), "notes": contact.notes,
            "cadence_days": contact.cadenceDays.map(String.init) ?? "",
        ]
    }
}
