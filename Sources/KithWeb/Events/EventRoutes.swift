import Hummingbird
import KithDomain

/// The events routes: each written once, here (see `Endpoint`).
enum EventRoutes {
    enum API {
        static let create = Endpoint<NoParameters>(
            .post,
            "/api/v1/events",
            .member,
            "Create an event (a reunion invites its cohort)",
            input: EventsAPIController.EventBody.self,
            operation: APIOperation("createEvent", .json(201, "Created", EventDTO.self), errors: [400, 413, 422])
        )
        static let list = Endpoint<NoParameters>(
            .get,
            "/api/v1/events",
            .member,
            "Events by start time",
            operation: APIOperation(
                "listEvents",
                query: [.flag("upcoming"), .flag("mine"), .oneOf("format", EventFormat.self), .text("cohort"), .text("after"), .limit],
                .json("Events", ListDTO<EventDTO>.self),
                errors: [422]
            )
        )
        static let show = Endpoint<OneParameter<Event.ID>>(
            .get,
            "/api/v1/events/:id",
            .member,
            "An event with counts and the caller's RSVP (append .ics to the id for iCalendar)",
            operation: APIOperation(
                "showEvent",
                Reply(status: 200, description: "Event", content: [.json(EventDTO.self), .text(mediaType: "text/calendar")]),
                errors: [404]
            )
        )
        static let update = Endpoint<OneParameter<Event.ID>>(
            .patch,
            "/api/v1/events/:id",
            .organizer,
            "Change an event (organiser); capacity may not drop below those going",
            input: EventsAPIController.EventBody.self,
            operation: APIOperation("updateEvent", .json("Updated", EventDTO.self), errors: [400, 403, 404, 409, 413, 422])
        )
        static let cancel = Endpoint<OneParameter<Event.ID>>(
            .post,
            "/api/v1/events/:id/cancel",
            .organizer,
            "Cancel an event; attendees are told",
            operation: APIOperation("cancelEvent", .json("Cancelled", EventDTO.self), errors: [403, 404])
        )
        static let rsvp = Endpoint<OneParameter<Event.ID>>(
            .put,
            "/api/v1/events/:id/rsvp",
            .member,
            "Answer going, maybe or not going; going beyond capacity joins the waitlist",
            input: EventsAPIController.RSVPBody.self,
            operation: APIOperation("rsvp", .json("Standing", RSVPOutcomeDTO.self), errors: [400, 404, 409, 413, 422])
        )
        static let checkIn = Endpoint<OneParameter<Event.ID>>(
            .post,
            "/api/v1/events/:id/check-in",
            .member,
            "Check in a member (organiser, by handle) or yourself (with the event's code)",
            input: EventsAPIController.CheckInBody.self,
            operation: APIOperation("checkIn", .json("Checked in", AttendeeDTO.self), errors: [400, 403, 404, 409, 413, 422])
        )
        static let attendees = Endpoint<OneParameter<Event.ID>>(
            .get,
            "/api/v1/events/:id/attendees",
            .organizer,
            "Going, then the waitlist in order, then maybe (organiser)",
            operation: APIOperation("attendees", .json("Attendees", ListDTO<AttendeeDTO>.self), errors: [403, 404])
        )
        static let peopleToMeet = Endpoint<OneParameter<Event.ID>>(
            .get,
            "/api/v1/events/:id/people-to-meet",
            .attendee,
            "Other attendees ranked for the caller, with reasons and a conversation starter each",
            operation: APIOperation("peopleToMeet", .json("People to meet", PeopleToMeetDTO.self), errors: [403, 404]),
            lane: .ranking
        )
        static let met = Endpoint<OneParameter<Event.ID>>(
            .post,
            "/api/v1/events/:id/met",
            .attendee,
            "Turn the people you met into contacts with an event interaction and a follow-up",
            input: EventsAPIController.MetBody.self,
            operation: APIOperation("whoIMet", .json("Recorded", MetDTO.self), errors: [400, 403, 404, 409, 413, 422])
        )
        static let calendarStatus = Endpoint<NoParameters>(
            .get,
            "/api/v1/me/calendar",
            .caller,
            "Whether the caller has a calendar feed address (kept only as a digest, never shown again)",
            operation: APIOperation("calendarStatus", .json("Feed status", CalendarStatusDTO.self))
        )
        static let resetCalendar = Endpoint<NoParameters>(
            .post,
            "/api/v1/me/calendar",
            .caller,
            "A new secret address for the caller's calendar feed (going and maybe), shown once; the old one stops working",
            operation: APIOperation("resetCalendar", .json(201, "Feed address", CalendarLinkDTO.self))
        )
        static let attendance = Endpoint<NoParameters>(
            .get,
            "/api/v1/me/attendance",
            .caller,
            "The caller's attendance history: past events they were going to, latest first, with check-ins",
            operation: APIOperation("attendance", .json("Attendance", ListDTO<AttendanceDTO>.self))
        )
        static let feed = Endpoint<OneParameter<String>>(
            .get,
            "/calendar/:file",
            .secretAddress,
            "The caller's events as an iCalendar feed (the secret address is the credential)",
            operation: APIOperation("calendarFeed", .text("text/calendar", "iCalendar (RFC 5545)"), errors: [404])
        )

        static let all: [AnyEndpoint] = [
            create.erased, list.erased, show.erased, update.erased, cancel.erased, rsvp.erased, checkIn.erased, attendees.erased,
            peopleToMeet.erased, met.erased, calendarStatus.erased, resetCalendar.erased, attendance.erased, feed.erased,
        ]
    }

    enum Pages {
        static let list = Endpoint<NoParameters>(.get, "/events", .caller, "Upcoming events (or the caller's)")
        static let newEvent = Endpoint<NoParameters>(.get, "/events/new", .member, "The new-event form")
        static let attended = Endpoint<NoParameters>(.get, "/events/attended", .caller, "Events the caller attended")
        static let calendarAddress = Endpoint<NoParameters>(.get, "/events/calendar", .caller, "The caller's calendar feed address")
        static let resetCalendarAddress = Endpoint<NoParameters>(.post, "/events/calendar", .caller, "Make a new calendar feed address")
        static let create = Endpoint<NoParameters>(.post, "/events", .member, "Organise an event")
        static let show = Endpoint<OneParameter<Event.ID>>(.get, "/events/:id", .member, "An event, with RSVP")
        static let editForm = Endpoint<OneParameter<Event.ID>>(.get, "/events/:id/edit", .organizer, "The event's edit form (organiser)")
        static let edit = Endpoint<OneParameter<Event.ID>>(.post, "/events/:id/edit", .organizer, "Change an event (organiser)")
        static let rsvp = Endpoint<OneParameter<Event.ID>>(.post, "/events/:id/rsvp", .member, "Answer going, maybe or not going")
        static let cancel = Endpoint<OneParameter<Event.ID>>(.post, "/events/:id/cancel", .organizer, "Cancel an event (organiser)")
        static let checkIn = Endpoint<OneParameter<Event.ID>>(
            .post,
            "/events/:id/check-in",
            .member,
            "Check in yourself (code) or a member (organiser)"
        )
        static let attendees = Endpoint<OneParameter<Event.ID>>(
            .get,
            "/events/:id/attendees",
            .organizer,
            "Attendees and waitlist (organiser)"
        )
        static let attendeesCSV = Endpoint<OneParameter<Event.ID>>(
            .get,
            "/events/:id/attendees.csv",
            .organizer,
            "Attendees as CSV (organiser)"
        )
        static let people = Endpoint<OneParameter<Event.ID>>(
            .get,
            "/events/:id/people",
            .attendee,
            "People to meet at the event",
            lane: .ranking
        )
        static let calendar = Endpoint<OneParameter<Event.ID>>(.get, "/events/:id/calendar.ics", .member, "The event as iCalendar")
        static let metForm = Endpoint<OneParameter<Event.ID>>(.get, "/events/:id/met", .attendee, "Who the caller met at the event")
        static let met = Endpoint<OneParameter<Event.ID>>(.post, "/events/:id/met", .attendee, "Turn people met into contacts")

        static let all: [AnyEndpoint] = [
            list.erased, newEvent.erased, attended.erased, calendarAddress.erased, resetCalendarAddress.erased, create.erased, show.erased,
            editForm.erased, edit.erased, rsvp.erased, cancel.erased, checkIn.erased, attendees.erased, attendeesCSV.erased, people.erased,
            calendar.erased, metForm.erased, met.erased,
        ]
    }

    static let all: [AnyEndpoint] = API.all + Pages.all
}
