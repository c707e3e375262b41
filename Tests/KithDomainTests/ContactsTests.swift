import Foundation
import KithApp
import KithDomain
import KithStorage
import KithTestSupport
import KithWeb
import Testing

/// The private relationship manager on a real store (SQLite, and PostgreSQL in CI).
@Suite struct ContactsTests {
    static let day: TimeInterval = 86_400

    @Test func contactsAreCreatedValidatedAndListedByName() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            let ada = try await services.register("ada").member
            let grace = try await services.contacts.create(
                ContactInput(name: "Grace Hopper", emails: ["Grace@Navy.mil", "grace@navy.mil"], tags: ["close", "Close"]),
                owner: ada
            )
            #expect(grace.contact.emails == ["grace@navy.mil"])
            #expect(grace.contact.tags == ["close"])
            #expect(grace.state.cadence == Cadence(idealDays: 30, maximumDays: 45))
            _ = try await services.contacts.create(ContactInput(name: "Alan Turing", organization: "Bletchley Park"), owner: ada)
            let page = try await services.contacts.list(text: nil, tag: nil, status: nil, after: nil, limit: nil, owner: ada)
            #expect(page.items.map(\.contact.name) == ["Alan Turing", "Grace Hopper"])
            let bletchley = try await services.contacts.list(text: "bletchley", tag: nil, status: nil, after: nil, limit: nil, owner: ada)
            #expect(bletchley.items.map(\.contact.name) == ["Alan Turing"])
            let close = try await services.contacts.list(text: nil, tag: "CLOSE", status: nil, after: nil, limit: nil, owner: ada)
            #expect(close.items.map(\.contact.name) == ["Grace Hopper"])

            do {
                _ = try await services.contacts.create(
                    ContactInput(name: " ", emails: ["not-an-email"], phones: ["call me"], cadenceDays: 9999),
                    owner: ada
                )
                Issue.record("invalid contact was stored")
            } catch DomainError.invalid(let errors) {
                #expect(Set(errors.map(\.field)) == ["name", "emails[0]", "phones[0]", "cadence_days"])
            }
            #expect(try await services.contacts.list(text: nil, tag: nil, status: nil, after: nil, limit: nil, owner: ada).items.count == 2)
        }
    }

    @Test func linkingAMemberIsUniqueAndRespectsBlocks() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            let ada = try await services.register("ada").member
            let bob = try await services.register("bob").member
            let linked = try await services.contacts.create(ContactInput(name: "Bob", member: "@bob"), owner: ada)
            #expect(linked.memberHandle?.rawValue == "bob")
            await #expect(throws: DomainError.self) {
                try await services.contacts.create(ContactInput(name: "Bob again", member: "bob"), owner: ada)
            }
            await #expect(throws: DomainError.self) {
                try await services.contacts.create(ContactInput(name: "Me", member: "ada"), owner: ada)
            }
            try await services.blocks.block(handle: "ada", by: bob)
            // A block hides the link without announcing it, and no new link can be made.
            let detail = try await services.contacts.contact(linked.contact.id.description, owner: ada)
            #expect(detail.view.memberHandle == nil)
            #expect(detail.profile == nil)
            _ = try await services.register("dee")
            try await services.blocks.block(handle: "dee", by: ada)
            await #expect(throws: DomainError.self) {
                try await services.contacts.create(ContactInput(name: "Dee", member: "dee"), owner: ada)
            }
        }
    }

    @Test func concurrentLinksToOneMemberStoreOneAndReportConflictsForTheRest() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            let ada = try await services.register("ada").member
            _ = try await services.register("bob")
            let outcomes = await withTaskGroup(of: String.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        do {
                            _ = try await services.contacts.create(ContactInput(name: "Bob \(index)", member: "bob"), owner: ada)
                            return "stored"
                        } catch DomainError.conflict(let field, _) {
                            return "conflict:\(field ?? "")"
                        } catch {
                            return "other: \(error)"
                        }
                    }
                }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == "stored" }.count == 1)
            #expect(outcomes.filter { $0 == "conflict:member" }.count == 19, "\(outcomes)")
            #expect(try await services.contacts.list(text: nil, tag: nil, status: nil, after: nil, limit: nil, owner: ada).items.count == 1)
        }
    }

    @Test func cadencesMoveThroughDueOverdueAndBackOnAnyInteraction() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let services = testServices(store, clock: clock)
            let ada = try await services.register("ada").member
            let id = try await services.contacts.create(ContactInput(name: "Grace", cadenceDays: 30), owner: ada).contact.id.description
            func status() async throws -> ContactStatus { try await services.contacts.contact(id, owner: ada).view.status }
            #expect(try await status() == .ok)
            clock.advance(by: 31 * Self.day)
            #expect(try await status() == .due)
            clock.advance(by: 15 * Self.day)
            #expect(try await status() == .overdue)
            let (_, after) = try await services.contacts.log(InteractionInput(kind: "coffee", note: "Caught up"), contact: id, owner: ada)
            #expect(after.status == .ok)
            #expect(after.state.nextDueAt == clock.now.addingTimeInterval(30 * Self.day))
            // An older interaction logged late does not move the timer back.
            let old = Moment.format(clock.now.addingTimeInterval(-100 * Self.day))
            let (_, still) = try await services.contacts.log(InteractionInput(kind: "call", occurredAt: old), contact: id, owner: ada)
            #expect(still.state.nextDueAt == after.state.nextDueAt)
            clock.advance(by: 31 * Self.day)
            #expect(try await status() == .due)
            let snoozed = try await services.contacts.snooze(id, days: 7, owner: ada)
            #expect(snoozed.status == .ok)
            clock.advance(by: 8 * Self.day)
            #expect(try await status() == .due)
            #expect(try await services.contacts.markInTouch(id, owner: ada).status == .ok)
            await #expect(throws: DomainError.self) {
                try await services.contacts.log(
                    InteractionInput(kind: "lunch", occurredAt: "tomorrow-ish"),
                    contact: id,
                    owner: ada
                )
            }
            #expect(try await services.contacts.interactions(of: id, owner: ada).count == 3)
        }
    }

    @Test func tagCadencesApplyToContactsWithoutTheirOwn() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let services = testServices(store, clock: clock)
            let ada = try await services.register("ada").member
            let id = try await services.contacts.create(ContactInput(name: "Lin", tags: ["mentor"]), owner: ada).contact.id.description
            #expect(try await services.contacts.contact(id, owner: ada).view.state.cadence == nil)
            _ = try await services.contacts.setTagCadence(tag: "Mentor", ideal: 14, maximum: 21, owner: ada)
            clock.advance(by: 15 * Self.day)
            let board = try await services.contacts.keepInTouch(owner: ada)
            #expect(board.due.map(\.contact.name) == ["Lin"])
            await #expect(throws: DomainError.self) {
                try await services.contacts.setTagCadence(tag: "x", ideal: 10, maximum: 5, owner: ada)
            }
            try await services.contacts.deleteTagCadence(tag: "mentor", owner: ada)
            #expect(try await services.contacts.keepInTouch(owner: ada).due.isEmpty)
        }
    }

    @Test func dormantTiesAreRankedWithAGentleMessage() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let services = testServices(store, clock: clock)
            let ada = try await services.register("ada").member
            let strong = try await services.contacts.create(
                ContactInput(name: "Marie Curie", organization: "Sorbonne", title: "Professor", howWeMet: "The Solvay conference"),
                owner: ada
            )
            let weak = try await services.contacts.create(ContactInput(name: "Passing Acquaintance"), owner: ada)
            let long = Moment.format(clock.now.addingTimeInterval(-4 * 365 * Self.day))
            for _ in 0..<4 {
                _ = try await services.contacts.log(
                    InteractionInput(kind: "meeting", occurredAt: long),
                    contact: strong.contact.id.description,
                    owner: ada
                )
            }
            _ = try await services.contacts.log(
                InteractionInput(kind: "email", occurredAt: long),
                contact: weak.contact.id.description,
                owner: ada
            )
            let board = try await services.contacts.keepInTouch(owner: ada)
            #expect(board.dormantWorthReviving.map(\.contact.contact.name) == ["Marie Curie"])
            let tie = try #require(board.dormantWorthReviving.first)
            #expect(tie.message.hasPrefix("Hi Marie,"))
            #expect(tie.message.contains("the Solvay conference"))
            #expect(tie.reasons.contains("4 interactions logged"))
            #expect(tie.contact.status == .dormant)
        }
    }

    @Test func theReciprocityLedgerCountsHelpBothWays() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            let ada = try await services.register("ada").member
            let id = try await services.contacts.create(ContactInput(name: "Grace"), owner: ada).contact.id.description
            #expect(try await services.contacts.contact(id, owner: ada).giveBeforeYouAsk)
            _ = try await services.contacts.log(InteractionInput(kind: "help_received", help: "referral"), contact: id, owner: ada)
            _ = try await services.contacts.log(InteractionInput(kind: "help_received", help: "advice"), contact: id, owner: ada)
            _ = try await services.contacts.log(InteractionInput(kind: "intro_made"), contact: id, owner: ada)
            _ = try await services.contacts.log(InteractionInput(kind: "coffee"), contact: id, owner: ada)
            let detail = try await services.contacts.contact(id, owner: ada)
            #expect(detail.ledger.given == 1)
            #expect(detail.ledger.received == 2)
            #expect(detail.ledger.balance == -1)
            #expect(detail.ledger.givenByKind == [.intro: 1])
            #expect(!detail.giveBeforeYouAsk)
            let report = try await services.contacts.reciprocity(owner: ada)
            #expect(report.totals.received == 2)
            #expect(report.rows.map(\.contact.name) == ["Grace"])
            await #expect(throws: DomainError.self) {
                try await services.contacts.log(InteractionInput(kind: "help_given", help: "money"), contact: id, owner: ada)
            }
        }
    }

    @Test func remindersArriveOnceAndCatchUpAfterDowntime() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let mail = RecordingMailTransport()
            let services = testServices(store, clock: clock, mail: mail)
            let ada = try await services.register("ada").member
            let grace = try await services.contacts.create(ContactInput(name: "Grace", cadenceDays: 10), owner: ada).contact.id.description
            let tomorrow = Moment.format(clock.now.addingTimeInterval(Self.day))
            _ = try await services.contacts.addFollowUp(FollowUpInput(dueAt: tomorrow, text: "Send the paper"), contact: grace, owner: ada)
            #expect(try await services.reminders.generate() == 0)
            // Nothing ran for two weeks: the next run catches up on both the follow-up and the cadence.
            clock.advance(by: 14 * Self.day)
            #expect(try await services.reminders.generate() == 2)
            #expect(try await services.reminders.generate() == 0)
            let titles = try await services.notifications.notifications(of: ada).map(\.title).sorted()
            #expect(titles == ["Follow up with Grace", "Time to catch up with Grace"])
            #expect(try await services.notifications.unreadCount(of: ada) == 2)

            mail.failing = true
            #expect(try await services.reminders.deliverMail().failed == 2)
            mail.failing = false
            #expect(try await services.reminders.deliverMail().sent == 0)  // backing off
            clock.advance(by: 3600)
            #expect(try await services.reminders.deliverMail().sent == 2)
            #expect(try await services.reminders.deliverMail().sent == 0)
            #expect(Set(mail.sent.map(\.to)) == ["ada@example.org"])

            // Getting in touch moves the due date on; the next due date gets its own single reminder.
            _ = try await services.contacts.markInTouch(grace, owner: ada)
            #expect(try await services.reminders.generate() == 0)
            clock.advance(by: 11 * Self.day)
            #expect(try await services.reminders.generate() == 1)
            #expect(try await services.reminders.generate() == 0)
            try await services.notifications.markAllRead(of: ada)
            #expect(try await services.notifications.unreadCount(of: ada) == 0)
        }
    }

    @Test func duplicatesAreFoundAndMergedWithTheirHistory() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let services = testServices(store, clock: clock)
            let ada = try await services.register("ada").member
            let eve = try await services.register("eve").member
            let first = try await services.contacts.create(
                ContactInput(name: "Grace Hopper", emails: ["grace@navy.example"], tags: ["close"], notes: "Navy"),
                owner: ada
            ).contact.id.description
            let second = try await services.contacts.create(
                ContactInput(
                    name: "G. Hopper",
                    emails: ["GRACE@navy.example", "g@yale.example"],
                    phones: ["+1 555 0100"],
                    organization: "Yale",
                    notes: "Yale"
                ),
                owner: ada
            ).contact.id.description
            _ = try await services.contacts.create(ContactInput(name: "Someone Else"), owner: ada)
            _ = try await services.contacts.log(InteractionInput(kind: "call", occurredAt: "2020-01-01"), contact: first, owner: ada)
            _ = try await services.contacts.log(InteractionInput(kind: "coffee", occurredAt: "2021-06-01"), contact: second, owner: ada)
            _ = try await services.contacts.addFollowUp(FollowUpInput(dueAt: "2030-01-01", text: "Write back"), contact: second, owner: ada)
            let pairs = try await services.contacts.duplicates(owner: ada)
            #expect(pairs.count == 1)
            #expect(pairs.first?.reason == "both have grace@navy.example")
            await #expect(throws: DomainError.notFound("contact")) { try await services.contacts.merge(second, into: first, owner: eve) }

            let merged = try await services.contacts.merge(second, into: first, owner: ada)
            #expect(merged.contact.emails == ["grace@navy.example", "g@yale.example"])
            #expect(merged.contact.phones == ["+1 555 0100"])
            #expect(merged.contact.organization == "Yale")
            #expect(merged.contact.notes == "Navy\n\nYale")
            #expect(merged.contact.interactionCount == 2)
            #expect(merged.contact.lastInteractionAt == (try Moment.parse("2021-06-01", field: "x")))
            let detail = try await services.contacts.contact(first, owner: ada)
            #expect(detail.interactions.count == 2)
            #expect(detail.followUps.map(\.text) == ["Write back"])
            await #expect(throws: DomainError.notFound("contact")) { try await services.contacts.contact(second, owner: ada) }
            #expect(try await services.contacts.duplicates(owner: ada).isEmpty)
            await #expect(throws: DomainError.self) { try await services.contacts.merge(first, into: first, owner: ada) }
        }
    }

    @Test func nobodyElseCanReachAContact() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            let ada = try await services.register("ada").member
            let eve = try await services.register("eve").member
            let id = try await services.contacts.create(ContactInput(name: "Secret Source", notes: "met at the thing"), owner: ada)
                .contact.id.description
            await #expect(throws: DomainError.notFound("contact")) { try await services.contacts.contact(id, owner: eve) }
            await #expect(throws: DomainError.notFound("contact")) {
                try await services.contacts.update(id, with: ContactInput(name: "Hijacked"), owner: eve)
            }
            await #expect(throws: DomainError.notFound("contact")) {
                try await services.contacts.log(InteractionInput(kind: "call"), contact: id, owner: eve)
            }
            await #expect(throws: DomainError.notFound("contact")) {
                try await services.contacts.addFollowUp(FollowUpInput(dueAt: "2030-01-01", text: "x"), contact: id, owner: eve)
            }
            await #expect(throws: DomainError.notFound("contact")) { try await services.contacts.delete(id, owner: eve) }
            #expect(
                try await services.contacts.list(text: "secret", tag: nil, status: nil, after: nil, limit: nil, owner: eve).items.isEmpty
            )
            #expect(try await services.exports.export(eve).contacts.isEmpty)
            #expect(try await services.exports.export(ada).contacts.map(\.name) == ["Secret Source"])
            #expect(try await services.contacts.contact(id, owner: ada).view.contact.name == "Secret Source")
        }
    }
}
