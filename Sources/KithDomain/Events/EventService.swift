public import Foundation

/// Events: creating and editing them, RSVPs with a fair waitlist, check-in, reunions and feeds.
public struct EventService: Sendable {
    private let events: any EventRepository
    private let members: any MemberRepository
    private let profiles: any ProfileRepository
    private let blocks: any BlockRepository
    private let attempts: any AttemptRepository
    private let notifier: any Notifier
    private let links: any PageLinks
    private let now: @Sendable () -> Date

    /// How many events a member (not a moderator or admin) may create in a day: each can notify
    /// and email many people, so creating them is not free.
    public static let dailyCreationLimit = 10
    /// Tries at an event's six-character check-in code per member: enough for typos, far too few
    /// to guess one of 32⁶ codes.
    public static let checkInCodeLimit = AttemptLimit(free: 5, window: 3_600, baseDelay: 30, maxDelay: 900)

    public init(
        events: any EventRepository,
        members: any MemberRepository,
        profiles: any ProfileRepository,
        blocks: any BlockRepository,
        attempts: any AttemptRepository,
        notifier: any Notifier,
        links: any PageLinks,
        now: @escaping @Sendable () -> Date
    ) {
        self.events = events
        self.members = members
        self.profiles = profiles
        self.blocks = blocks
        self.attempts = attempts
        self.notifier = notifier
        self.links = links
        self.now = now
    }

    // MARK: Creating and editing

    public func create(_ input: EventInput, by organizer: Member) async throws -> EventView {
        let moment = now()
        var event = Event(
            id: .make(at: moment),
            organizerID: organizer.id,
            title: "",
            description: "",
            format: .meetup,
            startsAt: moment,
            endsAt: moment,
            timeZone: "UTC",
            location: "",
            onlineURL: "",
            capacity: nil,
            audienceCohort: "",
            rsvpDeadline: nil,
            checkInCode: Self.checkInCode(),
            createdAt: moment,
            updatedAt: moment
        )
        try apply(input, to: &event, creating: true, going: 0)
        guard event.endsAt > moment else { throw DomainError.invalid(field: "ends_at", reason: "must be in the future") }
        let trusted = organizer.role == .admin || organizer.role == .moderator
        if !trusted {
            let today = try await events.createdCount(by: organizer.id, since: moment.addingTimeInterval(-86_400))
            guard today < Self.dailyCreationLimit else { throw DomainError.rateLimited(retryAfterSeconds: 3_600) }
        }
        // A reunion invites (and emails) a whole class, so only someone of that class — or a
        // moderator or admin — may call one.
        if event.format == .reunion, !trusted {
            let own = Set(try await profiles.affiliations(of: organizer.id).map { Text.key($0.cohort) })
            guard own.contains(event.audienceCohort) else {
                throw DomainError.invalid(
                    field: "audience.cohort",
                    reason: "must be a class or cohort on your own profile; ask a moderator to organise a reunion for another"
                )
            }
        }
        try await events.insert(event)
        if event.format == .reunion { try await inviteCohort(to: event) }
        return try await view(event, for: organizer)
    }

    public func update(_ rawID: String, with input: EventInput, by member: Member) async throws -> EventView {
        var event = try await organized(rawID, by: member)
        guard event.cancelledAt == nil else { throw DomainError.conflict(field: nil, message: "This event was cancelled.") }
        let counts = try await events.counts(of: [event.id])[event.id] ?? EventCounts(going: 0, waitlisted: 0, maybe: 0)
        try apply(input, to: &event, creating: false, going: counts.going)
        event.updatedAt = now()
        let moment = now()
        guard try await events.update(event, now: moment, notice: { Self.promotionNotice(for: $0, at: moment, links: links) }) != nil else {
            throw DomainError.invalid(field: "capacity", reason: "must be at least the number of members already going")
        }
        return try await view(try await stored(rawID), for: member)
    }

    /// Cancels the event; everyone going, waitlisted or maybe is told.
    public func cancel(_ rawID: String, by member: Member) async throws -> EventView {
        var event = try await organized(rawID, by: member)
        guard event.cancelledAt == nil else { return try await view(event, for: member) }
        event.cancelledAt = now()
        event.updatedAt = now()
        let moment = now()
        _ = try await events.update(event, now: moment, notice: { Self.promotionNotice(for: $0, at: moment, links: links) })
        for rsvp in try await events.rsvps(to: event.id) where rsvp.status != .notGoing && rsvp.member.id != member.id {
            try await notifier.notify(
                rsvp.member.id,
                kind: .event,
                key: "event-cancelled:\(event.id)",
                title: "Cancelled: \(event.title)",
                body: "\(event.title) on \(Self.day(event)) has been cancelled by the organiser.",
                link: links.event(event.id),
                email: true,
                at: now()
            )
        }
        return try await view(event, for: member)
    }

    // MARK: Reading

    public func event(_ rawID: String, viewer: Member) async throws -> EventView {
        try await view(try await stored(rawID), for: viewer)
    }

    public func list(
        upcoming rawUpcoming: String?,
        format rawFormat: String?,
        cohort rawCohort: String?,
        mine rawMine: String?,
        after: String?,
        limit: String?,
        viewer: Member
    ) async throws -> Page<EventView> {
        var check = Validation()
        var query = EventQuery()
        switch rawUpcoming ?? "" {
        case "true": query.upcomingAfter = now()
        case "false", "": break
        default: check.fail("upcoming", "must be true or false")
        }
        switch rawMine ?? "" {
        case "true": query.mine = viewer.id
        case "false", "": break
        default: check.fail("mine", "must be true or false")
        }
        if let rawFormat, !rawFormat.isEmpty {
            query.format = EventFormat(rawValue: rawFormat)
            if query.format == nil {
                check.fail("format", "must be one of " + EventFormat.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }
        if let cohort = check.capture({ try Text.clean(rawCohort ?? "", field: "cohort", max: 100) }), !cohort.isEmpty {
            query.cohort = Text.key(cohort)
        }
        let size = check.capture { try PageSize(limit) }
        query.after = check.capture { try Cursor.decode(after, parts: 2, numericFirst: true) } ?? nil
        try check.throwIfFailed()
        query.limit = (size?.value ?? 20) + 1
        let found = try await events.events(matching: query)
        let counts = try await events.counts(of: found.map(\.id))
        var views: [EventView] = []
        for event in found.prefix(query.limit - 1) {
            views.append(try await view(event, for: viewer, counts: counts[event.id]))
        }
        let next =
            found.count >= query.limit
            ? views.last.map { Cursor.encode([String(Int64($0.event.startsAt.timeIntervalSince1970 * 1000)), $0.event.id.description]) }
            : nil
        return Page(items: views, next: next)
    }

    /// Who is coming (going and maybe), for someone who is coming too — names only, for "who I met".
    public func attendeeList(_ rawID: String, viewer: Member) async throws -> [RSVP] {
        let event = try await stored(rawID)
        let rsvps = try await events.rsvps(to: event.id)
        let mine = rsvps.first { $0.member.id == viewer.id }?.status
        guard event.organizerID == viewer.id || mine == .going || mine == .maybe else {
            throw DomainError.forbidden("RSVP to this event to see who is coming.")
        }
        return rsvps.filter { $0.status == .going || $0.status == .maybe }.map {
            RSVP(
                eventID: $0.eventID,
                member: $0.member,
                status: $0.status,
                waitlistPosition: nil,
                respondedAt: $0.respondedAt,
                checkedInAt: nil
            )
        }
    }

    /// The attendee list, for the organiser only: going, then the waitlist in order, then maybe.
    public func attendees(_ rawID: String, by member: Member) async throws -> [RSVP] {
        let event = try await organized(rawID, by: member)
        return try await events.rsvps(to: event.id)
    }

    /// Members going who share a cohort with the viewer (or the reunion's cohort), judged only by
    /// affiliations their owners show the whole community.
    public func classmatesGoing(_ rawID: String, viewer: Member) async throws -> [Member] {
        let event = try await stored(rawID)
        var cohorts = Set(try await profiles.affiliations(of: viewer.id).map { Text.key($0.cohort) }.filter { !$0.isEmpty })
        if !event.audienceCohort.isEmpty { cohorts.insert(event.audienceCohort) }
        guard !cohorts.isEmpty else { return [] }
        let blocked = Set(try await blocks.blockedEither(of: viewer.id))
        return try await events.going(to: event.id, withCohorts: Array(cohorts)).filter { $0.id != viewer.id && !blocked.contains($0.id) }
    }

    // MARK: RSVP and check-in

    public func respond(_ rawChoice: String?, to rawID: String, by member: Member) async throws -> RSVPOutcome {
        guard let raw = rawChoice, let choice = RSVPChoice(rawValue: raw) else {
            throw DomainError.invalid(field: "status", reason: "must be one of going, maybe, not_going")
        }
        guard let id = Event.ID(rawID) else { throw DomainError.notFound("event") }
        let moment = now()
        // The rules are checked on the event as the RSVP's own transaction reads it, so an event
        // cancelled a moment earlier cannot take an answer (and the hot path reads it once).
        return try await events.respond(
            choice,
            member: member.id,
            event: id,
            now: moment,
            admit: { event in try Self.admit(choice, to: event, at: moment) },
            notice: { [links] event in Self.promotionNotice(for: event, at: moment, links: links) }
        )
    }

    /// Whether the event takes this answer now: not cancelled, not over, and before the deadline
    /// unless the member is saying they will not come.
    static func admit(_ choice: RSVPChoice, to event: Event, at moment: Date) throws {
        if event.cancelledAt != nil { throw DomainError.conflict(field: "status", message: "This event was cancelled.") }
        if moment >= event.endsAt { throw DomainError.conflict(field: "status", message: "This event is over.") }
        if let deadline = event.rsvpDeadline, moment > deadline, choice != .notGoing {
            throw DomainError.conflict(field: "status", message: "RSVPs for this event closed on \(Moment.format(deadline)).")
        }
    }

    /// The caller's own attendance history (nobody else's is reachable): past events they were
    /// going to, latest first, with their check-ins.
    public func attendance(of member: Member) async throws -> [Attendance] {
        try await events.attendance(of: member.id, endedBefore: now(), limit: 200)
    }

    /// Checks in `handle` (by the organiser) or the caller with the event's code.
    public func checkIn(handle rawHandle: String?, code: String?, event rawID: String, by member: Member) async throws -> RSVP {
        let event = try await stored(rawID)
        let moment = now()
        // Who may do it is decided before anything about the event is said.
        let checksInSomeoneElse = !(rawHandle ?? "").isEmpty
        if checksInSomeoneElse {
            guard event.organizerID == member.id || member.role != .member else {
                throw DomainError.forbidden("Only the organiser can check other members in.")
            }
        }
        guard event.cancelledAt == nil else { throw DomainError.conflict(field: nil, message: "This event was cancelled.") }
        guard moment >= event.startsAt.addingTimeInterval(-86_400), moment <= event.endsAt.addingTimeInterval(86_400) else {
            throw DomainError.conflict(field: nil, message: "Check-in opens a day before the event and closes a day after it.")
        }
        var attendee = member
        if let rawHandle, checksInSomeoneElse {
            guard let handle = try? Handle(rawHandle.hasPrefix("@") ? String(rawHandle.dropFirst()) : rawHandle, field: "member"),
                let found = try await members.member(handle: handle)
            else { throw DomainError.invalid(field: "member", reason: "is not the handle of a member") }
            attendee = found
        } else {
            let key = "check-in:\(event.id):\(member.id)"
            try await attempts.take([key: Self.checkInCodeLimit], at: moment)
            guard let code, ConstantTime.equal(code.uppercased().trimmingCharacters(in: .whitespaces), event.checkInCode) else {
                throw DomainError.invalid(field: "code", reason: "is not this event's check-in code")
            }
            try await attempts.clear(key: key)
        }
        guard try await events.checkIn(member: attendee.id, event: event.id, at: moment),
            let rsvp = try await events.rsvp(of: attendee.id, to: event.id)
        else {
            throw DomainError.conflict(field: "member", message: "\(attendee.name) has no place at this event (going) to check in with.")
        }
        return rsvp
    }

    // MARK: Calendars

    public func iCalendar(_ rawID: String, viewer: Member, publicURL: String) async throws -> String {
        ICalendar.calendar([try await stored(rawID)], publicURL: publicURL, links: links, name: nil)
    }

    /// When the member's personal feed address was made, or nil when they have none. The
    /// address itself is a secret kept only as a digest: it is shown once, when made.
    public func calendarFeed(of member: Member) async throws -> Date? {
        try await events.calendarFeed(of: member.id)
    }

    /// Makes a new secret address for the member's personal feed (going and maybe events) and
    /// returns its token; any earlier address stops working at once.
    public func resetCalendarFeed(for member: Member) async throws -> String {
        let token = SecretToken.generate(prefix: "cal_")
        try await events.replaceCalendarFeed(of: member.id, digest: token.digest, at: now())
        return token.value
    }

    /// The personal feed behind a secret token; unknown tokens are "not found". `recurring` adds
    /// the member's recurring entries (the weekly networking slot).
    public func feed(
        token: String,
        publicURL: String,
        recurring: @Sendable (Member) async throws -> [RecurringCalendarEntry] = { _ in [] }
    ) async throws -> String {
        guard token.count <= 100,
            let memberID = try await events.member(calendarToken: token, digest: SecretToken(value: token).digest, at: now())
        else {
            throw DomainError.notFound("calendar")
        }
        let listed = try await calendarEvents(of: memberID)
        var entries: [RecurringCalendarEntry] = []
        if let member = try await members.member(id: memberID) { entries = try await recurring(member) }
        return ICalendar.calendar(listed, recurring: entries, publicURL: publicURL, links: links, name: "Kith events")
    }

    /// The events of a member's own calendar: those they organise, and those they are going to,
    /// considering or waitlisted for (cancelled ones too, so calendars show them cancelled).
    public func calendarEvents(of memberID: Member.ID) async throws -> [Event] {
        let mine = try await events.events(matching: EventQuery(mine: memberID, includeCancelled: true, limit: 500))
        var listed: [Event] = []
        for event in mine {
            let status = try await events.rsvp(of: memberID, to: event.id)?.status
            if event.organizerID == memberID || status == .going || status == .maybe || status == .waitlisted { listed.append(event) }
        }
        return listed
    }

    /// One event as a calendar file of its own (a CalDAV resource).
    public func calendarFile(_ event: Event, publicURL: String) -> String {
        ICalendar.calendar([event], publicURL: publicURL, links: links, name: nil, method: false)
    }

    // MARK: Helpers

    func stored(_ rawID: String) async throws -> Event {
        guard let id = Event.ID(rawID), let event = try await events.event(id) else { throw DomainError.notFound("event") }
        return event
    }

    private func organized(_ rawID: String, by member: Member) async throws -> Event {
        let event = try await stored(rawID)
        guard event.organizerID == member.id || member.role == .admin || member.role == .moderator else {
            throw DomainError.forbidden("Only the organiser can change this event.")
        }
        return event
    }

    private func view(_ event: Event, for viewer: Member, counts known: EventCounts? = nil) async throws -> EventView {
        let counts: EventCounts
        if let known {
            counts = known
        } else {
            counts = try await events.counts(of: [event.id])[event.id] ?? EventCounts(going: 0, waitlisted: 0, maybe: 0)
        }
        let mine = try await events.rsvp(of: viewer.id, to: event.id)
        return EventView(
            event: event,
            organizer: try await members.member(id: event.organizerID),
            goingCount: counts.going,
            waitlistCount: counts.waitlisted,
            maybeCount: counts.maybe,
            myRSVP: mine?.status,
            myWaitlistPosition: mine?.waitlistPosition,
            isOrganizer: event.organizerID == viewer.id
        )
    }

    /// What members promoted from the waitlist of `event` are told (made only if someone is).
    static func promotionNotice(for event: Event, at moment: Date, links: any PageLinks) -> PromotionNotice {
        PromotionNotice(
            key: "event-promoted:\(event.id):\(Moment.format(moment))",
            title: "You have a place: \(event.title)",
            body: "A place opened up at \(event.title) on \(day(event)) and it is yours — you were first on the waitlist.",
            link: links.event(event.id)
        )
    }

    private func inviteCohort(to event: Event) async throws {
        guard !event.audienceCohort.isEmpty else { return }
        // Nobody hears from someone they blocked (or who blocked them).
        let blocked = Set(try await blocks.blockedEither(of: event.organizerID))
        for member in try await events.cohortMembers(event.audienceCohort) where member != event.organizerID && !blocked.contains(member) {
            try await notifier.notify(
                member,
                kind: .event,
                key: "reunion:\(event.id)",
                title: "Your reunion: \(event.title)",
                body: "Your class is getting together on \(Self.day(event)). RSVP to see which classmates are going.",
                link: links.event(event.id),
                email: true,
                at: now()
            )
        }
    }

    static func day(_ event: Event) -> String {
        let zone = TimeZone(identifier: event.timeZone) ?? .gmt
        var style = Date.FormatStyle(date: .abbreviated, time: .shortened, locale: Locale(identifier: "en_GB"))
        style.timeZone = zone
        return event.startsAt.formatted(style) + " (\(event.timeZone))"
    }

    static func checkInCode() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<6).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }

    /// Validates `input` onto `event`. `going` is how many are already going (capacity may not drop below it).
    private func apply(_ input: EventInput, to event: inout Event, creating: Bool, going: Int) throws {
        var check = Validation()
        if creating || input.title != nil {
            if let title = check.capture({ try Text.clean(input.title ?? "", field: "title", max: 150, min: 1) }) { event.title = title }
        }
        if let raw = input.description {
            if let text = check.capture({ try Text.clean(raw, field: "description", max: 5_000, multiline: true) }) {
                event.description = text
            }
        }
        if creating || input.format != nil {
            if let format = EventFormat(rawValue: input.format ?? "") {
                event.format = format
            } else {
                check.fail(
                    "format",
                    input.format == nil ? "is required" : "must be one of " + EventFormat.allCases.map(\.rawValue).joined(separator: ", ")
                )
            }
        }
        if creating || input.startsAt != nil {
            if let start = check.capture({ try Moment.parse(input.startsAt, field: "starts_at") }) ?? nil { event.startsAt = start }
        }
        if creating || input.endsAt != nil {
            if let end = check.capture({ try Moment.parse(input.endsAt, field: "ends_at") }) ?? nil { event.endsAt = end }
        }
        if creating || input.timeZone != nil {
            let zone = (input.timeZone ?? "").trimmingCharacters(in: .whitespaces)
            if zone.isEmpty {
                check.fail("timezone", "is required (an IANA time zone such as Europe/London)")
            } else if TimeZone(identifier: zone) == nil || zone.count > 64 {
                check.fail("timezone", "is not a known IANA time zone (such as Europe/London or America/New_York)")
            } else {
                event.timeZone = zone
            }
        }
        if let raw = input.location {
            if let text = check.capture({ try Text.clean(raw, field: "location", max: 200) }) { event.location = text }
        }
        if let raw = input.onlineURL {
            if let url = check.capture({ try WebAddress.parse(raw, field: "online_url") }) { event.onlineURL = url }
        }
        if let capacity = input.capacity {
            if capacity == 0 {
                event.capacity = nil
            } else if !(1...100_000).contains(capacity) {
                check.fail("capacity", "must be a whole number from 1 to 100000, or 0 for no limit")
            } else if capacity < going {
                check.fail("capacity", "must be at least \(going), the members already going")
            } else {
                event.capacity = capacity
            }
        }
        if event.format == .smallCircle {
            if event.capacity == nil { event.capacity = EventFormat.smallCircleLimit }
            if let capacity = event.capacity, capacity > EventFormat.smallCircleLimit {
                check.fail("capacity", "must be at most \(EventFormat.smallCircleLimit) for a small circle")
            }
        }
        if let raw = input.audienceCohort {
            if let cohort = check.capture({ try Text.clean(raw, field: "audience.cohort", max: 100) }) {
                event.audienceCohort = Text.key(cohort)
            }
        }
        if event.format == .reunion && event.audienceCohort.isEmpty {
            check.fail("audience.cohort", "is required for a reunion (the class or cohort it is for, such as Class of 2015)")
        }
        if let raw = input.rsvpDeadline {
            if raw.isEmpty {
                event.rsvpDeadline = nil
            } else if let deadline = check.capture({ try Moment.parse(raw, field: "rsvp_deadline") }) ?? nil {
                event.rsvpDeadline = deadline
            }
        }
        if !check.errors.contains(where: { ["starts_at", "ends_at", "rsvp_deadline"].contains($0.field) }) {
            if event.endsAt <= event.startsAt { check.fail("ends_at", "must be after starts_at") }
            if event.endsAt.timeIntervalSince(event.startsAt) > 31 * 86_400 { check.fail("ends_at", "must be within 31 days of starts_at") }
            if let deadline = event.rsvpDeadline, deadline > event.startsAt { check.fail("rsvp_deadline", "must be before starts_at") }
        }
        try check.throwIfFailed()
    }
}
