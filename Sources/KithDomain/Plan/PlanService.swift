public import Foundation

/// The weekly networking plan (the "lack of time" barrier): a slot a week, at most seven things
/// worth doing in it drawn from what already waits (message requests and replies, follow-ups,
/// people due a catch-up, a tie worth reviving, an event next week, someone to meet with a
/// conversation starter) and the member's goal as progress; one email at the slot when something
/// is actionable; the slot as a recurring event in the personal calendar feed. Private
/// relationship-manager data reaches only its owner's plan.
public struct PlanService: Sendable {
    private let plans: any PlanRepository
    private let members: any MemberRepository
    private let unsubscribe: UnsubscribeLinks
    private let profiles: any ProfileRepository
    private let contacts: ContactService
    private let messages: MessageService
    private let introductions: IntroductionService
    private let asks: HelpAskService
    private let looking: LookingService
    private let suggestions: SuggestionService
    private let events: any EventRepository
    private let notifications: any NotificationRepository
    private let links: any PageLinks
    private let publicURL: String
    private let now: @Sendable () -> Date

    public init(
        plans: any PlanRepository,
        members: any MemberRepository,
        unsubscribe: UnsubscribeLinks,
        profiles: any ProfileRepository,
        contacts: ContactService,
        messages: MessageService,
        introductions: IntroductionService,
        asks: HelpAskService,
        looking: LookingService,
        suggestions: SuggestionService,
        events: any EventRepository,
        notifications: any NotificationRepository,
        links: any PageLinks,
        publicURL: String,
        now: @escaping @Sendable () -> Date
    ) {
        self.plans = plans
        self.members = members
        self.unsubscribe = unsubscribe
        self.profiles = profiles
        self.contacts = contacts
        self.messages = messages
        self.introductions = introductions
        self.asks = asks
        self.looking = looking
        self.suggestions = suggestions
        self.events = events
        self.notifications = notifications
        self.links = links
        self.publicURL = publicURL
        self.now = now
    }

    /// The member's slot: theirs, or the suggestion for their career stage.
    public func slot(of member: Member) async throws -> WeeklySlot {
        if let stored = try await plans.slot(of: member.id) { return stored }
        return WeeklySlot.suggested(for: try await profiles.profile(of: member.id)?.careerStage)
    }

    public func setSlot(weekday: Int?, time: String?, timeZone: String?, minutes: Int?, of member: Member) async throws -> WeeklySlot {
        let slot = try WeeklySlot.parse(weekday: weekday, time: time, timeZone: timeZone, minutes: minutes)
        try await plans.saveSlot(slot, of: member.id)
        return slot
    }

    /// This week's plan: at most seven actionable items, varied, none done or put off; then the goal.
    public func plan(for member: Member) async throws -> WeeklyPlan {
        let moment = now()
        let weekAhead = moment.addingTimeInterval(7 * 86_400)
        // Every source is read at once (they are independent; a plan read them one after another,
        // ~30 reads in a row), then items are added in the order of importance below.
        async let profile = profiles.profile(of: member.id)
        async let storedSlot = plans.slot(of: member.id)
        async let storedStates = plans.states(of: member.id)
        async let supporting = looking.supporting(member)
        async let own = looking.own(member)
        async let asked = introductions.list(role: .asker, of: member, limit: 20)
        async let asksForMe = asks.forMe(member, limit: 10)
        async let introductionsWaiting = introductions.waiting(for: member)
        async let requestBox = messages.conversations(box: "requests", of: member, after: nil, limit: "20")
        async let inboxBox = messages.conversations(box: "inbox", of: member, after: nil, limit: "20")
        async let keepInTouch = contacts.keepInTouch(owner: member, dormantLimit: 3)
        async let thanks = contacts.thanksDue(owner: member, since: moment.addingTimeInterval(-30 * 86_400), limit: 1)
        async let eventsAhead = events.events(matching: EventQuery(upcomingAfter: moment, mine: member.id, limit: 10))
        async let someoneNew = suggestions.suggestions(for: member, limit: "3")
        let stage = try await profile?.careerStage
        let slot = try await storedSlot ?? WeeklySlot.suggested(for: stage)
        let states = try await storedStates
        func open(_ key: String) -> Bool {
            switch states[key] {
            case .done?: false
            case .snoozed(let until)?: until <= moment
            case nil: true
            }
        }
        var candidates: [PlanItem] = []
        func add(_ item: PlanItem) {
            if open(item.key), !candidates.contains(where: { $0.key == item.key }) { candidates.append(item) }
        }

        // Someone in transition counts on the member (their circle); the member's own transition.
        if let supported = try await supporting.first {
            add(
                PlanItem(
                    key: "circle:\(supported.member.id):\(Int64(supported.signal.updatedAt.timeIntervalSince1970))",
                    kind: .ask,
                    text: "\(supported.member.name) counts on you: \(LookingService.summary(supported.signal)) A lead or an introduction?",
                    link: links.member(supported.member.handle)
                )
            )
        }
        if try await own.signal.active {
            add(
                PlanItem(
                    key: "transition:\(Int64(slot.weekStart(of: moment).timeIntervalSince1970))",
                    kind: .goal,
                    text: "Transition week: ask for a job lead or an introduction, and tell your circle what you learned",
                    link: links.askForHelp
                )
            )
        }
        // An introduction that happened, whose outcome the asker has not said (it feeds their
        // relationship manager and a thank-you to the connector).
        if let done = try await asked.first(where: {
            $0.ask.stage == .accepted && $0.ask.outcome == nil
        }) {
            add(
                PlanItem(
                    key: "outcome:\(done.ask.id)",
                    kind: .followUp,
                    text: "How did it go with \(done.target.name)? Say what came of \(done.connector.name)'s introduction",
                    link: links.introduction(done.ask.id)
                )
            )
        }
        // Waiting for the member: someone asked for help they may give, introductions to answer
        // (they lapse), message requests, then replies.
        if let ask = try await asksForMe.first(where: { $0.offers.isEmpty }) {
            add(
                PlanItem(
                    key: "ask:\(ask.ask.id)",
                    kind: .ask,
                    text: "\(ask.asker.name) asks for \(ask.kind.phrase): \(ask.ask.request)",
                    link: links.ask(ask.ask.id)
                )
            )
        }
        for view in try await introductionsWaiting.prefix(2) {
            let toMake = view.connector.id == member.id
            add(
                PlanItem(
                    key: "ask:\(view.ask.id):\(view.ask.step)",
                    kind: .ask,
                    text: toMake
                        ? "\(view.asker.name) asks you for an introduction to \(view.target.name): forward, ask for more or pass"
                        : "\(view.connector.name) would like to introduce you to \(view.asker.name): accept or pass",
                    link: links.introduction(view.ask.id)
                )
            )
        }
        // Waiting for the member: message requests, then replies.
        let requests = try await requestBox.items
        if let first = requests.first {
            add(
                PlanItem(
                    key: "question:requests:\(first.conversation.id):\(first.conversation.lastSequence)",
                    kind: .question,
                    text: requests.count == 1
                        ? "\(first.others.first?.name ?? "Someone") wrote to you for the first time: accept or ignore"
                        : "\(requests.count) message requests are waiting: accept or ignore",
                    link: links.conversation(first.conversation.id)
                )
            )
        }
        let inbox = try await inboxBox.items
        for summary in inbox.filter({ $0.unreadCount > 0 }).prefix(1) {
            add(
                PlanItem(
                    key: "question:\(summary.conversation.id):\(summary.conversation.lastSequence)",
                    kind: .question,
                    text: "Reply to \(summary.others.map(\.name).prefix(2).joined(separator: ", "))",
                    link: links.conversation(summary.conversation.id)
                )
            )
        }

        // The relationship manager (the member's own, private).
        let board = try await keepInTouch
        for followUp in board.followUps.filter({ $0.dueAt <= weekAhead }).prefix(2) {
            let name = board.followUpContacts[followUp.contactID] ?? "a contact"
            add(
                PlanItem(
                    key: "follow_up:\(followUp.id)",
                    kind: .followUp,
                    text: "Follow up with \(name): \(followUp.text)",
                    link: links.contact(followUp.contactID)
                )
            )
        }
        for view in (board.overdue + board.due).prefix(2) {
            add(
                PlanItem(
                    key: "keep_in_touch:\(view.contact.id):\(Int64(view.state.nextDueAt?.timeIntervalSince1970 ?? 0))",
                    kind: .keepInTouch,
                    text: "Catch up with \(view.contact.name)" + (view.status == .overdue ? " (overdue)" : ""),
                    link: links.contact(view.contact.id)
                )
            )
        }
        if let tie = board.dormantWorthReviving.first {
            add(
                PlanItem(
                    key: "reconnect:\(tie.contact.contact.id)",
                    kind: .reconnect,
                    text: "Reconnect with \(tie.contact.contact.name)",
                    link: links.contact(tie.contact.contact.id),
                    starter: tie.message
                )
            )
        }

        // Someone who helped recently and has not heard from the member since.
        if let due = try await thanks.first {
            let phrase = (due.help.help ?? .other).thanksPhrase
            add(
                PlanItem(
                    key: "thank:\(due.help.id)",
                    kind: .thank,
                    text: "Thank \(due.contact.name) for \(phrase)",
                    link: links.contact(due.contact.id),
                    starter:
                        "Hi \(due.contact.name.split(separator: " ").first ?? ""), thank you again for \(phrase) — it made a difference. How are things with you?"
                )
            )
        }

        // Events in the week ahead that the member is going to.
        let upcoming = try await eventsAhead
        for event in upcoming where event.startsAt <= weekAhead {
            let status = try await events.rsvp(of: member.id, to: event.id)?.status
            guard status == .going || event.organizerID == member.id else { continue }
            add(
                PlanItem(
                    key: "event:\(event.id)",
                    kind: .event,
                    text: "\(event.title) is coming up: see who to meet there",
                    link: links.event(event.id)
                )
            )
            break
        }

        // Someone new, with something to say (the introversion barrier).
        if let suggestion = try await someoneNew.first {
            let reason = suggestion.reasons.first.map { $0.prefix(1).lowercased() + $0.dropFirst() } ?? "you may have things in common"
            add(
                PlanItem(
                    key: "meet:\(suggestion.member.handle)",
                    kind: .meet,
                    text: "Say hello to \(suggestion.member.name)",
                    link: links.member(suggestion.member.handle),
                    starter:
                        "Hi \(suggestion.member.name.split(separator: " ").first ?? ""), Kith suggested we talk — \(reason). Would you be up for a short chat?"
                )
            )
        }

        var items = WeeklyPlan.varied(candidates, room: WeeklyPlan.maxItems)
        let goal = NetworkingGoal.suggested(for: stage)
        let periodStart: Date = {
            var calendar = Calendar(identifier: .iso8601)
            calendar.timeZone = TimeZone(identifier: slot.timeZone) ?? .gmt
            return calendar.dateInterval(of: goal.period == .week ? .weekOfYear : .month, for: moment)?.start ?? moment
        }()
        let progress = GoalProgress(goal: goal, done: try await plans.conversationsHad(by: member.id, since: periodStart))
        items.append(
            PlanItem(key: "goal:\(Int64(periodStart.timeIntervalSince1970))", kind: .goal, text: progress.text, link: links.keepInTouch)
        )
        return WeeklyPlan(weekOf: slot.weekStart(of: moment), slot: slot, items: items, goal: progress)
    }

    /// Done, or not now (`snooze`: a week; `less_often`: four weeks).
    public func mark(_ key: String, action rawAction: String?, for member: Member) async throws {
        guard !key.isEmpty, key.count <= 200 else { throw DomainError.invalid(field: "key", reason: "must name an item of your plan") }
        let moment = now()
        let state: PlanItemState
        switch rawAction {
        case "done": state = .done(at: moment)
        case "snooze": state = .snoozed(until: moment.addingTimeInterval(7 * 86_400))
        case "less_often": state = .snoozed(until: moment.addingTimeInterval(28 * 86_400))
        default: throw DomainError.invalid(field: "action", reason: "must be one of: done, snooze, less_often")
        }
        try await plans.setState(state, of: key, for: member.id)
    }

    /// The weekly email as it would go now, or nil when nothing is actionable (the member cleared
    /// the plan, or nothing waits). Items already emailed in an earlier week are left out.
    public func weeklyEmail(for member: Member, email: String) async throws -> (mail: OutgoingMail, keys: [String])? {
        let plan = try await plan(for: member)
        let emailed = try await plans.emailedKeys(of: member.id)
        let fresh = plan.items.filter { $0.kind != .goal && !emailed.contains($0.key) }
        guard !fresh.isEmpty else { return nil }
        let settings = try await notifications.settings(of: member.id)
        guard settings.delivery(for: .weeklyPlan).email != .off else { return nil }
        // The notices the member asked to receive in this email (never a message's words).
        let waiting = try await notifications.notifications(
            of: member.id,
            kinds: NotificationKind.allCases.filter { settings.delivery(for: $0).email == .digest },
            unreadOnly: true,
            limit: 10
        )
        let moment = now()
        let weekOf = plan.slot.weekStart(of: moment)
        var lines = ["Hi \(member.name),", "", "Your \(plan.slot.minutes) minutes of networking this week:", ""]
        for (index, item) in fresh.enumerated() {
            lines.append("\(index + 1). \(item.text)")
            lines.append("   " + publicURL + item.link)
            if let starter = item.starter { lines.append("   Try: \"\(starter)\"") }
        }
        lines += ["", plan.goal.text + "."]
        if !waiting.isEmpty {
            lines += ["", "Also waiting for you in Kith:"]
            lines += waiting.map { "- " + $0.title }
        }
        lines += ["", "Your whole plan: " + publicURL + links.home, "", "— Kith"]
        let mail = OutgoingMail(
            id: .make(at: moment),
            memberID: member.id,
            key: "weekly-plan:\(Int64(weekOf.timeIntervalSince1970))",
            kind: .weeklyPlan,
            to: email,
            subject: "Your networking plan for this week",
            body: lines.joined(separator: "\n"),
            createdAt: moment
        )
        return (mail, fresh.map(\.key))
    }

    /// The member's next weekly email, as it would be sent (with its unsubscribe link), without
    /// recording or sending anything: `kith digest --member HANDLE --print`. Nil when nothing is
    /// actionable.
    public func previewWeeklyEmail(handle raw: String) async throws -> OutgoingMail? {
        guard let handle = try? Handle(raw, field: "member"), let member = try await members.member(handle: handle) else {
            throw DomainError.notFound("member")
        }
        guard var mail = try await weeklyEmail(for: member, email: member.email.rawValue)?.mail else { return nil }
        try await unsubscribe.attach(to: &mail, publicURL: publicURL, links: links)
        return mail
    }

    /// One pass of the weekly email job: every member whose slot has come this week and whose
    /// week's email is not recorded gets it (when something is actionable), exactly once — the
    /// record and the queued email commit together. Returns how many were queued.
    ///
    /// `concurrency` members' emails are built at once: more spreads the plans' reads over the
    /// store's readers and lets records share group commits (20,000 members: 139 s one at a time,
    /// 53 s eight at a time), but the server's own job runs one at a time — eight at once took
    /// both cores from interactive requests during a 100,000-member run (the soak's single-member
    /// routes lost half their throughput).
    @discardableResult
    public func sendWeeklyEmails(batch: Int = 500, concurrency: Int = 1) async throws -> Int {
        let moment = now()
        let weekOf = WeeklySlot.suggested(for: nil).weekStart(of: moment)
        var after: Member.ID?
        var queued = 0
        while true {
            let candidates = try await plans.membersAwaitingWeeklyEmail(weekOf: weekOf, after: after, limit: batch)
            let due = candidates.filter { candidate in
                moment >= (candidate.slot ?? WeeklySlot.suggested(for: candidate.stage)).start(inWeekOf: moment)
            }
            queued += try await withThrowingTaskGroup(of: Bool.self) { group in
                var sent = 0
                var running = 0
                for candidate in due {
                    if running >= max(1, concurrency) {
                        if try await group.next() == true { sent += 1 }
                        running -= 1
                    }
                    group.addTask {
                        guard let (mail, keys) = try await weeklyEmail(for: candidate.member, email: candidate.email) else { return false }
                        return try await plans.recordWeeklyEmail(for: candidate.member.id, weekOf: weekOf, keys: keys, mail: mail)
                    }
                    running += 1
                }
                for try await recorded in group where recorded { sent += 1 }
                return sent
            }
            guard candidates.count == batch, let last = candidates.last else { return queued }
            after = last.member.id
        }
    }

    /// The slot as a weekly recurring calendar event whose description is this week's plan.
    public func calendarEntry(for member: Member) async throws -> RecurringCalendarEntry {
        let plan = try await plan(for: member)
        // A calendar feed is fetched by calendar services too: the description says what kind of
        // thing waits, never whom a private contact, follow-up or message concerns.
        let description =
            ["Your networking plan this week:"]
            + plan.items.map { item in "- " + (item.kind == .goal ? item.text : item.kind.calendarLine) }
            + ["", "Open Kith: " + publicURL + links.home]
        return RecurringCalendarEntry(
            uid: "weekly-plan-\(member.id)@kith",
            summary: "Networking time (Kith)",
            description: description.joined(separator: "\n"),
            slot: plan.slot,
            firstWeek: plan.weekOf,
            url: publicURL + links.home
        )
    }
}

/// A recurring event in a personal calendar feed (the weekly networking slot).
public struct RecurringCalendarEntry: Sendable {
    public var uid: String
    public var summary: String
    public var description: String
    public var slot: WeeklySlot
    public var firstWeek: Date
    public var url: String
}
