import Foundation
public import KithDemo
public import KithDomain
public import KithStorage
public import KithWeb

/// Seeds the demo community into an empty database, with progress and a summary.
public enum DemoSeeding {
    /// Events written through the domain services; past events by services whose clock is set
    /// back, so they went through the same rules (RSVPs before the start, check-ins during).
    static func seedEvents(_ store: any Store, everyone: [DemoMember], publicURL: String) async throws -> Int {
        let now = Date()
        let day: TimeInterval = 86_400
        func services(at date: Date) -> Services {
            Services(store: store, hasher: BcryptPasswordHasher(cost: 4), publicURL: publicURL, now: { date })
        }
        let live = services(at: now)
        let demo = everyone[0]
        let cohort = demo.affiliations.first { !$0.cohort.isEmpty }
        var rng = SplitMix64(seed: 23)
        func pick(_ count: Int, from pool: [DemoMember]) -> [DemoMember] {
            var chosen: [DemoMember] = []
            var seen: Set<Int> = []
            while chosen.count < min(count, pool.count) {
                let index = Int(rng.next() % UInt64(pool.count))
                if seen.insert(index).inserted { chosen.append(pool[index]) }
            }
            return chosen
        }
        func input(
            _ title: String,
            _ format: EventFormat,
            inDays: Double,
            hours: Double,
            capacity: Int?,
            cohort: String? = nil,
            place: String
        )
            -> EventInput
        {
            let start = Calendar(identifier: .gregorian).startOfDay(for: now.addingTimeInterval(inDays * day)).addingTimeInterval(18 * 3600)
            return EventInput(
                title: title,
                description:
                    "Hosted by members, for members. Come as you are; name tags provided.\nWe'll keep it friendly and small enough to talk.",
                format: format.rawValue,
                startsAt: Moment.format(start),
                endsAt: Moment.format(start.addingTimeInterval(hours * 3600)),
                timeZone: "Europe/London",
                location: format == .onlineCoffee ? "" : place,
                onlineURL: format == .onlineCoffee ? "https://meet.example.org/kith-coffee" : "",
                capacity: capacity,
                audienceCohort: cohort
            )
        }
        let others = Array(everyone.dropFirst())
        var created = 0
        // Upcoming.
        if let cohort {
            let classmates = others.filter { $0.affiliations.contains { Text.key($0.cohort) == Text.key(cohort.cohort) } }
            let reunion = try await live.events.create(
                input(
                    "\(cohort.cohort) reunion at \(cohort.organization)",
                    .reunion,
                    inDays: 40,
                    hours: 5,
                    capacity: 150,
                    cohort: cohort.cohort,
                    place: "The Great Hall, \(cohort.organization)"
                ),
                by: (classmates.first ?? others[0]).member
            ).event.id.description
            for member in pick(classmates.count * 2 / 3, from: classmates) {
                _ = try await live.events.respond("going", to: reunion, by: member.member)
            }
            created += 1
        }
        let summit = try await live.events.create(
            input("Alumni Data Summit", .conference, inDays: 20, hours: 8, capacity: 300, place: "Northfield Conference Centre"),
            by: others[3].member
        )
        .event.id.description
        for member in pick(120, from: others) { _ = try await live.events.respond("going", to: summit, by: member.member) }
        _ = try await live.events.respond("going", to: summit, by: demo.member)
        let circle = try await live.events.create(
            input(
                "Small circle: changing careers supper",
                .smallCircle,
                inDays: 9,
                hours: 2.5,
                capacity: 8,
                place: "Marlow's, upstairs room"
            ),
            by: others[5].member
        )
        .event.id.description
        for member in pick(11, from: others) { _ = try await live.events.respond("going", to: circle, by: member.member) }
        let workshop = try await live.events.create(
            input("Workshop: negotiating your first offer", .workshop, inDays: 12, hours: 3, capacity: 25, place: "Room 4, Alumni House"),
            by: others[7].member
        )
        .event.id.description
        for member in pick(30, from: others) { _ = try await live.events.respond("going", to: workshop, by: member.member) }
        let coffee = try await live.events.create(
            input("Online coffee: new in London", .onlineCoffee, inDays: 3, hours: 1, capacity: nil, place: ""),
            by: demo.member
        )
        .event.id.description
        for member in pick(6, from: others) {
            _ = try await live.events.respond(rng.next() % 3 == 0 ? "maybe" : "going", to: coffee, by: member.member)
        }
        let meetup = try await live.events.create(
            input("Friday meetup: product people", .meetup, inDays: 6, hours: 3, capacity: 60, place: "The Lamp, Old Street"),
            by: others[9].member
        )
        .event.id.description
        for member in pick(35, from: others) { _ = try await live.events.respond("going", to: meetup, by: member.member) }
        _ = try await live.events.respond("maybe", to: meetup, by: demo.member)
        created += 5
        // Past: created, answered and checked into with the clock set back.
        let then = now.addingTimeInterval(-40 * day)
        let past = services(at: then)
        let pastInput = input("Spring mixer", .meetup, inDays: -35, hours: 3, capacity: 80, place: "Alumni House garden")
        var shifted = pastInput
        let start = try Moment.parse(pastInput.startsAt, field: "starts_at") ?? then
        shifted.startsAt = Moment.format(start)
        let mixer = try await past.events.create(shifted, by: others[11].member)
        let attendees = [demo] + pick(40, from: others)
        for member in attendees { _ = try await past.events.respond("going", to: mixer.event.id.description, by: member.member) }
        let during = services(at: start.addingTimeInterval(1800))
        for member in attendees.prefix(30) {
            _ = try await during.events.checkIn(
                handle: nil,
                code: mixer.event.checkInCode,
                event: mixer.event.id.description,
                by: member.member
            )
        }
        created += 1
        return created
    }

    /// The demo member's relationship manager, written through the domain services.
    public static func seedContacts(_ services: Services, demo: Member, knowing: [DemoMember]) async throws -> Int {
        let contacts = DemoContacts.contacts(knowing: knowing)
        for contact in contacts {
            let id = try await services.contacts.create(contact.input, owner: demo).contact.id.description
            for interaction in contact.interactions {
                let when = Moment.format(Date().addingTimeInterval(-Double(interaction.daysAgo) * 86_400))
                _ = try await services.contacts.log(
                    InteractionInput(kind: interaction.kind, occurredAt: when, note: interaction.note, help: interaction.help),
                    contact: id,
                    owner: demo
                )
            }
            for followUp in contact.followUps {
                let due = Moment.format(Date().addingTimeInterval(Double(followUp.inDays) * 86_400))
                _ = try await services.contacts.addFollowUp(FollowUpInput(dueAt: due, text: followUp.text), contact: id, owner: demo)
            }
        }
        return contacts.count
    }

    /// The demo member's conversations, written through the domain services with clocks set back
    /// so they read as a few days of talk: one with unread replies, one read, a group planning
    /// the reunion, and a message request from a member the demo shares nothing with.
    public static func seedConversations(
        _ store: any Store,
        demo: Member,
        known: [DemoMember],
        everyone: [DemoMember],
        publicURL: String
    )
        async throws -> Int
    {
        guard known.count >= 5 else { return 0 }
        let now = Date()
        func at(hoursAgo: Double) -> Services {
            Services(
                store: store,
                hasher: BcryptPasswordHasher(cost: 4),
                publicURL: publicURL,
                now: { now.addingTimeInterval(-hoursAgo * 3_600) }
            )
        }
        func first(_ name: String) -> String { String(name.split(separator: " ").first ?? Substring(name)) }
        var count = 0
        // Read and answered.
        let (a, b, c, d, e) = (known[0].member, known[1].member, known[2].member, known[3].member, known[4].member)
        let settled = try await at(hoursAgo: 70).messages.start(
            to: [b.handle.rawValue],
            body: "Hi \(first(b.name)) — thanks again for the intro last month. The team loved the talk.",
            by: demo
        )
        let settledID = settled.conversation.id.description
        _ = try await at(hoursAgo: 69).messages.send("Glad it worked out! Happy to help anytime.", to: settledID, by: b)
        _ = try await at(hoursAgo: 68).messages.send("Let's get coffee when you are next in town.", to: settledID, by: demo)
        try await at(hoursAgo: 67).messages.markRead(settledID, by: demo)
        count += 1
        // The group: planning the reunion.
        let group = try await at(hoursAgo: 30).messages.start(
            to: [c.handle.rawValue, d.handle.rawValue, e.handle.rawValue],
            body: "Shall we plan a table together at the reunion? I can book somewhere nearby for after.",
            by: demo
        )
        let groupID = group.conversation.id.description
        _ = try await at(hoursAgo: 29).messages.send("Count me in. **Friday** works best for me.", to: groupID, by: c)
        _ = try await at(hoursAgo: 28).messages.send("Same here — I'll bring the old photos.", to: groupID, by: d)
        try await at(hoursAgo: 27).messages.markRead(groupID, by: demo)
        count += 1
        // Unread replies waiting for the demo member.
        let waiting = try await at(hoursAgo: 26).messages.start(
            to: [a.handle.rawValue],
            body: "Hi \(first(a.name)), I saw you moved into product. Could I ask you a few questions about it?",
            by: demo
        )
        let waitingID = waiting.conversation.id.description
        _ = try await at(hoursAgo: 5).messages.send(
            "Of course! I remember how useful those chats were when I switched.",
            to: waitingID,
            by: a
        )
        _ = try await at(hoursAgo: 4).messages.send(
            "Some things that helped me:\n- shadow a product manager for a week\n- write up one decision you would make differently",
            to: waitingID,
            by: a
        )
        count += 1
        // A message request from someone the demo member shares nothing with (first one found).
        let knownIDs = Set(known.map(\.member.id))
        for stranger in everyone.dropFirst().reversed().prefix(40) where !knownIDs.contains(stranger.member.id) {
            let request = try await at(hoursAgo: 2).messages.start(
                to: [demo.handle.rawValue],
                body: "Hello \(first(demo.name)) — I am a recent graduate and would value ten minutes of advice about data roles.",
                by: stranger.member
            )
            let seen = try await at(hoursAgo: 2).messages.conversation(request.conversation.id.description, for: demo)
            count += 1
            if seen.state == .request { break }
        }
        return count
    }

    /// Introductions around the demo member in every state, written through the domain services
    /// with clocks set back: one of theirs waiting, one forwarded, one introduced (with its
    /// conversation of three, its outcome still to say), one that did not go ahead; one they are
    /// asked to make; and one a connection forwarded to them.
    public static func seedIntroductions(
        _ store: any Store,
        demo: Member,
        everyone: [DemoMember],
        ties: [DemoNetwork.Tie],
        publicURL: String
    ) async throws -> Int {
        let now = Date()
        // Each with its clock set back, and its own graph loaded (asks check who knows whom).
        func at(hoursAgo: Double) async throws -> Services {
            let services = Services(
                store: store,
                hasher: BcryptPasswordHasher(cost: 4),
                publicURL: publicURL,
                now: { now.addingTimeInterval(-hoursAgo * 3_600) }
            )
            try await services.graph.rebuild()
            return services
        }
        var neighbours: [Int: Set<Int>] = [:]
        for tie in ties {
            neighbours[tie.a, default: []].insert(tie.b)
            neighbours[tie.b, default: []].insert(tie.a)
        }
        let mine = neighbours[0] ?? []
        // People the demo member could be introduced to, each through a different connection.
        var paths: [(connector: Member, target: Member)] = []
        var used: Set<Int> = [0]
        for connector in mine.sorted() where paths.count < 4 {
            guard let target = (neighbours[connector] ?? []).sorted().first(where: { !mine.contains($0) && !used.contains($0) }) else {
                continue
            }
            used.formUnion([connector, target])
            paths.append((everyone[connector].member, everyone[target].member))
        }
        guard paths.count == 4 else { return 0 }
        func first(_ member: Member) -> String { String(member.name.split(separator: " ").first ?? "") }
        var count = 0
        func ask(
            _ path: (connector: Member, target: Member),
            _ purpose: IntroductionPurpose,
            hoursAgo: Double,
            blurb: String,
            ask: String
        )
            async throws -> String
        {
            count += 1
            return try await at(hoursAgo: hoursAgo).introductions.request(
                target: path.target.handle.rawValue,
                via: path.connector.handle.rawValue,
                purpose: purpose.rawValue,
                blurb: blurb,
                ask: ask,
                by: demo
            ).ask.id.description
        }
        let who = "\(demo.name) leads analytics at a community health charity and is moving into data engineering."
        // Waiting with the connection.
        _ = try await ask(
            paths[0],
            .advice,
            hoursAgo: 20,
            blurb: who,
            ask: "Twenty minutes on how \(first(paths[0].target))'s team moved to a data platform?"
        )
        // Forwarded: with the target now (the demo member still reads "waiting").
        let forwarded = try await ask(
            paths[1],
            .mentorship,
            hoursAgo: 50,
            blurb: who,
            ask: "Would you mentor me for a few months through the switch?"
        )
        _ = try await at(hoursAgo: 40).introductions.forward(
            forwarded,
            note: "\(first(demo)) is one of the most generous people I know — worth your time.",
            by: paths[1].connector
        )
        // Introduced: the conversation of three is open.
        let introduced = try await ask(
            paths[2],
            .referral,
            hoursAgo: 120,
            blurb: who,
            ask: "Could we talk about the data engineer opening on your team?"
        )
        _ = try await at(hoursAgo: 110).introductions.forward(introduced, note: "You two should talk.", by: paths[2].connector)
        let (_, conversation) = try await at(hoursAgo: 100).introductions.accept(introduced, by: paths[2].target)
        _ = try await at(hoursAgo: 99).messages.send(
            "Lovely to meet you, \(first(demo)) — does Thursday afternoon work for a call?",
            to: conversation.description,
            by: paths[2].target
        )
        // Not this time.
        let passed = try await ask(
            paths[3],
            .collaboration,
            hoursAgo: 200,
            blurb: who,
            ask: "Would you be open to a joint workshop on open data?"
        )
        _ = try await at(hoursAgo: 190).introductions.pass(passed, by: paths[3].connector)

        // Asked of the demo member: two connections who do not know each other.
        let connections = mine.sorted()
        outer: for a in connections where !used.contains(a) {
            for b in connections where b > a && !used.contains(b) && !(neighbours[a] ?? []).contains(b) {
                _ = try await at(hoursAgo: 8).introductions.request(
                    target: everyone[b].member.handle.rawValue,
                    via: demo.handle.rawValue,
                    purpose: IntroductionPurpose.advice.rawValue,
                    blurb: "\(everyone[a].member.name) is preparing to lead a team for the first time.",
                    ask: "Could \(first(everyone[b].member)) share how they approached their first management role?",
                    by: everyone[a].member
                )
                used.formUnion([a, b])
                count += 1
                break outer
            }
        }
        // Made to the demo member: someone a connection knows, forwarded by that connection.
        outer: for connector in connections where !used.contains(connector) {
            for asker in (neighbours[connector] ?? []).sorted() where asker != 0 && !mine.contains(asker) && !used.contains(asker) {
                let id = try await at(hoursAgo: 30).introductions.request(
                    target: demo.handle.rawValue,
                    via: everyone[connector].member.handle.rawValue,
                    purpose: IntroductionPurpose.advice.rawValue,
                    blurb: "\(everyone[asker].member.name) is finishing a data science degree and admires your work on open data.",
                    ask: "Fifteen minutes of advice on a first data role?",
                    by: everyone[asker].member
                ).ask.id.description
                _ = try await at(hoursAgo: 6).introductions.forward(
                    id,
                    note: "A thoughtful graduate — I said I would ask you.",
                    by: everyone[connector].member
                )
                count += 1
                break outer
            }
        }
        return count
    }

    /// Help asks around the demo member: one of theirs with two offers (one accepted), asks from
    /// connections that reached them, and a connection in transition whose circle they are in, so
    /// "Asks" and "Counting on you" have something on first run.
    public static func seedHelpAsks(_ store: any Store, demo: Member, known: [DemoMember], publicURL: String) async throws -> Int {
        let now = Date()
        func at(hoursAgo: Double) async throws -> Services {
            let services = Services(
                store: store,
                hasher: BcryptPasswordHasher(cost: 4),
                publicURL: publicURL,
                now: { now.addingTimeInterval(-hoursAgo * 3_600) }
            )
            try await services.graph.rebuild()
            return services
        }
        var count = 0
        let mine = try await at(hoursAgo: 30).asks.create(
            kind: HelpAskKind.feedback.rawValue,
            title: "Feedback on my data engineering portfolio",
            body:
                "I have put three projects online (a pipeline, a warehouse model, a dashboard). Which one would you lead with, and what is missing?",
            audience: AskAudience.connections.rawValue,
            skills: ["SQL", "Python"],
            organization: nil,
            by: demo
        )
        count += 1
        let helpers = known.map(\.member).filter { mine.ask.route.contains($0.id) }
        if helpers.count >= 2 {
            _ = try await at(hoursAgo: 20).asks.offer(
                mine.ask.id.description,
                note: "Lead with the pipeline — it shows the most judgement. Happy to go through it on a call.",
                by: helpers[0]
            )
            _ = try await at(hoursAgo: 6).asks.offer(
                mine.ask.id.description,
                note: "I review portfolios for our hiring panel; send me the links and I will write notes.",
                by: helpers[1]
            )
            let offers = try await at(hoursAgo: 5).asks.ask(mine.ask.id.description, for: demo).offers
            if let first = offers.first {
                _ = try await at(hoursAgo: 5).asks.acceptOffer(first.offer.id.description, on: mine.ask.id.description, by: demo)
            }
        }
        // A connection in transition counts on the demo member (their circle of one).
        if let friend = known.last?.member {
            _ = try await at(hoursAgo: 48).looking.set(
                active: true,
                roles: ["Product manager", "Product analyst"],
                locations: ["London", "remote"],
                circle: [demo.handle.rawValue],
                by: friend
            )
        }
        // Asks from connections that reached the demo member.
        let questions = [
            ("How did you prepare for your first management role?", HelpAskKind.advice),
            ("Does anyone know a good contact at a health-data start-up?", HelpAskKind.jobLead),
        ]
        var asked = 0
        for person in known.map(\.member) where asked < questions.count {
            let (title, kind) = questions[asked]
            guard
                let view = try? await at(hoursAgo: Double(10 + asked)).asks.create(
                    kind: kind.rawValue,
                    title: title,
                    body: "Any pointers welcome — I would be glad of twenty minutes or a link to something you found useful.",
                    audience: AskAudience.connections.rawValue,
                    skills: [],
                    organization: nil,
                    by: person
                ), view.ask.route.contains(demo.id)
            else { continue }
            asked += 1
            count += 1
        }
        return count
    }

    public static func seedIfEmpty(_ store: any Store, members count: Int, publicURL: String) async throws {
        let services = Services(store: store, hasher: BcryptPasswordHasher(cost: 10), publicURL: publicURL)
        guard try await services.accounts.memberCount() == 0 else {
            say("Demo: the database already has members; nothing seeded.")
            return
        }
        // Marked before anything is written, so a seeding cut short is still a demo database.
        try await InstanceMarks(store: store).markDemo()
        let community = DemoCommunity(size: count)
        let hash = try await BcryptPasswordHasher(cost: 10).hash(DemoCommunity.demoPassword)
        let seeder = SQLSeeder(store: store)
        let progress = ConsoleProgress(label: "Seeding demo community", total: count)
        let batch = 500
        var everyone: [DemoMember] = []
        // Generating the next batch overlaps with storing this one.
        func generate(_ start: Int) -> Task<[DemoMember], Never> {
            Task.detached { community.members(in: start..<min(count, start + batch)) }
        }
        var next: Task<[DemoMember], Never>? = generate(0)
        for start in stride(from: 0, to: count, by: batch) {
            guard let members = await next?.value else { break }
            next = start + batch < count ? generate(start + batch) : nil
            try await seeder.insert(members.map { ($0.member, $0.profile, $0.affiliations) }, passwordHash: hash)
            everyone += members
            progress.update(min(count, start + batch))
        }
        let ties = DemoNetwork.ties(for: everyone)
        try await seeder.insertConnections(
            ties.map { (everyone[$0.a].member.id, everyone[$0.b].member.id, $0.strength) },
            at: community.now
        )
        // A few people have asked the demo member to connect, so the inbox shows on first run.
        let connectedToDemo = Set(ties.filter { $0.a == 0 }.map(\.b))
        let askers = (1..<everyone.count).filter { !connectedToDemo.contains($0) }.prefix(4)
        let now = Date()
        try await seeder.insertRequests(
            askers.map { index in
                let request = ConnectionRequest(
                    id: .make(at: now),
                    from: everyone[index].member.id,
                    to: everyone[0].member.id,
                    note: "Hi Dana — we were both at Northfield. Would be good to connect!",
                    status: .pending,
                    createdAt: now.addingTimeInterval(-Double(index) * 3_600),
                    expiresAt: now.addingTimeInterval(30 * 86_400)
                )
                return (request, ConnectionNotices.requested(request, from: everyone[index].member, links: RouteLinks()))
            },
            publicURL: publicURL
        )
        say("Demo: \(ties.count) connections between members.")
        let known = ties.filter { $0.a == 0 }.map { everyone[$0.b] } + ties.filter { $0.b == 0 }.map { everyone[$0.a] }
        let contacts = try await seedContacts(services, demo: everyone[0].member, knowing: known)
        say("Demo: \(contacts) private contacts for the demo member, with interactions and follow-ups.")
        let events = try await seedEvents(store, everyone: everyone, publicURL: publicURL)
        say("Demo: \(events) events (a reunion, small circles, past and upcoming) with RSVPs.")
        let conversations = try await seedConversations(
            store,
            demo: everyone[0].member,
            known: known,
            everyone: everyone,
            publicURL: publicURL
        )
        say("Demo: \(conversations) conversations for the demo member (unread replies, a group, a message request).")
        let introductions = try await seedIntroductions(
            store,
            demo: everyone[0].member,
            everyone: everyone,
            ties: ties,
            publicURL: publicURL
        )
        say(
            "Demo: \(introductions) introductions around the demo member (waiting, forwarded, introduced, not this time, to make, to them)."
        )
        let helpAsks = try await seedHelpAsks(store, demo: everyone[0].member, known: known, publicURL: publicURL)
        say("Demo: \(helpAsks) help asks (the demo member's, with offers; and asks that reached them).")
        _ = try await services.plans.setSlot(weekday: 4, time: "08:30", timeZone: "Europe/London", minutes: 30, of: everyone[0].member)
        say("Demo: the demo member's weekly networking slot is Thursdays at 08:30 (Europe/London).")
        _ = try await services.appPasswords.adopt(DemoCommunity.demoAppPassword, label: "Demo phone", for: everyone[0].member)
        say(
            "Demo: contacts and calendar apps (CardDAV, CalDAV): server \(publicURL), user \(everyone[0].member.handle), app password \(DemoCommunity.demoAppPassword)."
        )
        say(
            "Demo: \(count) members seeded in \(String(format: "%.1f", progress.seconds)) s. Sign in as \(DemoCommunity.demoEmail) with password \(DemoCommunity.demoPassword)"
        )
    }
}
