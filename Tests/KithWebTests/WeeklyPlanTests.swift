import Foundation
import Hummingbird
import KithDomain
import KithTestSupport
import KithWeb
import Testing

/// The weekly networking plan: the slot, the items, their actions, the calendar feed and the
/// weekly email.
@Suite struct WeeklyPlanTests {
    @Test func theSlotIsCheckedFieldByFieldAndShowsInThePlan() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let cases: [(String, String)] = [
                (#"{"weekday":8,"time":"08:30","timezone":"Europe/London","minutes":30}"#, "weekday"),
                (#"{"weekday":4,"time":"8:30","timezone":"Europe/London","minutes":30}"#, "time"),
                (#"{"weekday":4,"time":"24:00","timezone":"Europe/London","minutes":30}"#, "time"),
                (#"{"weekday":4,"time":"08:30","timezone":"Mars/Olympus","minutes":30}"#, "timezone"),
                (#"{"weekday":4,"time":"08:30","timezone":"Europe/London","minutes":10}"#, "minutes"),
                (#"{"weekday":4,"time":"08:30","timezone":"Europe/London","minutes":121}"#, "minutes"),
                (#"{"weekday":4,"time":"08:30","timezone":"Europe/London"}"#, "minutes"),
            ]
            for (json, field) in cases {
                let reply = try await client.send(.put, "/api/v1/me/weekly-plan/slot", token: ada, json: json)
                #expect(reply.status == 422, "\(json) → \(reply.text)")
                #expect(reply.text.contains(#""field":"\#(field)""#), "\(json) → \(reply.text)")
            }
            let set = try await client.send(
                .put,
                "/api/v1/me/weekly-plan/slot",
                token: ada,
                json: #"{"weekday":4,"time":"08:30","timezone":"Europe/London","minutes":45}"#
            )
            #expect(set.status == 200, "\(set.text)")
            let plan = try await client.send(.get, "/api/v1/me/weekly-plan", token: ada).json
            let slot = plan["slot"] as? [String: Any]
            #expect(slot?["weekday"] as? Int == 4 && slot?["time"] as? String == "08:30" && slot?["minutes"] as? Int == 45)
            #expect(slot?["timezone"] as? String == "Europe/London")
        }
    }

    /// Help received recently and not acknowledged since becomes "someone to thank", with words
    /// to start; being in touch again retires it. Only the owner's plan ever shows it.
    @Test func someoneWhoHelpedRecentlyIsOfferedToThankUntilTheyAreContacted() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let bob = try await client.register("bob")
            let contact = try await client.send(.post, "/api/v1/contacts", token: ada, json: #"{"name":"Priya Helper"}"#).json
            let id = contact["id"] as? String ?? ""
            func log(_ json: String) async throws {
                let logged = try await client.send(.post, "/api/v1/contacts/\(id)/interactions", token: ada, json: json)
                #expect(logged.status == 201, "\(logged.text)")
            }
            func thanks(_ token: String) async throws -> [[String: Any]] {
                let plan = try await client.send(.get, "/api/v1/me/weekly-plan", token: token).json
                return (plan["items"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "thank" }
            }
            let twoDaysAgo = Moment.format(Date().addingTimeInterval(-2 * 86_400))
            try await log(#"{"kind":"help_received","help":"referral","occurred_at":"\#(twoDaysAgo)","note":"Referred me"}"#)
            let offered = try await thanks(ada)
            #expect(offered.count == 1)
            #expect(offered.first?["text"] as? String == "Thank Priya Helper for the referral")
            #expect((offered.first?["starter"] as? String)?.hasPrefix("Hi Priya, thank you again for the referral") == true)
            #expect(offered.first?["url"] as? String == "/contacts/\(id)")
            #expect(try await thanks(bob).isEmpty)
            #expect(!(try await client.send(.get, "/api/v1/me/weekly-plan", token: bob).text.contains("Priya")))

            // A thank-you call logged since: nothing more to do.
            try await log(#"{"kind":"call","note":"Said thanks"}"#)
            #expect(try await thanks(ada).isEmpty)
        }
    }

    @Test func itemsComeFromWhatWaitsAndGoWhenDoneOrPutOff() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let bob = try await client.register("bob")
            _ = try await MessagesTests.start(client, bob, to: ["ada"], "Hello, may I ask you something?")
            let contact = try await client.send(.post, "/api/v1/contacts", token: ada, json: #"{"name":"Quentin Private"}"#).json
            let id = contact["id"] as? String ?? ""
            _ = try await client.send(
                .post,
                "/api/v1/contacts/\(id)/follow-ups",
                token: ada,
                json: #"{"due_at":"\#(Moment.format(Date().addingTimeInterval(86_400)))","text":"send the article"}"#
            )
            let plan = try await client.send(.get, "/api/v1/me/weekly-plan", token: ada).json
            let items = plan["items"] as? [[String: Any]] ?? []
            #expect(items.filter { $0["kind"] as? String != "goal" }.count <= 7)
            let kinds = items.map { $0["kind"] as? String ?? "" }
            #expect(kinds.contains("question"))
            #expect(kinds.contains("follow_up"))
            #expect(kinds.last == "goal")
            #expect((plan["goal"] as? [String: Any])?["text"] as? String != nil)
            let followUp = try #require(items.first { $0["kind"] as? String == "follow_up" })
            #expect((followUp["text"] as? String)?.contains("Quentin Private") == true)

            // Someone else's plan carries nothing of Ada's relationship manager.
            #expect(!(try await client.send(.get, "/api/v1/me/weekly-plan", token: bob).text.contains("Quentin")))

            let key = followUp["key"] as? String ?? ""
            #expect(
                try await client.send(.post, "/api/v1/me/weekly-plan/items", token: ada, json: #"{"key":"\#(key)","action":"done"}"#).status
                    == 204
            )
            let question = try #require(items.first { $0["kind"] as? String == "question" })
            let questionKey = question["key"] as? String ?? ""
            #expect(
                try await client.send(
                    .post,
                    "/api/v1/me/weekly-plan/items",
                    token: ada,
                    json: #"{"key":"\#(questionKey)","action":"snooze"}"#
                )
                .status == 204
            )
            let after = try await client.send(.get, "/api/v1/me/weekly-plan", token: ada).text
            #expect(!after.contains(key) && !after.contains(questionKey))
            let bad = try await client.send(.post, "/api/v1/me/weekly-plan/items", token: ada, json: #"{"key":"x","action":"later"}"#)
            #expect(bad.status == 422 && bad.text.contains(#""field":"action""#))
        }
    }

    @Test func theCalendarFeedHoldsTheSlotAsAWeeklyEventWithoutPrivateNames() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            _ = try await client.send(
                .put,
                "/api/v1/me/weekly-plan/slot",
                token: ada,
                json: #"{"weekday":2,"time":"12:15","timezone":"America/New_York","minutes":30}"#
            )
            let contact = try await client.send(.post, "/api/v1/contacts", token: ada, json: #"{"name":"Quentin Private"}"#).json
            _ = try await client.send(
                .post,
                "/api/v1/contacts/\(contact["id"] as? String ?? "")/follow-ups",
                token: ada,
                json: #"{"due_at":"\#(Moment.format(Date().addingTimeInterval(3_600)))","text":"secret errand"}"#
            )
            let url = try await client.send(.post, "/api/v1/me/calendar", token: ada).json["url"] as? String ?? ""
            let path = String(url.dropFirst("http://127.0.0.1:8080".count))
            let feed = try await client.send(.get, path).text
            #expect(feed.contains("RRULE:FREQ=WEEKLY;BYDAY=TU\r\n"))
            #expect(feed.contains("DTSTART;TZID=America/New_York:"))
            #expect(feed.contains("T121500\r\n"))
            #expect(feed.contains("DURATION:PT30M"))
            #expect(feed.contains("A follow-up is due"))
            #expect(!feed.contains("Quentin") && !feed.contains("secret errand"))
        }
    }

    @Test func theWeeklyEmailGoesOnceWhenSomethingIsActionable() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock(Date())
            let services = testServices(store, clock: clock)
            let ada = try await services.register("ada", name: "Ada Lovelace").member
            let bob = try await services.register("bob", name: "Bob Babbage").member
            // Nothing waits: no email.
            _ = try await services.plans.setSlot(weekday: 1, time: "00:00", timeZone: "UTC", minutes: 30, of: ada)
            #expect(try await services.plans.previewWeeklyEmail(handle: "ada") == nil)
            _ = try await services.messages.start(to: ["ada"], body: "words-never-emailed-7781", by: bob)
            let preview = try #require(try await services.plans.previewWeeklyEmail(handle: "ada"))
            #expect(preview.body.contains("Bob Babbage wrote to you for the first time"))
            #expect(!preview.body.contains("words-never-emailed-7781"))
            #expect(preview.unsubscribeURL?.contains("/unsubscribe/") == true)
            let wire = MailTransports.message(preview, from: "Kith <no-reply@kith.invalid>")
            #expect(wire.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"))

            // Monday 00:00 UTC has passed this week for Ada: the job queues hers once.
            let first = try await services.plans.sendWeeklyEmails()
            #expect(first >= 1)
            #expect(try await queuedMail(to: "ada@example.org", in: store).filter { $0.subject.contains("networking plan") }.count == 1)
            #expect(try await services.plans.sendWeeklyEmails() == 0, "a second run sends nothing again")
            // What was emailed is not emailed again next time.
            #expect(try await services.plans.previewWeeklyEmail(handle: "ada") == nil)
            // A member who turned the weekly email off gets none.
            _ = try await services.notifications.update(["weekly_plan": (email: "off", inApp: nil)], of: bob)
            #expect(try await services.plans.previewWeeklyEmail(handle: "bob") == nil)
        }
    }
}
