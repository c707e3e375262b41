import Foundation
import KithApp
import KithDomain
import KithStorage
import KithTestSupport
import KithWeb
import Testing

@Suite struct EventServiceTests {
    static let day: TimeInterval = 86_400

    static func input(_ format: String = "meetup", capacity: Int? = nil, in clock: TestClock, cohort: String? = nil) -> EventInput {
        EventInput(
            title: "Data & donuts",
            description: "Talks; then donuts, of course.\nBring a friend.",
            format: format,
            startsAt: Moment.format(clock.now.addingTimeInterval(7 * day)),
            endsAt: Moment.format(clock.now.addingTimeInterval(7 * day + 7_200)),
            timeZone: "Europe/Lisbon",
            location: "Room 1, Main St",
            capacity: capacity,
            audienceCohort: cohort
        )
    }

    /// 200 members RSVP at once for 50 places: exactly 50 going, 150 waitlisted in positions 1…150.
    @Test func capacityHoldsUnderConcurrentRSVPs() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let mail = RecordingMailTransport()
            let services = testServices(store, clock: clock, mail: mail)
            let organizer = try await services.register("organizer").member
            let event = try await services.events.create(Self.input(capacity: 50, in: clock), by: organizer).event.id.description
            var members: [Member] = []
            for index in 0..<200 { members.append(try await services.register("member-\(index)").member) }
            let outcomes = try await withThrowingTaskGroup(of: RSVPOutcome.self) { group in
                for member in members { group.addTask { try await services.events.respond("going", to: event, by: member) } }
                var all: [RSVPOutcome] = []
                for try await outcome in group { all.append(outcome) }
                return all
            }
            #expect(outcomes.filter { $0.status == .going }.count == 50)
            #expect(outcomes.filter { $0.status == .waitlisted }.count == 150)
            let attendees = try await services.events.attendees(event, by: organizer)
            #expect(attendees.filter { $0.status == .going }.count == 50)
            #expect(attendees.compactMap(\.waitlistPosition) == Array(1...150))

            // A freed place goes to the first in line at once, who is told; nobody jumps the line.
            let first = try #require(attendees.first { $0.waitlistPosition == 1 }?.member)
            let second = try #require(attendees.first { $0.waitlistPosition == 2 }?.member)
            let leaver = try #require(attendees.first { $0.status == .going }?.member)
            let left = try await services.events.respond("not_going", to: event, by: leaver)
            #expect(left.promoted == [first.id])
            #expect(try await services.events.event(event, viewer: first).myRSVP == .going)
            #expect(try await services.events.event(event, viewer: second).myWaitlistPosition == 1)
            #expect(try await services.notifications.notifications(of: first).first?.title.hasPrefix("You have a place") == true)
            // The email was queued with the promotion and goes out with the next delivery.
            _ = try await services.reminders.deliverMail()
            #expect(mail.sent.filter { $0.subject.hasPrefix("You have a place") }.map(\.memberID) == [first.id])
            let back = try await services.events.respond("going", to: event, by: leaver)
            #expect(back.status == .waitlisted)
            #expect(back.waitlistPosition == 150)
            // Asking again keeps one's place.
            #expect(try await services.events.respond("going", to: event, by: second).waitlistPosition == 1)
        }
    }

    @Test func badEventsAndRSVPsAreRefusedAndChangeNothing() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let services = testServices(store, clock: clock)
            let organizer = try await services.register("organizer").member
            let guest = try await services.register("guest").member
            var bad = Self.input(in: clock)
            bad.endsAt = Moment.format(clock.now.addingTimeInterval(6 * Self.day))
            bad.timeZone = "Mars/Olympus"
            do {
                _ = try await services.events.create(bad, by: organizer)
                Issue.record("accepted an event ending before it starts")
            } catch DomainError.invalid(let errors) {
                #expect(Set(errors.map(\.field)) == ["timezone", "ends_at"])
            }
            bad.timeZone = "Europe/Lisbon"
            await #expect(throws: DomainError.invalid(field: "ends_at", reason: "must be after starts_at")) {
                try await services.events.create(bad, by: organizer)
            }
            await #expect(throws: DomainError.self) { try await services.events.create(Self.input("reunion", in: clock), by: organizer) }
            await #expect(throws: DomainError.self) {
                try await services.events.create(Self.input("small_circle", capacity: 9, in: clock), by: organizer)
            }
            let circle = try await services.events.create(Self.input("small_circle", in: clock), by: organizer)
            #expect(circle.event.capacity == 8)

            let event = try await services.events.create(Self.input(capacity: 2, in: clock), by: organizer).event.id.description
            _ = try await services.events.respond("going", to: event, by: guest)
            _ = try await services.events.respond("going", to: event, by: organizer)
            await #expect(throws: DomainError.self) {
                try await services.events.update(event, with: EventInput(capacity: 1), by: organizer)
            }
            await #expect(throws: DomainError.forbidden("Only the organiser can change this event.")) {
                try await services.events.update(event, with: EventInput(title: "Mine now"), by: guest)
            }
            await #expect(throws: DomainError.self) { try await services.events.respond("perhaps", to: event, by: guest) }
            #expect(try await services.events.event(event, viewer: guest).goingCount == 2)

            _ = try await services.events.cancel(event, by: organizer)
            await #expect(throws: DomainError.conflict(field: "status", message: "This event was cancelled.")) {
                try await services.events.respond("going", to: event, by: guest)
            }
            #expect(try await services.notifications.notifications(of: guest).first?.title == "Cancelled: Data & donuts")
            let later = try await services.events.create(Self.input(in: clock), by: organizer).event.id.description
            clock.advance(by: 8 * Self.day)
            await #expect(throws: DomainError.conflict(field: "status", message: "This event is over.")) {
                try await services.events.respond("going", to: later, by: guest)
            }
        }
    }

    /// After the RSVP deadline only "not going" is taken; a refused answer stores nothing.
    @Test func theDeadlineClosesAnswersButLetsMembersWithdraw() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let services = testServices(store, clock: clock)
            let organizer = try await services.register("organizer").member
            let guest = try await services.register("guest").member
            let late = try await services.register("late").member
            var input = Self.input(capacity: 5, in: clock)
            input.rsvpDeadline = Moment.format(clock.now.addingTimeInterval(2 * Self.day))
            let event = try await services.events.create(input, by: organizer).event.id.description
            #expect(try await services.events.respond("going", to: event, by: guest).status == .going)
            clock.advance(by: 3 * Self.day)
            for choice in ["going", "maybe"] {
                await #expect(throws: DomainError.self) { try await services.events.respond(choice, to: event, by: late) }
            }
            #expect(try await services.events.event(event, viewer: late).goingCount == 1)
            #expect(try await services.events.respond("not_going", to: event, by: guest).status == .notGoing)
            #expect(try await services.events.event(event, viewer: late).goingCount == 0)
            await #expect(throws: DomainError.notFound("event")) { try await services.events.respond("going", to: "not-an-id", by: late) }
        }
    }

    @Test func raisingCapacityPromotesInOrderAndCheckInWorks() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let services = testServices(store, clock: clock)
            let organizer = try await services.register("organizer").member
            let a = try await services.register("alpha").member
            let b = try await services.register("bravo").member
            let c = try await services.register("charlie").member
            let event = try await services.events.create(Self.input(capacity: 1, in: clock), by: organizer)
            let id = event.event.id.description
            for member in [a, b, c] { _ = try await services.events.respond("going", to: id, by: member) }
            _ = try await services.events.update(id, with: EventInput(capacity: 2), by: organizer)
            #expect(try await services.events.event(id, viewer: b).myRSVP == .going)
            #expect(try await services.events.event(id, viewer: c).myWaitlistPosition == 1)

            await #expect(throws: DomainError.self) {
                try await services.events.checkIn(handle: nil, code: event.event.checkInCode, event: id, by: a)
            }
            clock.advance(by: 7 * Self.day)
            #expect(
                try await services.events.checkIn(handle: nil, code: event.event.checkInCode.lowercased(), event: id, by: a).checkedInAt
                    != nil
            )
            await #expect(throws: DomainError.self) { try await services.events.checkIn(handle: nil, code: "WRONG1", event: id, by: b) }
            await #expect(throws: DomainError.self) { try await services.events.checkIn(handle: "bravo", code: nil, event: id, by: c) }
            #expect(try await services.events.checkIn(handle: "@bravo", code: nil, event: id, by: organizer).checkedInAt != nil)
            await #expect(throws: DomainError.self) {
                try await services.events.checkIn(handle: "charlie", code: nil, event: id, by: organizer)
            }
        }
    }

    @Test func attendanceHistoryKeepsPastEventsWithCheckInsForTheMemberOnly() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let services = testServices(store, clock: clock)
            let organizer = try await services.register("organizer").member
            let a = try await services.register("alpha").member
            let b = try await services.register("bravo").member
            let first = try await services.events.create(Self.input(in: clock), by: organizer).event
            clock.advance(by: Self.day)
            let second = try await services.events.create(Self.input(in: clock), by: organizer).event
            let cancelled = try await services.events.create(Self.input(in: clock), by: organizer).event
            for event in [first, second, cancelled] { _ = try await services.events.respond("going", to: event.id.description, by: a) }
            _ = try await services.events.respond("going", to: second.id.description, by: b)
            _ = try await services.events.respond("not_going", to: second.id.description, by: b)
            _ = try await services.events.cancel(cancelled.id.description, by: organizer)
            // Nothing is history before it ends.
            #expect(try await services.events.attendance(of: a).isEmpty)
            clock.advance(by: 6 * Self.day + 3_600)
            _ = try await services.events.checkIn(handle: nil, code: second.checkInCode, event: second.id.description, by: a)
            clock.advance(by: 2 * Self.day)
            let history = try await services.events.attendance(of: a)
            #expect(history.map(\.event.id) == [second.id, first.id])
            #expect(history.map { $0.checkedInAt != nil } == [true, false])
            // Bravo said no in the end; the organiser only organised.
            #expect(try await services.events.attendance(of: b).isEmpty)
            #expect(try await services.events.attendance(of: organizer).isEmpty)
        }
    }

    @Test func iCalendarFeedsAreValidAndPrivateToTheirToken() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let services = testServices(store, clock: clock)
            let organizer = try await services.register("organizer").member
            let guest = try await services.register("guest").member
            let id = try await services.events.create(Self.input(in: clock), by: organizer).event.id.description
            _ = try await services.events.create(Self.input(in: clock), by: organizer)
            _ = try await services.events.respond("maybe", to: id, by: guest)
            #expect(try await services.events.calendarFeed(of: guest) == nil)
            let first = try await services.events.resetCalendarFeed(for: guest)
            let token = try await services.events.resetCalendarFeed(for: guest)
            #expect(first != token)
            #expect(try await services.events.calendarFeed(of: guest) == clock.now)
            // A reset address stops working at once.
            await #expect(throws: DomainError.notFound("calendar")) { try await services.events.feed(token: first, publicURL: "") }
            let feed = try await services.events.feed(token: token, publicURL: "https://kith.example")
            #expect(feed.components(separatedBy: "BEGIN:VEVENT").count == 2)
            #expect(feed.contains("SUMMARY:Data & donuts"))
            #expect(feed.contains("DESCRIPTION:Talks\\; then donuts\\, of course.\\nBring a friend."))
            for line in feed.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 75) }
            #expect(feed.hasSuffix("END:VCALENDAR\r\n"))
            await #expect(throws: DomainError.notFound("calendar")) { try await services.events.feed(token: "cal_guess", publicURL: "") }
        }
    }

    @Test func reunionsInviteTheCohort() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let services = testServices(store, clock: clock)
            let organizer = try await services.register("organizer").member
            let classmate = try await services.register("classmate").member
            let hidden = try await services.register("hidden").member
            let other = try await services.register("other").member
            let blocker = try await services.register("blocker").member
            for (member, cohort) in [
                (organizer, "Class of 2015"), (classmate, "Class of 2015"), (hidden, "Class of 2015"), (other, "Class of 2016"),
                (blocker, "Class of 2015"),
            ] {
                _ = try await services.profiles.addAffiliation(
                    AffiliationInput(kind: "school", organization: "Northfield University", cohort: cohort),
                    to: member
                )
            }
            _ = try await services.profiles.update(ProfileChanges(visibility: ["affiliations": "only_me"]), of: hidden)
            try await services.blocks.block(handle: "organizer", by: blocker)
            // Only a member of the class (or a moderator) may call its reunion, which emails everyone in it.
            await #expect(
                throws: DomainError.invalid(
                    field: "audience.cohort",
                    reason: "must be a class or cohort on your own profile; ask a moderator to organise a reunion for another"
                )
            ) {
                try await services.events.create(Self.input("reunion", in: clock, cohort: "class of 2015"), by: other)
            }
            #expect(try await services.notifications.notifications(of: classmate).isEmpty)
            _ = try await services.events.create(Self.input("reunion", in: clock, cohort: "class of 2015"), by: organizer)
            #expect(try await services.notifications.notifications(of: classmate).map(\.title) == ["Your reunion: Data & donuts"])
            // Someone who blocked the organiser hears nothing from them.
            #expect(try await services.notifications.notifications(of: blocker).isEmpty)
            #expect(try await services.notifications.notifications(of: hidden).isEmpty)
            #expect(try await services.notifications.notifications(of: other).isEmpty)
            let listed = try await services.events.list(
                upcoming: "true",
                format: "reunion",
                cohort: "Class of 2015",
                mine: nil,
                after: nil,
                limit: nil,
                viewer: other
            )
            #expect(listed.items.count == 1)
        }
    }
}

@Suite struct EventNetworkingTests {
    @Test func peopleToMeetUseOnlyWhatTheViewerMaySeeAndWhoIMetMakesContacts() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let services = testServices(store, clock: clock)
            let organizer = try await services.register("organizer").member
            let me = try await services.register("viewer", name: "Vera Viewer").member
            let classmate = try await services.register("classmate", name: "Cass Classmate").member
            let coder = try await services.register("coder", name: "Cody Coder").member
            let secret = try await services.register("secretive", name: "Sam Secret").member
            let absent = try await services.register("absent").member
            for member in [me, classmate, secret] {
                _ = try await services.profiles.addAffiliation(
                    AffiliationInput(kind: "school", organization: "Northfield University", cohort: "Class of 2015"),
                    to: member
                )
            }
            _ = try await services.profiles.update(ProfileChanges(skills: ["Swift", "Rust"]), of: me)
            _ = try await services.profiles.update(ProfileChanges(skills: ["swift"]), of: coder)
            _ = try await services.profiles.update(
                ProfileChanges(skills: ["Swift"], visibility: ["affiliations": "only_me", "skills": "only_me"]),
                of: secret
            )
            let event = try await services.events.create(EventServiceTests.input(capacity: 10, in: clock), by: organizer).event.id
                .description
            for member in [me, classmate, coder, secret] { _ = try await services.events.respond("going", to: event, by: member) }
            await #expect(throws: DomainError.self) { try await services.eventNetworking.peopleToMeet(event, viewer: absent) }

            let people = try await services.eventNetworking.peopleToMeet(event, viewer: me)
            #expect(people.map(\.member.handle.rawValue).prefix(2) == ["classmate", "coder"])
            #expect(people.first?.conversationStarter.contains("Class of 2015") == true)
            #expect(people[1].conversationStarter == "You both list swift — ask what they're building with it.")
            let hidden = try #require(people.first { $0.member.id == secret.id })
            #expect(hidden.reasons.isEmpty)
            #expect(!hidden.conversationStarter.contains("2015") && !hidden.conversationStarter.lowercased().contains("swift"))

            await #expect(throws: DomainError.self) {
                try await services.eventNetworking.met(["classmate"], note: nil, event: event, viewer: me)
            }
            clock.advance(by: 7 * EventServiceTests.day + 600)
            do {
                _ = try await services.eventNetworking.met(["classmate", "absent"], note: nil, event: event, viewer: me)
                Issue.record("recorded someone who was not there")
            } catch DomainError.invalid(let errors) {
                #expect(errors.map(\.field) == ["members[1]"])
            }
            let report = try await services.eventNetworking.met(
                ["@classmate", "coder"],
                note: "Great chat about compilers",
                event: event,
                viewer: me
            )
            #expect(report.contacts.count == 2)
            let contact = try await services.contacts.contact(report.contacts[0].description, owner: me)
            #expect(contact.view.memberHandle?.rawValue == "classmate")
            #expect(contact.interactions.map(\.kind) == [.event])
            #expect(contact.followUps.first?.text == "Follow up with Cass Classmate after Data & donuts")
            // Recording again reuses the contact.
            let again = try await services.eventNetworking.met(["classmate"], note: nil, event: event, viewer: me)
            #expect(again.contacts == [report.contacts[0]])
        }
    }
}

@Suite struct EventAbuseTests {
    @Test func membersCreateAtMostTenEventsADayModeratorsMore() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let services = testServices(store, clock: clock)
            let member = try await services.register("busy").member
            for _ in 0..<EventService.dailyCreationLimit {
                _ = try await services.events.create(EventServiceTests.input(in: clock), by: member)
            }
            await #expect(throws: DomainError.rateLimited(retryAfterSeconds: 3_600)) {
                try await services.events.create(EventServiceTests.input(in: clock), by: member)
            }
            clock.advance(by: 86_401)
            _ = try await services.events.create(EventServiceTests.input(in: clock), by: member)
            let moderator = try await services.accounts.setRole(
                "moderator",
                ofHandle: try await services.register("mod").member.handle.rawValue
            )
            for _ in 0...EventService.dailyCreationLimit {
                _ = try await services.events.create(EventServiceTests.input(in: clock), by: moderator)
            }
        }
    }

    @Test func blockedMembersAreNeitherClassmatesGoingNorSomeoneIMet() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let services = testServices(store, clock: clock)
            let me = try await services.register("viewer").member
            let friend = try await services.register("friend").member
            let blocked = try await services.register("blocked").member
            for member in [me, friend, blocked] {
                _ = try await services.profiles.addAffiliation(
                    AffiliationInput(kind: "school", organization: "Northfield University", cohort: "Class of 2015"),
                    to: member
                )
            }
            let event = try await services.events.create(EventServiceTests.input(in: clock), by: me).event.id.description
            for member in [me, friend, blocked] { _ = try await services.events.respond("going", to: event, by: member) }
            #expect(Set(try await services.events.classmatesGoing(event, viewer: me).map(\.id)) == [friend.id, blocked.id])
            try await services.blocks.block(handle: "viewer", by: blocked)
            #expect(try await services.events.classmatesGoing(event, viewer: me).map(\.id) == [friend.id])
            #expect(try await services.events.classmatesGoing(event, viewer: blocked).map(\.id) == [friend.id])
            clock.advance(by: 7 * EventServiceTests.day + 600)
            await #expect(throws: DomainError.invalid([FieldError(field: "members[0]", message: "is not someone at this event")])) {
                try await services.eventNetworking.met(["blocked"], note: nil, event: event, viewer: me)
            }
            #expect(try await services.eventNetworking.met(["friend"], note: nil, event: event, viewer: me).contacts.count == 1)
        }
    }

    @Test func checkInCodesCannotBeGuessed() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let services = testServices(store, clock: clock)
            let organizer = try await services.register("host").member
            let guest = try await services.register("guest").member
            let created = try await services.events.create(EventServiceTests.input(in: clock), by: organizer)
            let event = created.event.id.description
            _ = try await services.events.respond("going", to: event, by: guest)
            clock.advance(by: 7 * EventServiceTests.day)
            for guess in ["AAAAAA", "BBBBBB", "CCCCCC", "DDDDDD", "EEEEEE"] {
                await #expect(throws: DomainError.invalid(field: "code", reason: "is not this event's check-in code")) {
                    try await services.events.checkIn(handle: nil, code: guess, event: event, by: guest)
                }
            }
            // The sixth try waits — even with the right code, so guessing cannot be told apart.
            await #expect(throws: DomainError.rateLimited(retryAfterSeconds: 30)) {
                try await services.events.checkIn(handle: nil, code: created.event.checkInCode, event: event, by: guest)
            }
            clock.advance(by: 30)
            let rsvp = try await services.events.checkIn(handle: nil, code: created.event.checkInCode, event: event, by: guest)
            #expect(rsvp.checkedInAt != nil)
        }
    }

    /// A large event is narrowed to the attendees whose profiles give the viewer a reason, read
    /// for everyone at once, before the costly look at each; the best match still comes first.
    @Test func aLargeEventIsNarrowedByWhatProfilesShow() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let services = testServices(store, clock: clock)
            let me = try await services.register("viewer").member
            _ = try await services.profiles.addAffiliation(
                AffiliationInput(kind: "school", organization: "Northfield University", cohort: "Class of 2015"),
                to: me
            )
            let event = try await services.events.create(EventServiceTests.input(in: clock), by: me).event.id.description
            _ = try await services.events.respond("going", to: event, by: me)
            let count = EventNetworking.detailedCandidates + 30
            var last: Member?
            for index in 0..<count {
                let member = try await services.register("guest-\(index)").member
                _ = try await services.events.respond("going", to: event, by: member)
                last = member
            }
            let classmate = try #require(last)
            _ = try await services.profiles.addAffiliation(
                AffiliationInput(kind: "school", organization: "Northfield University", cohort: "Class of 2015"),
                to: classmate
            )
            let people = try await services.eventNetworking.peopleToMeet(event, viewer: me)
            #expect(people.first?.member.id == classmate.id)
            #expect(people.first?.reasons == ["both Class of 2015 at Northfield University"])
            // Blocked, the classmate is not suggested at all.
            try await services.blocks.block(handle: classmate.handle.rawValue, by: me)
            #expect(!(try await services.eventNetworking.peopleToMeet(event, viewer: me)).contains { $0.member.id == classmate.id })
        }
    }
}
