import Foundation
import KithApp
import KithDemo
import KithDomain
import KithStorage
import KithTestSupport
import KithWeb
import SQLKit
import Testing

/// The weekly email run at the storage boundary: one read per batch of members says which stores
/// hold anything for each, and the run must build from it exactly what each member's own email
/// would say.
@Suite struct WeeklyRunTests {
    /// The weekly run reads, for a batch of members at once, which stores hold anything for each
    /// and builds their plans from those alone, recording a few emails to a transaction: what it
    /// queues must be, member for member and word for word, what each one's email alone would be
    /// — over a demo community where members have, between them, every source the plan reads
    /// (conversations, requests, contacts with follow-ups and help received, events, introductions
    /// and help asks, a looking signal and its circle, an event organised, items done, digest and
    /// "off" choices), in a first week and in the next (items already emailed left out). A plan
    /// on its own asks the same question for one member: it too must match reading every store.
    @Test func theWeeklyRunQueuesWhatEachMembersOwnEmailWouldSay() async throws {
        try await withMigratedStore { store async throws in
            try await DemoSeeding.seedIfEmpty(store, members: 90, publicURL: "http://kith.test")
            let clock = TestClock(WeeklySlot.suggested(for: nil).weekStart(of: Date()).addingTimeInterval(7 * 86_400 - 60))
            let services = testServices(store, clock: clock)
            try await services.graph.rebuild()
            let plans = SQLPlanRepository(store: store)
            // Someone new, who will organise an event and answer none (organising is enough).
            let organizer = try await services.register("organiser-5521", name: "Orla Organiser").member
            let everyone = try await plans.membersAwaitingWeeklyEmail(weekOf: .distantPast, after: nil, limit: 1_000)
            #expect(everyone.count == 91)
            let byHandle = Dictionary(uniqueKeysWithValues: everyone.map { ($0.member.handle.rawValue, $0.member) })
            let demo = try #require(byHandle[DemoCommunity.demoHandle])
            // What the demo seeding leaves out: a looking signal with its circle, an item done,
            // a kind in the digest, a member with the weekly email off.
            let connected = try await store.read { db in
                try await db.raw(
                    "SELECT other_id FROM connections WHERE member_id = \(bind: demo.id.description) ORDER BY other_id LIMIT 2"
                )
                .all().map { try #require(Member.ID(try $0.decode(column: "other_id", as: String.self))) }
            }
            let circle = everyone.filter { connected.contains($0.member.id) }.map(\.member)
            #expect(circle.count == 2)
            _ = try await services.looking.set(
                active: true,
                roles: ["data engineer"],
                locations: ["Lisbon"],
                circle: circle.map(\.handle.rawValue),
                by: demo
            )
            let demoPlan = try await services.plans.plan(for: demo)
            let done = try #require(demoPlan.items.first { $0.kind != .goal })
            try await services.plans.mark(done.key, action: "done", for: demo)
            _ = try await services.notifications.update(["connection_request": (email: "digest", inApp: nil)], of: demo)
            _ = try await services.notifications.update(["weekly_plan": (email: "off", inApp: nil)], of: everyone[5].member)
            _ = try await services.events.create(
                EventInput(
                    title: "Organised-not-answered 5521",
                    format: "meetup",
                    startsAt: Moment.format(clock.now.addingTimeInterval(2 * 86_400)),
                    endsAt: Moment.format(clock.now.addingTimeInterval(2 * 86_400 + 3_600)),
                    timeZone: "UTC"
                ),
                by: organizer
            )

            // A plan asks first which stores hold anything for the member and reads only those:
            // member for member, the same plan as reading every store.
            var withItems = 0
            for candidate in everyone {
                let asked = try await services.plans.plan(for: candidate.member)
                let everyStore = try await services.plans.plan(for: candidate.member, readingEveryStore: true)
                #expect(asked.items == everyStore.items, "\(candidate.member.handle)")
                #expect(asked.goal.text == everyStore.goal.text, "\(candidate.member.handle)")
                if everyStore.items.contains(where: { ![.goal, .meet].contains($0.kind) }) { withItems += 1 }
            }
            #expect(withItems >= 10)

            func alone() async throws -> [Member.ID: String] {
                var emails: [Member.ID: String] = [:]
                for candidate in everyone {
                    if let (mail, _) = try await services.plans.weeklyEmail(for: candidate.member, email: candidate.email) {
                        emails[candidate.member.id] = mail.key + "\n" + mail.subject + "\n" + mail.body
                    }
                }
                return emails
            }
            func queued(since: Date) async throws -> [Member.ID: String] {
                try await store.read { db in
                    var emails: [Member.ID: String] = [:]
                    for row in try await db.raw(
                        """
                        SELECT member_id, key, subject, body FROM mail_outbox
                        WHERE kind = 'weekly_plan' AND created_at >= \(bind: Int64(since.timeIntervalSince1970 * 1000))
                        """
                    ).all() {
                        emails[try #require(Member.ID(try row.decode(column: "member_id", as: String.self)))] =
                            try row.decode(column: "key", as: String.self) + "\n" + row.decode(column: "subject", as: String.self) + "\n"
                            + row.decode(column: "body", as: String.self)
                    }
                    return emails
                }
            }

            for week in 0..<2 {
                let expected = try await alone()
                let start = clock.now
                // One email at a time (the server's way) in batches of 60 the first week, each
                // batch's suggestions computed in two parts; the next, three at once in batches of 7.
                let sent = try await services.plans.sendWeeklyEmails(
                    batch: week == 0 ? 60 : 7,
                    concurrency: 1 + 2 * week,
                    suggestionParts: 2 - week,
                    recordEvery: 3
                )
                let got = try await queued(since: start)
                #expect(sent == expected.count, "week \(week)")
                #expect(got.count == expected.count, "week \(week)")
                for (member, email) in expected where got[member] != email {
                    Issue.record(
                        "week \(week): the run's email for \(member) differs from the member's own:\n\(got[member] ?? "(none)")\n---\n\(email)"
                    )
                }
                // The sources the run skipped really were empty for someone: the demo member's
                // email names their own private world, others' do not.
                if week == 0 {
                    let demoEmail = try #require(got[demo.id])
                    #expect(demoEmail.contains("Follow up with") || demoEmail.contains("Catch up with"))
                    #expect(demoEmail.contains("Also waiting for you in Kith"))
                    #expect(got[everyone[5].member.id] == nil)
                    #expect(got.values.contains { $0.contains("counts on you") })
                    #expect(got[organizer.id]?.contains("Organised-not-answered 5521") == true)
                }
                #expect(try await services.plans.sendWeeklyEmails(batch: 7, recordEvery: 3) == 0, "week \(week): once")
                clock.advance(by: 7 * 86_400)
            }
        }
    }
}
