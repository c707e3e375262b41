import Foundation
import KithDomain
import Plot

enum EventViews {
    static func when(_ event: Event) -> String {
        let zone = TimeZone(identifier: event.timeZone) ?? .gmt
        var day = Date.FormatStyle(date: .complete, time: .omitted, locale: Locale(identifier: "en_GB"))
        day.timeZone = zone
        var time = Date.FormatStyle(date: .omitted, time: .shortened, locale: Locale(identifier: "en_GB"))
        time.timeZone = zone
        return "\(event.startsAt.formatted(day)), \(event.startsAt.formatted(time))–\(event.endsAt.formatted(time)) (\(event.timeZone))"
    }

    static func status(_ view: EventView) -> String {
        switch view.myRSVP {
        case .going: "You're going"
        case .waitlisted: "You're on the waitlist" + (view.myWaitlistPosition.map { ", number \($0) in line" } ?? "")
        case .maybe: "You said maybe"
        case .notGoing: "You're not going"
        case nil: "You haven't answered yet"
        }
    }

    static func places(_ view: EventView) -> String {
        var text = "\(view.goingCount) going"
        if let capacity = view.event.capacity { text += " of \(capacity) places" }
        if view.waitlistCount > 0 { text += " · \(view.waitlistCount) on the waitlist" }
        if view.maybeCount > 0 { text += " · \(view.maybeCount) maybe" }
        return text
    }
}

/// Upcoming events, mine, by format; a link to the calendar feed.
struct EventsPage {
    let chrome: PageChrome
    let page: Page<EventView>
    let filter: (mine: Bool, format: String)

    func document() -> HTML {
        Layout.page(
            title: "Events",
            chrome: chrome,
            .h1("Events"),
            Controls.subnav(
                "Events",
                [
                    Controls.Tab(path: EventRoutes.Pages.list.path, label: "Upcoming", current: !filter.mine && filter.format.isEmpty),
                    Controls.Tab(path: EventRoutes.Pages.list.path + "?mine=true", label: "Mine", current: filter.mine),
                    Controls.Tab(path: EventRoutes.Pages.attended.path, label: "Attended", current: false),
                ]
                    + EventFormat.allCases.map { format in
                        Controls.Tab(
                            path: EventRoutes.Pages.list.path + "?format=\(format.rawValue)",
                            label: format.label,
                            current: filter.format == format.rawValue
                        )
                    }
            ),
            .p(.a(.class("button"), .href(EventRoutes.Pages.newEvent.path), .text("Organise an event"))),
            page.items.isEmpty
                ? .p(.class("empty"), .text("No events here yet."))
                : .ul(
                    .class("events"),
                    .forEach(page.items) { view in
                        .li(
                            .class("card event-row"),
                            .h2(.a(.href(EventRoutes.Pages.show.path(view.event.id)), .text(view.event.title))),
                            .p(.span(.class("badge"), .text(view.event.format.label)), .text(" " + EventViews.when(view.event))),
                            .p(.class("hint"), .text(EventViews.places(view) + " · " + EventViews.status(view)))
                        )
                    }
                ),
            .unwrap(page.next) { next in
                .p(
                    .a(
                        .href(
                            (EventRoutes.Pages.list.path
                                + "?mine=\(filter.mine)&format=\(AttributeValue.query(filter.format))&after=\(AttributeValue.query(next))")
                        ),
                        .text("Later events →")
                    )
                )
            },
            .section(
                .class("card"),
                .h2("Your calendar"),
                .p(
                    .text("See the events you're going to or considering in your calendar app. "),
                    .a(.href(EventRoutes.Pages.calendarAddress.path), .text("Your calendar address →"))
                )
            )
        )
    }
}

/// The member's secret calendar-feed address: made or replaced here, shown only right then.
struct CalendarAddressPage {
    let chrome: PageChrome
    /// When the current address was made (the epoch for one made before dates were kept).
    let active: Date?
    /// The address just made, shown this once.
    let newURL: String?

    func document() -> HTML {
        Layout.page(
            title: "Your calendar address",
            chrome: chrome,
            .p(.a(.href(EventRoutes.Pages.list.path), .text("← Events"))),
            .h1("Your calendar address"),
            .unwrap(newURL) { url in
                .section(
                    .class("card"),
                    .attribute(named: "role", value: "status"),
                    .h2("Your new address"),
                    .p(.text("Add this address to your calendar app as a subscription (\"From URL\" or \"Subscribe\"):")),
                    .p(.code(.id("feed-url"), .text(url))),
                    .p(
                        .class("hint"),
                        .text("Copy it now: Kith keeps only a fingerprint of it, so it cannot be shown again. "),
                        .text("Keep it to yourself — anyone with it can read your event list.")
                    )
                )
            },
            .section(
                .class("card"),
                .if(
                    newURL == nil,
                    .p(
                        .text(
                            active == nil
                                ? "You have no calendar address yet."
                                : "You have a calendar address"
                                    + (active.map { $0.timeIntervalSince1970 > 0 ? " (made on \(Moment.format($0).prefix(10)))" : "" } ?? "")
                                    + ". It cannot be shown again; if you lost it, or think someone else has it, make a new one."
                        )
                    )
                ),
                .form(
                    .method(.post),
                    .action(EventRoutes.Pages.resetCalendarAddress.path),
                    csrfField(chrome.csrfToken),
                    .button(
                        .type(.submit),
                        .class(active == nil ? "primary" : ""),
                        .text(active == nil ? "Make my calendar address" : "Make a new address (the old one stops working)")
                    )
                )
            )
        )
    }
}

/// The member's own attendance history: past events they were going to, with check-ins.
struct AttendancePage {
    let chrome: PageChrome
    let history: [Attendance]

    func document() -> HTML {
        let checkedIn = history.filter { $0.checkedInAt != nil }.count
        return Layout.page(
            title: "Events you went to",
            chrome: chrome,
            .h1("Events you went to"),
            Controls.subnav(
                "Events",
                [
                    Controls.Tab(path: EventRoutes.Pages.list.path, label: "Upcoming", current: false),
                    Controls.Tab(path: EventRoutes.Pages.list.path + "?mine=true", label: "Mine", current: false),
                    Controls.Tab(path: EventRoutes.Pages.attended.path, label: "Attended", current: true),
                ]
            ),
            history.isEmpty
                ? .p(.class("empty"), .text("No past events yet. Events you said you were going to appear here once they are over."))
                : .group(
                    .p(
                        .class("hint"),
                        .text("\(history.count) event\(history.count == 1 ? "" : "s"), \(checkedIn) with a check-in. "),
                        .text("Only you see this list.")
                    ),
                    .ul(
                        .class("events"),
                        .forEach(history) { attended in
                            .li(
                                .class("card event-row"),
                                .h2(.a(.href(EventRoutes.Pages.show.path(attended.event.id)), .text(attended.event.title))),
                                .p(
                                    .span(.class("badge"), .text(attended.event.format.label)),
                                    .text(" " + EventViews.when(attended.event))
                                ),
                                .p(
                                    .class("hint"),
                                    .text(attended.checkedInAt == nil ? "Going (not checked in)" : "Checked in"),
                                    .text(" · "),
                                    .a(.href(EventRoutes.Pages.metForm.path(attended.event.id)), .text("Who I met"))
                                )
                            )
                        }
                    )
                )
        )
    }
}

/// One event: details, RSVP, waitlist position, self check-in, and the organiser's tools.
struct EventPage {
    let chrome: PageChrome
    let view: EventView
    var classmatesGoing: [Member] = []
    var errors = FieldErrors()

    func document() -> HTML {
        let event = view.event
        let cancelled = event.cancelledAt != nil
        return Layout.page(
            title: event.title,
            chrome: chrome,
            .h1(.text(event.title)),
            .section(
                .class("card"),
                .p(
                    .span(.class("badge"), .text(event.format.label)),
                    .if(cancelled, .strong(.class("status status-overdue"), .text(" Cancelled")))
                ),
                .p(
                    .element(
                        named: "time",
                        nodes: [.attribute(named: "datetime", value: Moment.format(event.startsAt)), .text(EventViews.when(event))]
                    )
                ),
                .if(!event.location.isEmpty, .p(.text("Where: \(event.location)"))),
                .if(
                    !event.onlineURL.isEmpty,
                    .p(
                        .text("Online: "),
                        .a(
                            .href(event.onlineURL),
                            .attribute(named: "rel", value: "noopener"),
                            .text(event.onlineURL)
                        )
                    )
                ),
                .unwrap(view.organizer) { .p(.text("Organised by "), .a(.href(ProfileRoutes.Pages.show.path($0.handle)), .text($0.name))) },
                .if(
                    !event.description.isEmpty,
                    .div(.class("description"), .forEach(event.description.components(separatedBy: "\n")) { .p(.text($0)) })
                ),
                .p(.class("hint"), .text(EventViews.places(view))),
                .p(.a(.href(EventRoutes.Pages.calendar.path(event.id)), .text("Add to my calendar (.ics)")))
            ),
            .if(
                !cancelled,
                .section(
                    .class("card"),
                    .id("rsvp"),
                    .h2("Are you coming?"),
                    .p(.strong(.text(EventViews.status(view)))),
                    .if(
                        view.isFull && view.myRSVP != .going,
                        .p(
                            .class("hint"),
                            .text(
                                "The event is full: answering going puts you on the waitlist, first come first served. If a place frees up it is yours at once and we'll tell you."
                            )
                        )
                    ),
                    .div(
                        .class("actions"),
                        .forEach([("going", "Going"), ("maybe", "Maybe"), ("not_going", "Not going")]) { choice in
                            Controls.postButton(
                                EventRoutes.Pages.rsvp.path(event.id),
                                label: choice.1,
                                csrf: chrome.csrfToken,
                                primary: choice.0 == "going",
                                hidden: [("status", choice.0)]
                            )
                        }
                    ),
                    Field.summary(errors.errors),
                    .if(
                        view.myRSVP == .going,
                        .form(
                            .method(.post),
                            .action(EventRoutes.Pages.checkIn.path(event.id)),
                            csrfField(chrome.csrfToken),
                            Field.text("code", label: "At the event? Check in with its code", value: "", errors: errors),
                            .button(.type(.submit), .text("Check in"))
                        )
                    )
                )
            ),
            .if(
                !classmatesGoing.isEmpty,
                .section(
                    .class("card"),
                    .h2("Classmates going"),
                    .ul(
                        .class("chips"),
                        .forEach(classmatesGoing) { .li(.a(.href(ProfileRoutes.Pages.show.path($0.handle)), .text($0.name))) }
                    )
                )
            ),
            .if(
                EventNetworking.mayMeetPeople(answer: view.myRSVP, isOrganizer: view.isOrganizer),
                .p(
                    .a(.href(EventRoutes.Pages.people.path(event.id)), .text("People to meet here →")),
                    .text(" "),
                    .a(.href(EventRoutes.Pages.metForm.path(event.id)), .text("Who I met →"))
                )
            ),
            .if(
                view.isOrganizer,
                .section(
                    .class("card"),
                    .id("organiser"),
                    .h2("Organiser"),
                    .p(.text("Check-in code: "), .strong(.text(event.checkInCode))),
                    .p(
                        .a(.href(EventRoutes.Pages.attendees.path(event.id)), .text("Attendees, waitlist and check-in")),
                        .text(" · "),
                        .a(.href(EventRoutes.Pages.editForm.path(event.id)), .text("Edit"))
                    ),
                    .if(
                        !cancelled,
                        Controls.postButton(
                            EventRoutes.Pages.cancel.path(event.id),
                            label: "Cancel this event",
                            csrf: chrome.csrfToken
                        )
                    )
                )
            )
        )
    }
}

/// The organiser's attendee list: going (with check-in), the waitlist in order, maybe.
struct AttendeesPage {
    let chrome: PageChrome
    let view: EventView
    let attendees: [RSVP]

    func document() -> HTML {
        let event = view.event
        return Layout.page(
            title: "Attendees · \(event.title)",
            chrome: chrome,
            .h1(.text("Attendees: \(event.title)")),
            .p(
                .a(.href(EventRoutes.Pages.show.path(event.id)), .text("← Back to the event")),
                .text(" · "),
                .a(.href(EventRoutes.Pages.attendeesCSV.path(event.id)), .text("Export CSV"))
            ),
            .p(.class("hint"), .text(EventViews.places(view))),
            .table(
                .class("ledger"),
                .caption("Going first, then the waitlist in order, then maybe"),
                .thead(.tr(.th("Name"), .th("Answer"), .th("Checked in"))),
                .tbody(
                    .forEach(attendees.filter { $0.status != .notGoing }) { rsvp in
                        .tr(
                            .td(.a(.href(ProfileRoutes.Pages.show.path(rsvp.member.handle)), .text(rsvp.member.name))),
                            .td(
                                .text(
                                    rsvp.status == .waitlisted
                                        ? "Waitlist #\(rsvp.waitlistPosition ?? 0)"
                                        : rsvp.status.rawValue.replacingOccurrences(of: "_", with: " ")
                                )
                            ),
                            .td(
                                rsvp.checkedInAt != nil
                                    ? .text("Yes")
                                    : rsvp.status == .going
                                        ? Controls.postButton(
                                            EventRoutes.Pages.checkIn.path(event.id),
                                            label: "Check in",
                                            csrf: chrome.csrfToken,
                                            hidden: [("member", rsvp.member.handle.rawValue)]
                                        ) : .text("—")
                            )
                        )
                    }
                )
            )
        )
    }
}

/// Create or edit an event.
struct EventFormPage {
    let chrome: PageChrome
    let action: String
    let title: String
    let values: [String: String]
    let errors: FieldErrors

    static let fields: Set<String> = [
        "title", "description", "format", "starts_at", "ends_at", "timezone", "location", "online_url", "capacity", "cohort",
        "rsvp_deadline",
    ]

    func document() -> HTML {
        Layout.page(
            title: title,
            chrome: chrome,
            .h1(.text(title)),
            .form(
                .class("card"),
                .method(.post),
                .action(action),
                csrfField(chrome.csrfToken),
                Field.summary(errors.others(known: Self.fields.union(["audience.cohort"]))),
                Field.text("title", label: "Title", value: values["title"] ?? "", errors: errors, required: true),
                Field.select(
                    "format",
                    label: "Format",
                    options: EventFormat.allCases.map { ($0.rawValue, $0.label) },
                    selected: values["format"] ?? "meetup",
                    errors: errors
                ),
                Field.text(
                    "starts_at",
                    label: "Starts",
                    value: values["starts_at"] ?? "",
                    type: .datetimeLocal,
                    errors: errors,
                    required: true
                ),
                Field.text("ends_at", label: "Ends", value: values["ends_at"] ?? "", type: .datetimeLocal, errors: errors, required: true),
                Field.text(
                    "timezone",
                    label: "Time zone",
                    value: values["timezone"] ?? "Europe/London",
                    errors: errors,
                    hint: "An IANA time zone such as Europe/London or America/New_York; the times above are in it.",
                    required: true
                ),
                Field.text("location", label: "Where", value: values["location"] ?? "", errors: errors),
                Field.text("online_url", label: "Online link", value: values["online_url"] ?? "", type: .url, errors: errors),
                Field.text(
                    "capacity",
                    label: "Places",
                    value: values["capacity"] ?? "",
                    type: .number,
                    errors: errors,
                    hint: "Leave empty for no limit. Small circles hold at most 8."
                ),
                Field.text(
                    "cohort",
                    label: "For a cohort",
                    value: values["cohort"] ?? "",
                    errors: errors.renamed("audience.cohort", to: "cohort"),
                    hint: "Required for a reunion, such as Class of 2015: every member of that class is invited."
                ),
                Field.text(
                    "rsvp_deadline",
                    label: "RSVP by (optional)",
                    value: values["rsvp_deadline"] ?? "",
                    type: .datetimeLocal,
                    errors: errors
                ),
                Field.textarea("description", label: "Description", value: values["description"] ?? "", errors: errors),
                .button(.type(.submit), .class("primary"), .text("Save event"))
            )
        )
    }
}

extension FieldErrors {
    func renamed(_ from: String, to: String) -> FieldErrors {
        FieldErrors(errors: errors.map { $0.field == from ? FieldError(field: to, message: $0.message) : $0 })
    }
}

/// People worth meeting at an event, with why and an opener.
struct PeopleToMeetPage {
    let chrome: PageChrome
    let event: Event
    let people: [PersonToMeet]

    func document() -> HTML {
        Layout.page(
            title: "People to meet · \(event.title)",
            chrome: chrome,
            .h1(.text("People to meet at \(event.title)")),
            .p(.a(.href(EventRoutes.Pages.show.path(event.id)), .text("← Back to the event"))),
            people.isEmpty
                ? .p(.class("empty"), .text("Nobody to suggest yet — check back as more people answer."))
                : .ol(
                    .class("people"),
                    .forEach(people) { person in
                        .li(
                            .class("card person"),
                            .h2(.class("name"), .a(.href(ProfileRoutes.Pages.show.path(person.member.handle)), .text(person.member.name))),
                            .if(!person.headline.isEmpty, .p(.text(person.headline))),
                            .if(!person.reasons.isEmpty, .p(.class("reasons"), .text(person.reasons.joined(separator: " · ")))),
                            .p(.class("starter"), .strong("Conversation starter: "), .text(person.conversationStarter)),
                            .p(
                                .a(
                                    .class("button"),
                                    .href(MessageLinks.write(to: person.member.handle)),
                                    .attribute(named: "aria-label", value: "Message \(person.member.name)"),
                                    .text("Message")
                                )
                            )
                        )
                    }
                )
        )
    }
}

/// After the event: tick who you met; they become contacts with a follow-up.
struct WhoIMetPage {
    let chrome: PageChrome
    let event: Event
    let attendees: [RSVP]
    var done: Int? = nil
    var errors = FieldErrors()

    func document() -> HTML {
        Layout.page(
            title: "Who I met · \(event.title)",
            chrome: chrome,
            .h1(.text("Who did you meet at \(event.title)?")),
            .p(.a(.href(EventRoutes.Pages.show.path(event.id)), .text("← Back to the event"))),
            .unwrap(done) { count in
                .p(
                    .class("flash"),
                    .attribute(named: "role", value: "status"),
                    .text("\(count) added to your private contacts, with a follow-up in three days. "),
                    .a(.href(ContactRoutes.Pages.keepInTouch.path), .text("Keep in touch →"))
                )
            },
            .p(
                .class("hint"),
                .text(
                    "They become private contacts with this event on their timeline, and a reminder to follow up in three days. Only you see this."
                )
            ),
            .form(
                .class("card"),
                .method(.post),
                .action(EventRoutes.Pages.met.path(event.id)),
                csrfField(chrome.csrfToken),
                Field.summary(errors.errors),
                .fieldset(
                    .element(named: "legend", text: "People at the event"),
                    .forEach(attendees) { rsvp in
                        .div(
                            .class("check"),
                            .input(
                                .type(.checkbox),
                                .id("met-\(rsvp.member.handle)"),
                                .name("members"),
                                .value(rsvp.member.handle.rawValue)
                            ),
                            .label(.for("met-\(rsvp.member.handle)"), .text(rsvp.member.name))
                        )
                    }
                ),
                Field.textarea("note", label: "A note for all of them (optional)", value: "", errors: errors),
                .button(.type(.submit), .class("primary"), .text("Add to my contacts"))
            )
        )
    }
}
