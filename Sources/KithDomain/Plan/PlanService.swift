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
    /// `readingEveryStore`: read every store the plan draws on rather than first asking which hold
    /// anything for the member (the same plan, more reads; tests compare the two).
    public func plan(for member: Member, readingEveryStore: Bool = false) async throws -> WeeklyPlan {
        let moment = now()
        let present: PlanSourceSet? = readingEveryStore ? .all : nil
        return plan(from: try await sources(of: member, known: nil, present: present, at: moment), for: member, at: moment)
    }

    /// What the weekly run already read for a member with the rest of their batch.
    struct KnownSources: Sendable {
        var slot: WeeklySlot
        var stage: CareerStage?
        /// The member's suggestions, computed for the whole batch at once (nil: not computed).
        var suggestions: [Suggestion]?
        /// The keys of items emailed to the member before, read for the whole batch at once (nil:
        /// not read).
        var emailed: Set<String>? = nil
    }

    /// Reads what the member's plan is made of. `known`: their slot, career stage and suggestions
    /// when the caller has them (the weekly run reads them with its batch); `present`: the stores worth
    /// reading — the others are known to hold nothing for the member, and read as empty; nil: ask
    /// (one statement) while the slot, stage and suggestions are read.
    func sources(
        of member: Member,
        known: KnownSources?,
        present given: PlanSourceSet?,
        at moment: Date
    ) async throws -> PlanSources {
        // Most members of a large community keep nothing in any of the stores (the weekly run knows
        // which, for its whole batch): their plan is their slot, suggestion and goal, with no read
        // and no child task — a dozen `async let`s cost more than the rest of such an email.
        if let known, let suggestions = known.suggestions, let given, given.isDisjoint(with: .planItems) {
            return .nothingStored(slot: known.slot, stage: known.stage, suggestion: suggestions.first, at: moment)
        }
        let weekAhead = moment.addingTimeInterval(7 * 86_400)
        func when<T: Sendable>(_ wanted: Bool, or empty: T, _ read: () async throws -> T) async throws -> T {
            wanted ? try await read() : empty
        }
        // Every source is read at once (they are independent; a plan read them one after another,
        // ~30 reads in a row): first what every plan needs, with the question of which stores hold
        // anything for the member; then those stores.
        async let profile = when(known == nil, or: nil) { try await profiles.profile(of: member.id) }
        async let storedSlot = when(known == nil, or: nil) { try await plans.slot(of: member.id) }
        async let someoneNew = when(known?.suggestions == nil, or: known?.suggestions ?? []) {
            try await suggestions.suggestions(for: member, limit: "3")
        }
        let present: PlanSourceSet
        if let given { present = given } else { present = try await plans.sourcesPresent(of: member.id) }
        async let states = when(present.contains(.itemStates), or: [:]) { try await plans.states(of: member.id) }
        async let supporting = when(present.contains(.lookingCircle), or: []) { try await looking.supporting(member) }
        async let inTransition = when(present.contains(.lookingSignal), or: false) { try await looking.own(member).signal.active }
        async let asked = when(present.contains(.asksMade), or: []) { try await introductions.list(role: .asker, of: member, limit: 20) }
        async let asksForMe = when(present.contains(.asksRouted), or: []) { try await asks.forMe(member, limit: 10) }
        async let introductionsWaiting = when(present.contains(.asksRouted), or: []) { try await introductions.waiting(for: member) }
        async let requests = when(present.contains(.conversations), or: []) {
            try await messages.conversations(box: "requests", of: member, after: nil, limit: "20").items
        }
        async let inbox = when(present.contains(.conversations), or: []) {
            try await messages.conversations(box: "inbox", of: member, after: nil, limit: "20").items
        }
        async let board = when(present.contains(.contacts), or: .empty) { try await contacts.keepInTouch(owner: member, dormantLimit: 3) }
        async let thanks = when(present.contains(.contacts), or: nil) {
            try await contacts.thanksDue(owner: member, since: moment.addingTimeInterval(-30 * 86_400), limit: 1).first
        }
        async let eventAhead = when(present.contains(.events), or: nil) { try await event(of: member, from: moment, until: weekAhead) }
        let slot: WeeklySlot
        let stage: CareerStage?
        if let known {
            (slot, stage) = (known.slot, known.stage)
        } else {
            stage = try await profile?.careerStage
            slot = try await storedSlot ?? WeeklySlot.suggested(for: stage)
        }
        let periodStart = NetworkingGoal.suggested(for: stage).periodStart(at: moment, slot: slot)
        let conversationsHad = try await when(!present.isDisjoint(with: [.contacts, .conversations]), or: 0) {
            try await plans.conversationsHad(by: member.id, since: periodStart)
        }
        return PlanSources(
            slot: slot,
            stage: stage,
            states: try await states,
            supported: try await supporting.first,
            inTransition: try await inTransition,
            asked: try await asked,
            asksForMe: try await asksForMe,
            introductionsWaiting: try await introductionsWaiting,
            requests: try await requests,
            inbox: try await inbox,
            board: try await board,
            thanks: try await thanks,
            eventAhead: try await eventAhead,
            suggestion: try await someoneNew.first,
            periodStart: periodStart,
            conversationsHad: conversationsHad
        )
    }

    /// The first event in the week ahead that the member goes to or organises.
    private func event(of member: Member, from moment: Date, until weekAhead: Date) async throws -> Event? {
        for event in try await events.events(matching: EventQuery(upcomingAfter: moment, mine: member.id, limit: 10))
        where event.startsAt <= weekAhead {
            let status = try await events.rsvp(of: member.id, to: event.id)?.status
            if status == .going || event.organizerID == member.id { return event }
        }
        return nil
    }

    /// The plan from what was read: the items in order of importance, at most seven and varied,
    /// those done or put off left out, then the goal.
    func plan(from sources: PlanSources, for member: Member, at moment: Date) -> WeeklyPlan {
        let weekAhead = moment.addingTimeInterval(7 * 86_400)
        let slot = sources.slot
        let states = sources.states
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
        if let supported = sources.supported {
            add(
                PlanItem(
                    key: "circle:\(supported.member.id):\(Int64(supported.signal.updatedAt.timeIntervalSince1970))",
                    kind: .ask,
                    text: "\(supported.member.name) counts on you: \(LookingService.summary(supported.signal)) A lead or an introduction?",
                    link: links.member(supported.member.handle)
                )
            )
        }
        if sources.inTransition {
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
        if let done = sources.asked.first(where: {
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
        if let ask = sources.asksForMe.first(where: { $0.offers.isEmpty }) {
            add(
                PlanItem(
                    key: "ask:\(ask.ask.id)",
                    kind: .ask,
                    text: "\(ask.asker.name) asks for \(ask.kind.phrase): \(ask.ask.request)",
                    link: links.ask(ask.ask.id)
                )
            )
        }
        for view in sources.introductionsWaiting.prefix(2) {
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
        let requests = sources.requests
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
        let inbox = sources.inbox
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
        let board = sources.board
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
        if let due = sources.thanks {
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

        // An event in the week ahead that the member is going to.
        if let event = sources.eventAhead {
            add(
                PlanItem(
                    key: "event:\(event.id)",
                    kind: .event,
                    text: "\(event.title) is coming up: see who to meet there",
                    link: links.event(event.id)
                )
            )
        }

        // Someone new, with something to say (the introversion barrier).
        if let suggestion = sources.suggestion {
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
        let progress = GoalProgress(goal: NetworkingGoal.suggested(for: sources.stage), done: sources.conversationsHad)
        items.append(
            PlanItem(
                key: "goal:\(Int64(sources.periodStart.timeIntervalSince1970))",
                kind: .goal,
                text: progress.text,
                link: links.keepInTouch
            )
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
        try await weeklyEmail(for: member, email: email, known: nil, present: .all)
    }

    /// The same, reading only the stores in `present` (the weekly run knows, for a batch of
    /// members at once, which stores hold nothing for each).
    private func weeklyEmail(
        for member: Member,
        email: String,
        known: KnownSources?,
        present: PlanSourceSet
    ) async throws -> (mail: OutgoingMail, keys: [String])? {
        let moment = now()
        let plan = plan(from: try await sources(of: member, known: known, present: present, at: moment), for: member, at: moment)
        let emailed: Set<String>
        if let known = known?.emailed {
            emailed = known
        } else {
            emailed = present.contains(.weeklyEmails) ? try await plans.emailedKeys(of: member.id) : []
        }
        let fresh = plan.items.filter { $0.kind != .goal && !emailed.contains($0.key) }
        guard !fresh.isEmpty else { return nil }
        let settings =
            present.contains(.notificationSettings) ? try await notifications.settings(of: member.id) : NotificationSettings(stored: [:])
        guard settings.delivery(for: .weeklyPlan).email != .off else { return nil }
        // The notices the member asked to receive in this email (never a message's words).
        let digestKinds = NotificationKind.allCases.filter { settings.delivery(for: $0).email == .digest }
        let waiting =
            present.contains(.notifications)
            ? try await notifications.notifications(of: member.id, kinds: digestKinds, unreadOnly: true, limit: 10) : []
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
    /// Members come in batches of `batch`, and one read per batch tells which stores hold anything
    /// for each of them: a plan reads only those (most members have nothing waiting in most), and a
    /// member with nothing in any reads nothing at all. The batch's suggestions (each plan's "say
    /// hello to") are computed together, one read of each kind for the batch instead of a handful
    /// per member, and so are the keys emailed in earlier weeks. The emails of `recordEvery`
    /// members are recorded to a transaction, on the store's writer while the next ones are built.
    /// While a batch's emails are built, the next batch is read and its suggestions computed, in
    /// `suggestionParts` parts at once. `concurrency` members' emails are built at once; the
    /// server's own job builds one at a time.
    ///
    /// `readEverySource` reads every store, and computes suggestions, for every member as a single
    /// member's email does (for measuring what the batch's reads save: `KithBench plan --weekly-reads-every-source`).
    @discardableResult
    public func sendWeeklyEmails(
        batch: Int = 500,
        concurrency: Int = 1,
        suggestionParts: Int = 1,
        recordEvery: Int = 50,
        readEverySource: Bool = false
    ) async throws -> Int {
        let moment = now()
        let weekOf = WeeklySlot.suggested(for: nil).weekStart(of: moment)
        let size = max(1, batch)
        func batchAfter(_ after: Member.ID?) async throws -> WeeklyBatch {
            try await weeklyBatch(
                after: after,
                size: size,
                weekOf: weekOf,
                at: moment,
                suggestionParts: suggestionParts,
                readEverySource: readEverySource
            )
        }
        var current = try await batchAfter(nil)
        var queued = 0
        while true {
            // The next batch is read and its suggestions computed (work for a core) while this
            // batch's emails are built and recorded (mostly waits for the store).
            let after = current.nextAfter
            async let following = after == nil ? nil : batchAfter(after)
            queued += try await sendEmails(
                of: current,
                weekOf: weekOf,
                concurrency: concurrency,
                recordEvery: recordEvery,
                readEverySource: readEverySource
            )
            guard let next = try await following else { return queued }
            current = next
        }
    }

    /// One batch of the weekly run, ready for its emails to be built: the members whose slot has
    /// come, which stores hold anything for each, and their suggestions.
    struct WeeklyBatch: Sendable {
        /// A member whose slot has come, with where their email goes, their slot and stage.
        typealias Due = (member: Member, email: String, slot: WeeklySlot, stage: CareerStage?)

        var due: [Due]
        var present: [Member.ID: PlanSourceSet]
        var suggested: [Member.ID: [Suggestion]]
        /// What was emailed before, for the members with an earlier week's email.
        var emailed: [Member.ID: Set<String>]
        /// The member the next batch starts after: this batch's last when it was full (more may
        /// follow), nil when it was the last.
        var nextAfter: Member.ID?
    }

    private func weeklyBatch(
        after: Member.ID?,
        size: Int,
        weekOf: Date,
        at moment: Date,
        suggestionParts: Int,
        readEverySource: Bool
    ) async throws -> WeeklyBatch {
        let candidates = try await plans.membersAwaitingWeeklyEmail(weekOf: weekOf, after: after, limit: size)
        guard let last = candidates.last else { return WeeklyBatch(due: [], present: [:], suggested: [:], emailed: [:], nextAfter: nil) }
        let present = readEverySource ? [:] : try await plans.sourcesPresent(after: after, through: last.member.id)
        let due: [WeeklyBatch.Due] = candidates.compactMap { candidate in
            let slot = candidate.slot ?? WeeklySlot.suggested(for: candidate.stage)
            return moment >= slot.start(inWeekOf: moment) ? (candidate.member, candidate.email, slot, candidate.stage) : nil
        }
        let emailed =
            present.values.contains { $0.contains(.weeklyEmails) }
            ? try await plans.emailedKeys(after: after, through: last.member.id) : [:]
        let suggested = readEverySource ? [:] : try await suggestionsOf(due.map(\.member)[...], parts: suggestionParts)
        return WeeklyBatch(
            due: due,
            present: present,
            suggested: suggested,
            emailed: emailed,
            nextAfter: candidates.count == size ? last.member.id : nil
        )
    }

    /// The first suggestion of each member (all a plan shows), computed in `parts` parts at once,
    /// each part one unit of reads like a request (the member cache reads the change feed once for
    /// it). Halves are split by `async let`, not a task group (see docs/BENCHMARKS.md on a crash seen
    /// once in a task group's completion).
    private func suggestionsOf(_ members: ArraySlice<Member>, parts: Int) async throws -> [Member.ID: [Suggestion]] {
        guard parts > 1, members.count >= 2 * Self.smallestSuggestionPart else {
            return try await RequestScope.$current.withValue(RequestScope()) {
                try await suggestions.suggestions(forEach: Array(members), limit: "1")
            }
        }
        let firstParts = parts / 2
        let middle = members.startIndex + members.count * firstParts / parts
        async let first = suggestionsOf(members[..<middle], parts: firstParts)
        let second = try await suggestionsOf(members[middle...], parts: parts - firstParts)
        return try await first.merging(second) { kept, _ in kept }
    }

    /// Fewer members than this are not split further (each part reads the batch's stores again).
    static let smallestSuggestionPart = 25

    /// Builds and records a batch's emails; how many were queued. One at a time (the server's
    /// run) they are built in this task, with no child task a member; `concurrency` above one
    /// builds that many at once in a task group.
    private func sendEmails(
        of batch: WeeklyBatch,
        weekOf: Date,
        concurrency: Int,
        recordEvery: Int,
        readEverySource: Bool
    ) async throws -> Int {
        // One member's email reads like one request: the member cache reads the change feed once
        // for it, not before each of its dozen look-ups.
        @Sendable func build(
            _ candidate: (member: Member, email: String, slot: WeeklySlot, stage: CareerStage?)
        ) async throws
            -> WeeklyEmail?
        {
            try await RequestScope.$current.withValue(RequestScope()) {
                guard
                    let (mail, keys) = try await weeklyEmail(
                        for: candidate.member,
                        email: candidate.email,
                        known: KnownSources(
                            slot: candidate.slot,
                            stage: candidate.stage,
                            suggestions: readEverySource ? nil : batch.suggested[candidate.member.id] ?? [],
                            emailed: readEverySource ? nil : batch.emailed[candidate.member.id] ?? []
                        ),
                        present: readEverySource ? .all : batch.present[candidate.member.id] ?? []
                    )
                else { return nil }
                return WeeklyEmail(member: candidate.member.id, keys: keys, mail: mail)
            }
        }
        // The emails of `concurrency` members at once (a task group), or one after another in this task.
        func buildEach(_ candidates: ArraySlice<WeeklyBatch.Due>) async throws -> [WeeklyEmail] {
            var built: [WeeklyEmail] = []
            guard concurrency > 1 else {
                for candidate in candidates { if let email = try await build(candidate) { built.append(email) } }
                return built
            }
            return try await withThrowingTaskGroup(of: WeeklyEmail?.self) { group in
                var running = 0
                for candidate in candidates {
                    if running >= concurrency {
                        if let email = try await group.next() ?? nil { built.append(email) }
                        running -= 1
                    }
                    group.addTask { try await build(candidate) }
                    running += 1
                }
                while let email = try await group.next() { if let email { built.append(email) } }
                return built
            }
        }
        // `recordEvery` members' emails to a transaction; each group's are recorded on the store's
        // writer while the next group's are built.
        var recorded = 0
        var ready: [WeeklyEmail] = []
        let step = max(1, recordEvery)
        for start in stride(from: 0, to: batch.due.count, by: step) {
            let previous = ready
            async let recording = plans.recordWeeklyEmails(previous, weekOf: weekOf)
            ready = try await buildEach(batch.due[start..<min(batch.due.count, start + step)])
            recorded += try await recording
        }
        return recorded + (try await plans.recordWeeklyEmails(ready, weekOf: weekOf))
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
