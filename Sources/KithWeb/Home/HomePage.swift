import KithDomain
import Plot

/// The front door. Signed out: what Kith is. Signed in: a greeting and next steps that fit the
/// member's career stage.
struct HomePage {
    let chrome: PageChrome
    let profile: ProfileView?
    let memberCount: Int
    var week: HomeWeek? = nil

    func document() -> HTML {
        guard let profile else { return landing() }
        let steps = Self.nextSteps(for: profile)
        return Layout.page(
            title: "Home",
            chrome: chrome,
            .section(
                .class("hero card"),
                .h1(.text("Hello, \(profile.name.split(separator: " ").first.map(String.init) ?? profile.name)")),
                .p(.class("lede"), .text(Self.greeting(for: profile.careerStage)))
            ),
            .unwrap(week) { week in
                .group(
                    // Transition mode: the member's own signal is on.
                    .unwrap(week.looking) { signal in
                        .section(
                            .class("card notice transition"),
                            .h2("Transition mode"),
                            .p(
                                .text(
                                    "Your circle of \(signal.circle.count) knows you are looking (\(LookingService.summary(signal))) — nobody else does."
                                )
                            ),
                            .ul(
                                .li(.a(.href(AskRoutes.Pages.new.path), .text("Ask the community for a job lead or an introduction"))),
                                .li(.a(.href(ProfileRoutes.Pages.search.path), .text("Find people at the places you want to work"))),
                                .li(.a(.href(LookingRoutes.Pages.looking.path), .text("Change your circle or what you are looking for")))
                            )
                        )
                    },
                    .if(
                        !week.supporting.isEmpty,
                        .section(.class("card"), .h2("Counting on you"), LookingViews.supportList(week.supporting))
                    ),
                    .section(
                        .class("card week"),
                        .id("plan"),
                        .div(
                            .class("heading-row"),
                            .h2("Your week"),
                            .a(.href(PlanRoutes.Pages.plan.path), .text(PlanViews.slotText(week.plan.slot)))
                        ),
                        PlanViews.items(week.plan, csrf: chrome.csrfToken, returnTo: ProfileRoutes.Pages.home.path)
                    ),
                    Self.waiting(week),
                    .if(
                        !week.events.isEmpty,
                        .section(
                            .class("card"),
                            .h2("Coming up"),
                            .ul(
                                .class("events"),
                                .forEach(week.events) { view in
                                    .li(
                                        .a(.href(EventRoutes.Pages.show.path(view.event.id)), .strong(.text(view.event.title))),
                                        .span(.class("muted"), .text(" · " + MessageViews.time(view.event.startsAt)))
                                    )
                                }
                            )
                        )
                    ),
                    .if(
                        !week.suggestions.isEmpty,
                        .section(
                            .class("card"),
                            .h2("People you may know"),
                            .ul(
                                .class("people compact"),
                                .forEach(week.suggestions) { suggestion in
                                    .li(
                                        .a(.href(ProfileRoutes.Pages.show.path(suggestion.member.handle)), .text(suggestion.member.name)),
                                        .if(
                                            !suggestion.reasons.isEmpty,
                                            .span(.class("meta"), .text(" · " + suggestion.reasons.joined(separator: " · ")))
                                        )
                                    )
                                }
                            )
                        )
                    )
                )
            },
            .section(
                .class("card"),
                .h2("Your next steps"),
                .ol(
                    .class("steps"),
                    .forEach(steps) { step in .li(.a(.href(step.link), .text(step.title)), .p(.class("hint"), .text(step.detail))) }
                )
            ),
            .section(
                .class("card"),
                .h2("Your community"),
                .p(.text("\(memberCount) members. "), .a(.href(ProfileRoutes.Pages.search.path), .text("Search the directory")))
            )
        )
    }

    /// What waits for the member, as counts that link to it (nothing shown when nothing waits).
    static func waiting(_ week: HomeWeek) -> Node<HTML.BodyContext> {
        let rows: [(Int, String, String)] = [
            (
                week.unreadConversations, "conversation\(week.unreadConversations == 1 ? "" : "s") with unread messages",
                MessageRoutes.Pages.inbox.path
            ),
            (
                week.messageRequests, "message request\(week.messageRequests == 1 ? "" : "s")",
                MessageRoutes.Pages.inbox.path + "?box=requests"
            ),
            (
                week.connectionRequests, "connection request\(week.connectionRequests == 1 ? "" : "s")",
                NetworkRoutes.Pages.network.path + "#incoming"
            ),
            (week.asksForMe, "ask\(week.asksForMe == 1 ? "" : "s") for help you could answer", AskRoutes.Pages.list.path),
            (
                week.introductionsWaiting, "introduction\(week.introductionsWaiting == 1 ? "" : "s") waiting for your answer",
                week.introductionsPath
            ),
            (week.peopleDue, "\(week.peopleDue == 1 ? "person" : "people") due a catch-up", ContactRoutes.Pages.keepInTouch.path),
            (
                week.unreadNotifications, "unread notification\(week.unreadNotifications == 1 ? "" : "s")",
                NotificationRoutes.Pages.centre.path
            ),
        ].filter { $0.0 > 0 }
        return .if(
            !rows.isEmpty,
            .section(
                .class("card"),
                .h2("Waiting for you"),
                .ul(.class("waiting"), .forEach(rows) { row in .li(.a(.href(row.2), .strong(.text("\(row.0)")), .text(" " + row.1))) })
            )
        )
    }

    private func landing() -> HTML {
        Layout.page(
            title: "Welcome",
            chrome: chrome,
            .section(
                .class("hero card"),
                .h1("Your community's professional network"),
                .p(
                    .class("lede"),
                    .text(
                        "Kith brings your alumni, association or cohort together — and gives every member a private place to keep the relationships that matter."
                    )
                ),
                .p(
                    .a(.class("button primary"), .href(AccountRoutes.Pages.signUpForm.path), .text("Join")),
                    .text(" "),
                    .a(.class("button"), .href(AccountRoutes.Pages.signInForm.path), .text("Sign in"))
                )
            ),
            .section(
                .class("grid"),
                .div(
                    .class("card"),
                    .h2("Find your people"),
                    .p(.text("Search classmates and colleagues by skill, cohort, employer and what they're open to."))
                ),
                .div(
                    .class("card"),
                    .h2("You decide who sees what"),
                    .p(.text("Every profile section can be shown to the community, your connections, or only you."))
                ),
                .div(
                    .class("card"),
                    .h2("Give before you ask"),
                    .p(.text("Mentoring, referrals and introductions between people who share a history."))
                )
            )
        )
    }

    struct Step: Sendable {
        let title: String
        let detail: String
        let link: String
    }

    static func greeting(for stage: CareerStage?) -> String {
        switch stage {
        case .student: "Your community is full of people who were where you are. Find a mentor and your first internship through them."
        case .earlyCareer: "Build the relationships that open doors: classmates, mentors and people one step ahead of you."
        case .midCareer: "Keep your network warm, look for your next move, and help the people coming up behind you."
        case .senior: "Your experience is what this community needs most. Mentor someone, give a referral, make an introduction."
        case .inTransition: "Between roles? Your community can help fast: tell them what you're looking for and who you'd like to meet."
        case .retired: "Stay close to the people you worked with, and pass on what you know to those starting out."
        case nil: "Tell the community where you are in your career, so Kith can suggest the right next steps."
        }
    }

    static func nextSteps(for profile: ProfileView) -> [Step] {
        var steps: [Step] = []
        if profile.headline.isEmpty || profile.careerStage == nil {
            steps.append(
                Step(
                    title: "Complete your profile",
                    detail: "A headline and career stage help people know how to help you.",
                    link: ProfileRoutes.Pages.editForm.path
                )
            )
        }
        if profile.affiliations?.isEmpty ?? true {
            steps.append(
                Step(
                    title: "Add your school and class year",
                    detail: "Classmates find each other by cohort.",
                    link: ProfileRoutes.Pages.editForm.path + "#affiliations"
                )
            )
        }
        switch profile.careerStage {
        case .student, .earlyCareer:
            steps.append(
                Step(
                    title: "Find a mentor",
                    detail: "Members open to mentoring, ready for a first conversation.",
                    link: ProfileRoutes.Pages.search.path + "?open_to=mentoring"
                )
            )
            steps.append(
                Step(
                    title: "Meet people hiring",
                    detail: "Members who say they are hiring.",
                    link: ProfileRoutes.Pages.search.path + "?open_to=hiring"
                )
            )
        case .inTransition:
            steps.append(
                Step(
                    title: "Say you're open to referrals",
                    detail: "Members who can refer you will find you.",
                    link: ProfileRoutes.Pages.editForm.path
                )
            )
            steps.append(
                Step(
                    title: "Find members who give referrals",
                    detail: "People who offered to refer community members.",
                    link: ProfileRoutes.Pages.search.path + "?open_to=giving_referrals"
                )
            )
        case .senior, .retired:
            steps.append(
                Step(
                    title: "Offer mentoring",
                    detail: "Students and early-career members are looking for you.",
                    link: ProfileRoutes.Pages.editForm.path
                )
            )
            steps.append(
                Step(
                    title: "Meet members looking for a mentor",
                    detail: "People who asked to be mentored.",
                    link: ProfileRoutes.Pages.search.path + "?open_to=being_mentored"
                )
            )
        case .midCareer, nil:
            steps.append(
                Step(
                    title: "Offer a coffee chat",
                    detail: "Low-key conversations keep a network alive.",
                    link: ProfileRoutes.Pages.search.path + "?open_to=coffee_chats"
                )
            )
            steps.append(
                Step(
                    title: "Find collaborators",
                    detail: "Members open to collaboration.",
                    link: ProfileRoutes.Pages.search.path + "?open_to=collaboration"
                )
            )
        }
        return steps
    }
}
