import Foundation
import KithDomain
import Plot

/// The member's introductions in one role, and what they set for introductions reaching them.
struct IntroductionListPage {
    let chrome: PageChrome
    let role: IntroductionRole
    let introductions: [IntroductionView]
    let waitingForMe: Int
    let availability: AskAvailability
    var errors = FieldErrors()

    func document() -> HTML {
        let viewer = chrome.member?.id
        return Layout.page(
            title: "Introductions",
            chrome: chrome,
            .h1("Introductions"),
            Controls.subnav(
                "Introductions",
                IntroductionRole.allCases.map { tab in
                    Controls.Tab(
                        path: IntroductionRoutes.Pages.list.path + "?role=\(tab.rawValue)",
                        label: IntroductionViews.tabLabel(tab)
                            + (tab != .asker && tab == role && waitingForMe > 0 ? " (\(waitingForMe))" : ""),
                        current: tab == role
                    )
                }
            ),
            .p(.class("hint"), .text(IntroductionViews.roleHint(role))),
            introductions.isEmpty
                ? .p(.class("empty"), .text(IntroductionViews.empty(role)))
                : .ul(
                    .class("introductions"),
                    .forEach(introductions) { view in
                        .li(
                            .class("introduction card"),
                            .a(
                                .href(IntroductionRoutes.Pages.show.path(view.ask.id)),
                                .strong(.text(IntroductionViews.title(view, viewer: viewer)))
                            ),
                            .text(" "),
                            .span(.class("badge"), .text(IntroductionViews.statusWord(view.status))),
                            .p(.class("preview"), .text(view.ask.request))
                        )
                    }
                ),
            .if(
                role != .asker,
                .section(
                    .class("card"),
                    .h2("Introductions reaching you"),
                    .p(
                        .class("hint"),
                        .text(
                            "Set how many introductions may reach you in a month, or take a break. Askers are told only that you are not taking introductions just now."
                        )
                    ),
                    .form(
                        .method(.post),
                        .action(IntroductionRoutes.Pages.availability.path),
                        csrfField(chrome.csrfToken),
                        Field.text(
                            "monthly_limit",
                            label: "At most this many a month",
                            value: availability.monthlyLimit.map(String.init) ?? "",
                            errors: errors,
                            hint: "1 to 100; empty for no limit of your own."
                        ),
                        Field.text(
                            "paused_until",
                            label: "No introductions until",
                            value: availability.pausedUntil.map { IntroductionViews.day($0) } ?? "",
                            type: .date,
                            errors: errors
                        ),
                        .button(.type(.submit), .text("Save"))
                    )
                )
            )
        )
    }
}

/// Asking for an introduction: the connector, the purpose, a blurb written to be forwarded, the ask.
struct NewIntroductionPage {
    let chrome: PageChrome
    /// Nil when the page was opened without one: it says how to find one.
    let target: Member?
    /// Members connected to both the viewer and the target.
    let connectors: [MemberSummary]
    var via: String = ""
    var purpose: String = IntroductionPurpose.advice.rawValue
    var blurb: String = ""
    var ask: String = ""
    var errors = FieldErrors()

    func document() -> HTML {
        guard let target else {
            return Layout.page(
                title: "Ask for an introduction",
                chrome: chrome,
                .h1("Ask for an introduction"),
                Field.summary(errors.others(known: [])),
                .p(
                    .text("Find the person you would like to meet in the "),
                    .a(.href(ProfileRoutes.Pages.search.path), .text("directory")),
                    .text(
                        ". Their profile shows how you are connected; where a connection of yours knows them, “Ask … for an introduction” starts here."
                    )
                )
            )
        }
        return Layout.page(
            title: "Ask for an introduction to \(target.name)",
            chrome: chrome,
            .p(.a(.href(ProfileRoutes.Pages.show.path(target.handle)), .text("← \(target.name)"))),
            .h1(.text("Ask for an introduction to \(target.name)")),
            Field.summary(errors.others(known: ["via", "purpose", "blurb", "ask", "target"])),
            connectors.isEmpty
                ? .p(
                    .class("empty"),
                    .text("You have no connection in common with \(target.name), so there is nobody to ask for an introduction yet.")
                )
                : .form(
                    .method(.post),
                    .action(IntroductionRoutes.Pages.create.path),
                    csrfField(chrome.csrfToken),
                    .input(.type(.hidden), .name("target"), .value(target.handle.rawValue)),
                    .unwrap(errors.message("target")) { .p(.class("error"), .id("target-error"), .text($0)) },
                    Field.select(
                        "via",
                        label: "Who could introduce you",
                        options: connectors.map { ($0.handle.rawValue, $0.name) },
                        selected: via,
                        errors: errors
                    ),
                    Field.select(
                        "purpose",
                        label: "What it is for",
                        options: IntroductionPurpose.allCases.map { ($0.rawValue, IntroductionViews.purposeLabel($0)) },
                        selected: purpose,
                        errors: errors
                    ),
                    Field.textarea(
                        "blurb",
                        label: "About you, to be forwarded (up to \(IntroductionService.blurbLimit) characters)",
                        value: blurb,
                        errors: errors,
                        hint: "Write it so it can be passed on as it is: who you are, why \(target.name), what you have in common."
                    ),
                    Field.textarea(
                        "ask",
                        label: "Your ask (up to \(IntroductionService.askLimit) characters)",
                        value: ask,
                        errors: errors,
                        hint: "Specific and easy to say yes to — e.g. twenty minutes on a call about how their team hires."
                    ),
                    .p(
                        .class("hint"),
                        .text(
                            "\(target.name) sees nothing unless your connection forwards it. If it does not go ahead, you will read “not this time” — never who passed."
                        )
                    ),
                    .button(.type(.submit), .class("primary"), .text("Ask for the introduction"))
                )
        )
    }
}

/// One introduction, as the viewer's role lets them see it and act on it.
struct IntroductionPage {
    let chrome: PageChrome
    let view: IntroductionView
    /// Only for the connector: how they know each side, from their own relationship manager.
    let broker: BrokerContext?
    var note: String = ""
    var question: String = ""
    var errors = FieldErrors()

    func document() -> HTML {
        let viewer = chrome.member?.id
        let id = view.ask.id
        let isAsker = viewer == view.asker.id
        let holds = view.ask.holder == viewer && viewer != nil
        let isConnector = viewer == view.connector.id
        let notes = viewer.map { view.notes(for: $0) } ?? []
        return Layout.page(
            title: IntroductionViews.title(view, viewer: viewer),
            chrome: chrome,
            .p(.a(.href(IntroductionRoutes.Pages.list.path), .text("← Introductions"))),
            .h1(.text(IntroductionViews.title(view, viewer: viewer))),
            .p(
                .span(.class("badge"), .text(IntroductionViews.statusWord(view.status))),
                .text(" " + IntroductionViews.statusSentence(view, viewer: viewer))
            ),
            .section(
                .class("card"),
                .p(.strong("For: "), .text(IntroductionViews.purposeLabel(IntroductionPurpose(rawValue: view.ask.purpose) ?? .other))),
                .h2(.text(isAsker ? "What you wrote" : "From \(view.asker.name)")),
                .div(.class("body blurb"), MessageFormatting.render(view.ask.blurb)),
                .p(.strong("The ask: "), .text(view.ask.request)),
                .forEach(notes) { note in
                    .p(
                        .class("note"),
                        .strong(.text(note.author == view.connector.id ? "\(view.connector.name)'s note: " : "Note: ")),
                        .text(note.text)
                    )
                }
            ),
            .unwrap(broker) { IntroductionViews.brokerPanel($0, view: view) },
            .if(holds && isConnector, connectorActions(id)),
            .if(holds && !isConnector, targetActions(id)),
            .if(
                isAsker && view.ask.isOpen,
                Controls.postButton(IntroductionRoutes.Pages.withdraw.path(id), label: "Withdraw this request", csrf: chrome.csrfToken)
            ),
            .unwrap(view.conversation) { conversation in
                .p(.a(.class("button"), .href(MessageRoutes.Pages.show.path(conversation)), .text("Open the conversation of three")))
            },
            .if(isAsker && view.ask.stage == .accepted, outcomeSection(id)),
            .if(
                isAsker && view.status == .closed,
                .section(
                    .class("card notice"),
                    .p(
                        .text(
                            "Not this time. It may simply be timing. Another connection may know \(view.target.name) too, or someone else may help with the same ask."
                        )
                    ),
                    .p(.a(.href(ProfileRoutes.Pages.show.path(view.target.handle)), .text("See other paths to \(view.target.name) →")))
                )
            )
        )
    }

    private func connectorActions(_ id: Ask.ID) -> Node<HTML.BodyContext> {
        .section(
            .class("card"),
            .h2("Your answer"),
            .p(
                .class("hint"),
                .text(
                    "Forward it and \(view.target.name) decides; pass and \(view.asker.name) reads only “not this time”. Nobody is told who passed."
                )
            ),
            .form(
                .method(.post),
                .action(IntroductionRoutes.Pages.forward.path(id)),
                csrfField(chrome.csrfToken),
                Field.textarea(
                    "note",
                    label: "A note for \(view.target.name) (optional)",
                    value: note,
                    errors: errors,
                    hint: "Why you think they should talk."
                ),
                .button(.type(.submit), .class("primary"), .text("Forward to \(view.target.name)"))
            ),
            .form(
                .method(.post),
                .action(IntroductionRoutes.Pages.question.path(id)),
                csrfField(chrome.csrfToken),
                Field.textarea("question", label: "Or ask \(view.asker.name) for more first", value: question, errors: errors),
                .button(.type(.submit), .text("Send the question"))
            ),
            Controls.postButton(IntroductionRoutes.Pages.pass.path(id), label: "Pass, quietly", csrf: chrome.csrfToken)
        )
    }

    private func targetActions(_ id: Ask.ID) -> Node<HTML.BodyContext> {
        .section(
            .class("card"),
            .h2("Your answer"),
            .p(
                .class("hint"),
                .text("Accept and a conversation of three opens. Pass and nobody is told it was you.")
            ),
            .div(
                .class("actions"),
                Controls.postButton(
                    IntroductionRoutes.Pages.accept.path(id),
                    label: "Accept the introduction",
                    csrf: chrome.csrfToken,
                    primary: true
                ),
                Controls.postButton(IntroductionRoutes.Pages.pass.path(id), label: "Pass, quietly", csrf: chrome.csrfToken)
            )
        )
    }

    private func outcomeSection(_ id: Ask.ID) -> Node<HTML.BodyContext> {
        .section(
            .class("card"),
            .h2("What came of it?"),
            .unwrap(
                view.ask.outcome,
                { .p(.text("You said: " + IntroductionViews.outcomeLabel($0) + ".")) },
                else: .form(
                    .method(.post),
                    .action(IntroductionRoutes.Pages.outcome.path(id)),
                    csrfField(chrome.csrfToken),
                    Field.select(
                        "outcome",
                        label: "Outcome",
                        options: AskOutcome.allCases.map { ($0.rawValue, IntroductionViews.outcomeLabel($0)) },
                        selected: AskOutcome.met.rawValue,
                        errors: errors
                    ),
                    Field.textarea("note", label: "A note for your own records (optional)", value: "", errors: errors),
                    .p(
                        .class("hint"),
                        .text(
                            "Meeting is logged in your private contacts where you keep one for them, and you will be reminded to thank \(view.connector.name)."
                        )
                    ),
                    .button(.type(.submit), .class("primary"), .text("Save"))
                )
            )
        )
    }
}

enum IntroductionViews {
    static func title(_ view: IntroductionView, viewer: Member.ID?) -> String {
        switch viewer {
        case view.asker.id: "Your introduction to \(view.target.name) through \(view.connector.name)"
        case view.connector.id: "\(view.asker.name) asks you to introduce them to \(view.target.name)"
        default: "\(view.connector.name) would like to introduce you to \(view.asker.name)"
        }
    }

    static func statusWord(_ status: AskStatus) -> String {
        switch status {
        case .requested: "Waiting"
        case .forwarded: "Forwarded"
        case .waitingForYou: "Waiting for you"
        case .accepted: "Introduced"
        case .closed: "Not this time"
        case .withdrawn: "Withdrawn"
        }
    }

    static func statusSentence(_ view: IntroductionView, viewer: Member.ID?) -> String {
        let by = viewer.flatMap { view.answerBy(for: $0) }.map { " Answer by \(day($0))." } ?? ""
        switch view.status {
        case .requested: return "Your request is with your connection." + by
        case .forwarded: return "You forwarded it; \(view.target.name) decides." + by
        case .waitingForYou: return "It is waiting for your answer." + by
        case .accepted: return "Everyone said yes."
        case .closed: return viewer == view.asker.id ? "It did not go ahead." : "It is closed."
        case .withdrawn: return "You took it back."
        }
    }

    static func purposeLabel(_ purpose: IntroductionPurpose) -> String {
        switch purpose {
        case .advice: "Advice"
        case .referral: "A referral"
        case .hiring: "Hiring"
        case .mentorship: "Mentorship"
        case .collaboration: "Collaboration"
        case .other: "Something else"
        }
    }

    static func outcomeLabel(_ outcome: AskOutcome) -> String {
        switch outcome {
        case .met: "We met"
        case .helped: "They helped"
        case .hired: "Hired"
        case .noFit: "Not a fit"
        }
    }

    static func tabLabel(_ role: IntroductionRole) -> String {
        switch role {
        case .asker: "Asked for"
        case .connector: "To make"
        case .target: "To me"
        }
    }

    static func roleHint(_ role: IntroductionRole) -> String {
        switch role {
        case .asker: "Introductions you asked for. Start one from a member's profile, under “Warm introductions”."
        case .connector: "Members asking you to introduce them. Forward, ask for more, or pass — nobody is told who passed."
        case .target: "Introductions a connection forwarded to you. Accept to talk, or pass quietly."
        }
    }

    static func empty(_ role: IntroductionRole) -> String {
        switch role {
        case .asker: "You have not asked for an introduction yet."
        case .connector: "Nobody has asked you for an introduction."
        case .target: "No introductions to you yet."
        }
    }

    static func day(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle().year().month().day())
    }

    /// The connector's private context: how they know each side ("you have helped Dana twice").
    static func brokerPanel(_ context: BrokerContext, view: IntroductionView) -> Node<HTML.BodyContext> {
        func line(_ name: String, tie: UInt8?, ledger: LedgerEntry?) -> Node<HTML.ListContext> {
            var parts: [String] = []
            if let tie { parts.append("tie strength \(tie) of 255") }
            if let ledger {
                parts.append("you have helped \(name) \(times(ledger.given)); \(name) has helped you \(times(ledger.received))")
            } else {
                parts.append("not in your contacts")
            }
            return .li(.strong(.text(name + ": ")), .text(parts.joined(separator: "; ")))
        }
        return .section(
            .class("card private-note"),
            .h2("How you know them (only you see this)"),
            .ul(
                line(view.asker.name, tie: context.askerTie, ledger: context.askerLedger),
                line(view.target.name, tie: context.targetTie, ledger: context.targetLedger)
            )
        )
    }

    static func times(_ count: Int) -> String {
        switch count {
        case 0: "not yet"
        case 1: "once"
        case 2: "twice"
        default: "\(count) times"
        }
    }
}
