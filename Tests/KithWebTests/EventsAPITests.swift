import Foundation
import Hummingbird
import HummingbirdTesting
import KithApp
import KithDomain
import KithTestSupport
import KithWeb
import Logging
import Testing

@Suite struct EventsAPITests {
    static func event(capacity: Int = 1) -> String {
        let start = Date().addingTimeInterval(3 * 86_400)
        return """
            {"title":"Spring meetup","description":"Talks, then drinks; all welcome","format":"meetup",
             "starts_at":"\(Moment.format(start))","ends_at":"\(Moment.format(start.addingTimeInterval(7_200)))",
             "timezone":"America/New_York","location":"Hall B","capacity":\(capacity),"audience":{"cohort":"Class of 2015"}}
            """
    }

    /// The event page offers "people to meet" to exactly those the domain lets see them: the
    /// organiser and members going, considering or waiting — not only those going.
    @Test func theEventPageOffersPeopleToMeetToWhoeverMaySeeThem() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            for handle in ["bob", "cyd", "dee"] { _ = try await client.register(handle) }
            let event =
                try await client.send(.post, "/api/v1/events", token: ada, json: Self.event(capacity: 1)).json["id"] as? String ?? ""
            for (handle, status) in [("bob", "maybe"), ("cyd", "going"), ("dee", "going")] {
                let token =
                    try await client.send(
                        .post,
                        "/api/v1/auth/token",
                        json: #"{"email":"\#(handle)@example.org","password":"password-\#(handle)"}"#
                    ).json["token"] as? String
                _ = try await client.send(.put, "/api/v1/events/\(event)/rsvp", token: token, json: #"{"status":"\#(status)"}"#)
            }
            // bob considers it, cyd is going, dee waits for a place, erin has not answered.
            _ = try await client.register("erin")
            for (handle, offered) in [("ada", true), ("bob", true), ("cyd", true), ("dee", true), ("erin", false)] {
                let session = try await client.signIn(handle)
                let page = try await client.send(.get, "/events/\(event)", cookies: ["kith_session": session])
                #expect(page.text.contains("People to meet here") == offered, "\(handle)")
                let people = try await client.send(.get, "/events/\(event)/people", cookies: ["kith_session": session])
                #expect((people.status == 200) == offered, "\(handle): \(people.status)")
            }
        }
    }

    @Test func eventsFollowTheContract() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let bob = try await client.register("bob")
            let created = try await client.send(.post, "/api/v1/events", token: ada, json: Self.event())
            #expect(created.status == 201, "\(created.text)")
            let id = created.json["id"] as? String ?? ""
            #expect(created.json["going_count"] as? Int == 0)
            #expect(created.json["my_rsvp"] is NSNull)
            #expect(created.json["check_in_code"] is String)
            #expect((created.json["audience"] as? [String: String])?["cohort"] == "class of 2015")

            let first = try await client.send(.put, "/api/v1/events/\(id)/rsvp", token: ada, json: #"{"status":"going"}"#)
            #expect(first.json["status"] as? String == "going")
            let second = try await client.send(.put, "/api/v1/events/\(id)/rsvp", token: bob, json: #"{"status":"going"}"#)
            #expect(second.json["status"] as? String == "waitlisted")
            #expect(second.json["waitlist_position"] as? Int == 1)
            let seen = try await client.send(.get, "/api/v1/events/\(id)", token: bob).json
            #expect(seen["waitlist_count"] as? Int == 1)
            #expect(seen["check_in_code"] == nil)
            #expect(try await client.send(.get, "/api/v1/events/\(id)/attendees", token: bob).status == 403)
            #expect(try await client.send(.patch, "/api/v1/events/\(id)", token: bob, json: #"{"title":"Mine"}"#).status == 403)
            let list = try await client.send(.get, "/api/v1/events?upcoming=true&format=meetup", token: bob).json["items"] as? [Any]
            #expect(list?.count == 1)

            let ics = try await client.send(.get, "/api/v1/events/\(id).ics", token: bob)
            #expect(ics.headers[.contentType]?.hasPrefix("text/calendar") == true)
            #expect(ics.text.contains("SUMMARY:Spring meetup"))
            #expect(ics.text.contains("DESCRIPTION:Talks\\, then drinks\\; all welcome"))
            #expect(try await client.send(.get, "/api/v1/me/calendar", token: bob).json["active"] as? Bool == false)
            let link = try await client.send(.post, "/api/v1/me/calendar", token: bob).json["url"] as? String ?? ""
            let status = try await client.send(.get, "/api/v1/me/calendar", token: bob)
            #expect(status.json["active"] as? Bool == true && status.json["url"] == nil)
            let path = String(link[link.range(of: "/calendar/")!.lowerBound...])
            let feed = try await client.send(.get, path)
            #expect(feed.status == 200)
            #expect(feed.text.contains("BEGIN:VEVENT"))
            #expect(try await client.send(.get, "/calendar/cal_nope.ics").status == 404)

            #expect(try await client.send(.post, "/api/v1/events/\(id)/cancel", token: ada).json["cancelled"] as? Bool == true)
            let late = try await client.send(.put, "/api/v1/events/\(id)/rsvp", token: bob, json: #"{"status":"going"}"#)
            #expect(late.status == 409)
        }
    }

    @Test func badEventsGetFieldErrors() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let start = Date().addingTimeInterval(86_400)
            let bad = """
                {"title":"","format":"party","starts_at":"\(Moment.format(start))","ends_at":"yesterday","timezone":"Nowhere/Land","capacity":-1}
                """
            let reply = try await client.send(.post, "/api/v1/events", token: ada, json: bad)
            #expect(reply.status == 422)
            let fields = Set(((reply.json["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String })
            #expect(fields == ["title", "format", "ends_at", "timezone", "capacity"])
            #expect(
                try await client.send(.post, "/api/v1/events", token: ada, json: #"{"title":"x","audience":{"group":"g"}}"#).status == 422
            )
            let id = try await client.send(.post, "/api/v1/events", token: ada, json: Self.event(capacity: 5)).json["id"] as? String ?? ""
            #expect(try await client.send(.put, "/api/v1/events/\(id)/rsvp", token: ada, json: #"{"status":"yes"}"#).status == 422)
            // Check-in opens a day before the event.
            #expect(try await client.send(.post, "/api/v1/events/\(id)/check-in", token: ada, json: #"{"code":"NOPE42"}"#).status == 409)
            #expect(try await client.send(.get, "/api/v1/events/not-an-id", token: ada).status == 404)
        }
    }

    @Test func eventPagesRSVPAndOrganiserTools() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            _ = try await client.register("bob")
            let id = try await client.send(.post, "/api/v1/events", token: ada, json: Self.event()).json["id"] as? String ?? ""
            let session = try await client.signIn("bob")
            let csrf = try await client.csrf(session: session, page: "/events/\(id)")
            let page = try await client.send(.get, "/events/\(id)", cookies: ["kith_session": session])
            #expect(page.text.contains("Spring meetup"))
            #expect(page.text.components(separatedBy: "<h1").count == 2)
            let going = try await client.send(
                .post,
                "/events/\(id)/rsvp",
                cookies: ["kith_session": session],
                form: [("_csrf", csrf), ("status", "going")]
            )
            #expect(going.status == 303)
            let after = try await client.send(.get, "/events/\(id)", cookies: ["kith_session": session]).text
            #expect(after.contains("going"))
            let badForm = try await client.send(
                .post,
                "/events",
                cookies: ["kith_session": session],
                form: [
                    ("_csrf", csrf), ("title", ""), ("format", "meetup"), ("starts_at", "2030-01-01T18:00"),
                    ("ends_at", "2030-01-01T17:00"), ("timezone", "Europe/London"),
                ]
            )
            #expect(badForm.status == 422)
            #expect(badForm.text.contains(#"id="title-error""#))
            #expect(badForm.text.contains(#"id="ends_at-error""#))
            let adaSession = try await client.signIn("ada")
            let attendees = try await client.send(.get, "/events/\(id)/attendees", cookies: ["kith_session": adaSession])
            #expect(attendees.text.contains("Bob"))
            let csv = try await client.send(.get, "/events/\(id)/attendees.csv", cookies: ["kith_session": adaSession])
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.text.contains("\"Bob\",\"bob\",going"))
            #expect(try await client.send(.get, "/events/\(id)/attendees", cookies: ["kith_session": session]).status == 403)
            for path in ["/events", "/events?mine=true", "/events/new", "/events/\(id)/edit"] {
                let reply = try await client.send(.get, path, cookies: ["kith_session": adaSession])
                #expect(reply.status == 200, "\(path)")
                #expect(reply.text.components(separatedBy: "<h1").count == 2, "\(path)")
            }
        }
    }
}

@Suite struct AttendanceHistoryTests {
    @Test func attendanceHistoryIsTheCallersOwnThroughTheAPIAndThePage() async throws {
        try await withMigratedStore { store async throws in
            let configuration = AppConfiguration(registration: .open, bcryptCost: 4, logLevel: .critical)
            let app = try await buildApplication(configuration: configuration, store: store)
            try await app.test(.router) { raw in
                let client = Client(client: raw)
                let ada = try await client.register("ada")
                let bob = try await client.register("bob")
                // Services on a clock ten days behind make an event that is over by now.
                let past = testServices(store, clock: TestClock(Date().addingTimeInterval(-10 * 86_400)))
                let adaMember = try #require(try await past.accounts.member(bearer: ada))
                let bobMember = try #require(try await past.accounts.member(bearer: bob))
                let start = Date().addingTimeInterval(-8 * 86_400)
                let dinner = try await past.events.create(
                    EventInput(
                        title: "Reunion <dinner>",
                        format: "meetup",
                        startsAt: Moment.format(start),
                        endsAt: Moment.format(start.addingTimeInterval(7_200)),
                        timeZone: "Europe/Paris"
                    ),
                    by: bobMember
                )
                _ = try await past.events.respond("going", to: dinner.event.id.description, by: adaMember)

                let mine = try await client.send(.get, "/api/v1/me/attendance", token: ada)
                #expect(mine.status == 200)
                let items = mine.json["items"] as? [[String: Any]] ?? []
                #expect(items.compactMap { $0["title"] as? String } == ["Reunion <dinner>"])
                #expect(items.first?["event_id"] as? String == dinner.event.id.description)
                #expect(items.first?["checked_in"] as? Bool == false)
                #expect(items.first?["checked_in_at"] is NSNull)
                // The organiser did not answer going; nobody else sees Ada's history.
                #expect((try await client.send(.get, "/api/v1/me/attendance", token: bob).json["items"] as? [Any])?.isEmpty == true)
                #expect(try await client.send(.get, "/api/v1/me/attendance").status == 401)

                let page = try await client.send(.get, "/events/attended", cookies: ["kith_session": try await client.signIn("ada")])
                #expect(page.status == 200)
                #expect(page.text.contains("Reunion &lt;dinner&gt;"))
                #expect(page.text.contains("Going (not checked in)"))
                let empty = try await client.send(.get, "/events/attended", cookies: ["kith_session": try await client.signIn("bob")])
                #expect(empty.text.contains("No past events yet"))
                #expect(!empty.text.contains("Reunion"))
            }
        }
    }
}
