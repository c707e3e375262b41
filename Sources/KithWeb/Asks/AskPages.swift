import Foundation
import KithDomain
import Plot

/// Which list of asks a page shows.
enum AskTab: String, CaseIterable {
    case forMe = "for_me"
    case mine

    var label: String { self == .forMe ? "You could help" : "Your asks" }
}

/// Asks that reached the member (with why), or their own.
struct AskListPage {
    let chrome: PageChrome
    let tab: AskTab
    let asks: [HelpAskView]

    func document() -> HTML {
        Layout.page(
            title: "Asks",
            chrome: chrome,
            .div(
                .class("heading-row"),
                .h1("Asks"),
                .a(.class("button"), .href(AskRoutes.Pages.new.path), .text("Ask for help"))
            ),
            Controls.subnav(
                "Asks",
                AskTab.allCases.map {
                    Controls.Tab(path: AskRoutes.Pages.list.path + "?tab=\($0.rawValue)", label: $0.label, current: $0 == tab)
                }
            ),
            .p(
                .class("hint"),
                .text(
                    tab == .forMe
                        ? "Kith asks a few members who seem best placed to help, never everyone. Letting one pass is private: nobody is told."
                        : "Each ask goes to a few members most able to help. Accept an offer to start talking; resolve it to thank who helped."
                )
            ),
            asks.isEmpty
                ? .p(.class("empty"), .text(tab == .forMe ? "Nothing waiting for you just now." : "You have not asked for help yet."))
                : .ul(
                    .class("asks"),
                    .forEach(asks) { view in
                        .li(
                            .class("ask card"),
                            .a(.href(AskRoutes.Pages.show.path(view.ask.id)), .strong(.text(view.ask.request))),
                            .text(" "),
                            .span(.class("badge"), .text(AskViews.statusWord(view))),
                            .p(.class("muted"), .text(AskViews.byline(view, viewer: chrome.member?.id))),
                            .unwrap(view.reason) { .p(.class("why"), .text("Why you: " + $0 + ".")) }
                        )
                    }
                )
        )
    }
}

/// Asking for help, after the asks the member could answer first.
struct NewAskPage {
    let chrome: PageChrome
    /// Open asks that reached the member: give before you ask.
    let giveFirst: [HelpAskView]
    var kind = HelpAskKind.advice.rawValue
    var title = ""
    var body = ""
    var audience = AskAudience.connections.rawValue
    var skills = ""
    var organization = ""
    var errors = FieldErrors()

    func document() -> HTML {
        Layout.page(
            title: "Ask for help",
            chrome: chrome,
            .h1("Ask for help"),
            .if(
                !giveFirst.isEmpty,
                .section(
                    .class("card give-first"),
                    .h2("Give before you ask"),
                    .p(.text("These members asked for help that you may be able to give:")),
                    .ul(
                        .forEach(giveFirst) { view in
                            .li(
                                .a(.href(AskRoutes.Pages.show.path(view.ask.id)), .text(view.ask.request)),
                                .text(" — \(view.asker.name)")
                            )
                        }
                    )
                )
            ),
            Field.summary(errors.others(known: ["kind", "title", "body", "audience", "skills", "organization", "group"])),
            .form(
                .method(.post),
                .action(AskRoutes.Pages.create.path),
                csrfField(chrome.csrfToken),
                Field.select(
                    "kind",
                    label: "What you need",
                    options: HelpAskKind.allCases.map { ($0.rawValue, AskViews.kindLabel($0)) },
                    selected: kind,
                    errors: errors
                ),
                Field.text(
                    "title",
                    label: "In one line (up to \(HelpAskService.titleLimit) characters)",
                    value: title,
                    errors: errors,
                    required: true
                ),
                Field.textarea(
                    "body",
                    label: "The details",
                    value: body,
                    errors: errors,
                    hint: "What you have tried, what would help most, and by when."
                ),
                Field.select(
                    "audience",
                    label: "Who may be asked",
                    options: [AskAudience.connections, .secondDegree, .community].map { ($0.rawValue, AskViews.audienceLabel($0)) },
                    selected: audience,
                    errors: errors
                ),
                .unwrap(errors.message("group")) { .p(.class("error"), .text($0)) },
                Field.text(
                    "skills",
                    label: "Skills that would help (optional)",
                    value: skills,
                    errors: errors,
                    hint: "Up to \(HelpAskService.skillsLimit), separated by commas."
                ),
                Field.text("organization", label: "An organisation (optional)", value: organization, errors: errors),
                .p(
                    .class("hint"),
                    .text(
                        "Kith asks at most \(AskRouter.perAsk) members who seem best placed, and tells each why. You see the offers — never who let it pass."
                    )
                ),
                .button(.type(.submit), .class("primary"), .text("Ask"))
            )
        )
    }
}

/// One ask: the asker's offers and choices, or a helper's reason and answer.
struct AskPage {
    let chrome: PageChrome
    let view: HelpAskView
    var note = ""
    var errors = FieldErrors()

    func document() -> HTML {
        let id = view.ask.id
        let isAsker = chrome.member?.id == view.asker.id
        let open = view.ask.isOpen
        let myOffer = isAsker ? nil : view.offers.first
        return Layout.page(
            title: view.ask.request,
            chrome: chrome,
            .p(.a(.href(AskRoutes.Pages.list.path + (isAsker ? "?tab=mine" : "")), .text("← Asks"))),
            .h1(.text(view.ask.request)),
            .p(.span(.class("badge"), .text(AskViews.statusWord(view))), .text(" " + AskViews.byline(view, viewer: chrome.member?.id))),
            .section(
                .class("card"),
                .div(.class("body"), MessageFormatting.render(view.ask.blurb)),
                .if(
                    !view.ask.topic.skills.isEmpty || !view.ask.topic.organization.isEmpty,
                    .p(
                        .class("muted"),
                        .text(
                            ([view.ask.topic.skills.joined(separator: ", ")] + [view.ask.topic.organization]).filter { !$0.isEmpty }
                                .joined(separator: " · ")
                        )
                    )
                )
            ),
            .unwrap(view.reason) { .p(.class("why"), .text("Why you: " + $0 + ".")) },
            Field.summary(errors.others(known: ["note", "helped_by"])),
            isAsker ? askerSection(id, open: open) : helperSection(id, open: open, offer: myOffer)
        )
    }

    private func helperSection(_ id: Ask.ID, open: Bool, offer: HelpAskView.Offer?) -> Node<HTML.BodyContext> {
        if let offer {
            return .section(.class("card"), .h2("Your offer"), .p(.text(offer.offer.note)))
        }
        guard open else { return .p(.class("muted"), .text("This ask is closed.")) }
        return .section(
            .class("card"),
            .h2("Can you help?"),
            .form(
                .method(.post),
                .action(AskRoutes.Pages.offer.path(id)),
                csrfField(chrome.csrfToken),
                Field.textarea("note", label: "Your offer", value: note, errors: errors, hint: "How you could help, and how to reach you."),
                .button(.type(.submit), .class("primary"), .text("Offer help"))
            ),
            Controls.postButton(AskRoutes.Pages.decline.path(id), label: "Not for me", csrf: chrome.csrfToken)
        )
    }

    private func askerSection(_ id: Ask.ID, open: Bool) -> Node<HTML.BodyContext> {
        .group(
            .section(
                .class("card"),
                .h2("Offers"),
                view.offers.isEmpty
                    ? .p(.class("empty"), .text(open ? "No offers yet." : "No offers."))
                    : .ul(
                        .class("offers"),
                        .forEach(view.offers) { offer in
                            .li(
                                .strong(.text(offer.helper.name)),
                                .text(": " + offer.offer.note + " "),
                                offer.offer.acceptedAt == nil
                                    ? Controls.postButton(
                                        AskRoutes.Pages.acceptOffer.path(id, offer.offer.id),
                                        label: "Accept and talk",
                                        csrf: chrome.csrfToken,
                                        primary: true
                                    )
                                    : .a(.href(MessageLinks.write(to: offer.helper.handle)), .text("Accepted — write to them"))
                            )
                        }
                    )
            ),
            .if(
                open,
                .section(
                    .class("card"),
                    .h2("Resolve it"),
                    .form(
                        .method(.post),
                        .action(AskRoutes.Pages.resolve.path(id)),
                        csrfField(chrome.csrfToken),
                        .fieldset(
                            .element(named: "legend", text: "Who helped"),
                            .forEach(view.offers) { offer in
                                .div(
                                    .class("check"),
                                    .input(
                                        .type(.checkbox),
                                        .id("helped-\(offer.helper.handle)"),
                                        .name("helped_by"),
                                        .value(offer.helper.handle.rawValue)
                                    ),
                                    .label(.for("helped-\(offer.helper.handle)"), .text(offer.helper.name))
                                )
                            }
                        ),
                        .unwrap(errors.message("helped_by")) { .p(.class("error"), .text($0)) },
                        Field.textarea("note", label: "A thank-you note (optional)", value: note, errors: errors),
                        .button(.type(.submit), .class("primary"), .text("Resolve and thank"))
                    ),
                    Controls.postButton(AskRoutes.Pages.withdraw.path(id), label: "Withdraw this ask", csrf: chrome.csrfToken)
                )
            )
        )
    }
}

enum AskViews {
    static func statusWord(_ view: HelpAskView) -> String {
        switch view.status {
        case .requested, .forwarded: "Open"
        case .waitingForYou: view.offers.isEmpty ? "Could you help?" : "You offered"
        case .accepted: "Resolved"
        case .closed: "Closed"
        case .withdrawn: "Withdrawn"
        }
    }

    static func byline(_ view: HelpAskView, viewer: Member.ID?) -> String {
        let kind = kindLabel(view.kind)
        if viewer == view.asker.id {
            let sent = view.sentTo.map { " · asked of \($0) member\($0 == 1 ? "" : "s")" } ?? ""
            let offers = " · \(view.offers.count) offer\(view.offers.count == 1 ? "" : "s")"
            return kind + sent + offers
        }
        return "\(view.asker.name) asks for \(view.kind.phrase)"
    }

    static func kindLabel(_ kind: HelpAskKind) -> String {
        switch kind {
        case .advice: "Advice"
        case .feedback: "Feedback"
        case .jobLead: "A job lead"
        case .referral: "A referral"
        case .introduction: "An introduction"
        case .collaboration: "A collaborator"
        case .other: "Something else"
        }
    }

    static func audienceLabel(_ audience: AskAudience) -> String {
        switch audience {
        case .connections: "My connections"
        case .secondDegree: "My connections and theirs"
        case .community: "The whole community"
        case .group: "A group"
        }
    }
}
