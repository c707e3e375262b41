import Hummingbird
import KithDomain

/// The events routes: each written once, here (see `Endpoint`).
enum EventRoutes {
    enum API {
        static let create = Endpoint<NoParameters>(.post, "/api/v1/events", .member, "Create an event (a reunion invites its cohort)")
        static let list = Endpoint<NoParameters>(.get, "/api/v1/events", .member, "Events by start time")
        static let show = Endpoint<OneParameter<Event.ID>>(
            .get,
            "/api/v1/events/:id",
            .member,
            "An event with counts and the caller's RSVP (append .ics to the id for iCalendar)"
        )
        static let update = Endpoint<OneParameter<Event.ID>>(
            .patch,
            "/api/v1/events/:id",
            .organizer,
            "Change an event (organiser); capacity may not drop below those going"
        )
        static let cancel = Endpoint<OneParameter<Event.ID>>(
            .post,
            "/api/v1/events/:id/cancel",
            .organizer,
            "Cancel an event; attendees are told"
        )
        static let rsvp = Endpoint<OneParameter<Event.ID>>(
            .put,
            "/api/v1/events/:id/rsvp",
            .member,
            "Answer going, maybe or not going; going beyond capacity joins the waitlist"
        )
        static let checkIn = Endpoint<OneParameter<Event.ID>>(
            .post,
            "/api/v1/events/:id/check-in",
            .member,
            "Check in a member (organiser, by handle) or yourself (with the event's code)"
        )
        static let attendees = Endpoint<OneParameter<Event.ID>>(
            .get,
            "/api/v1/events/:id/attendees",
            .organizer,
            "Going, then the waitlist in order, then maybe (organiser)"
        )
        static let peopleToMeet = Endpoint<OneParameter<Event.ID>>(
            .get,
            "/api/v1/events/:id/people-to-meet",
            .attendee,
            "Other attendees ranked for the caller, with reasons and a conversation starter each"
        )
        static let met = Endpoint<OneParameter<Event.ID>>(
            .post,
            "/api/v1/events/:id/met",
            .attendee,
            "Turn the people you met into contacts with an event interaction and a follow-up"
        )
        static let calendarStatus = Endpoint<NoParameters>(
            .get,
            "/api/v1/me/calendar",
            .caller,
            "Whether the caller has a calendar feed address (kept only as a digest, never shown again)"
        )
        static let resetCalendar = Endpoint<NoParameters>(
            .post,
            "/api/v1/me/calendar",
            .caller,
            "A new secret address for the caller's calendar feed (going and maybe), shown once; the old one stops working"
        )
        static let attendance = Endpoint<NoParameters>(
            .get,
            "/api/v1/me/attendance",
            .caller,
            "The caller's attendance history: past events they were going to, latest first, with check-ins"
        )
        static let feed = Endpoint<OneParameter<String>>(.get, "/calendar/:file", .secretAddress, "Feed")

        static let all: [AnyEndpoint] = [
            create.erased, list.erased, show.erased, update.erased, cancel.erased, rsvp.erased, checkIn.erased, attendees.erased,
            peopleToMeet.erased, met.erased, calendarStatus.erased, resetCalendar.erased, attendance.erased, feed.erased,
        ]
    }

    enum Pages {
        static let list = Endpoint<NoParameters>(.get, "/events", .caller, "List")
        static let newEvent = Endpoint<NoParameters>(.get, "/events/new", .member, "New event")
        static let attended = Endpoint<NoParameters>(.get, "/events/attended", .caller, "Attended")
        static let calendarAddress = Endpoint<NoParameters>(.get, "/events/calendar", .caller, "Calendar address")
        static let resetCalendarAddress = Endpoint<NoParameters>(.post, "/events/calendar", .caller, "Reset calendar address")
        static let create = Endpoint<NoParameters>(.post, "/events", .member, "Create")
        static let show = Endpoint<OneParameter<Event.ID>>(.get, "/events/:id", .member, "Show")
        static let editForm = Endpoint<OneParameter<Event.ID>>(.get, "/events/:id/edit", .organizer, "Edit form")
        static let edit = Endpoint<OneParameter<Event.ID>>(.post, "/events/:id/edit", .organizer, "Edit")
        static let rsvp = Endpoint<OneParameter<Event.ID>>(.post, "/events/:id/rsvp", .member, "Rsvp")
        static let cancel = Endpoint<OneParameter<Event.ID>>(.post, "/events/:id/cancel", .organizer, "Cancel")
        static let checkIn = Endpoint<OneParameter<Event.ID>>(.post, "/events/:id/check-in", .member, "Check in")
        static let attendees = Endpoint<OneParameter<Event.ID>>(.get, "/events/:id/attendees", .organizer, "Attendees")
        static let attendeesCSV = Endpoint<OneParameter<Event.ID>>(.get, "/events/:id/attendees.csv", .organizer, "Attendees csv")
        static let people = Endpoint<OneParameter<Event.ID>>(.get, "/events/:id/people", .attendee, "People")
        static let calendar = Endpoint<OneParameter<Event.ID>>(.get, "/events/:id/calendar.ics", .member, "Calendar")
        static let metForm = Endpoint<OneParameter<Event.ID>>(.get, "/events/:id/met", .attendee, "Met form")
        static let met = Endpoint<OneParameter<Event.ID>>(.post, "/events/:id/met", .attendee, "Met")

        static let all: [AnyEndpoint] = [
            list.erased, newEvent.erased, attended.erased, calendarAddress.erased, resetCalendarAddress.erased, create.erased, show.erased,
            editForm.erased, edit.erased, rsvp.erased, cancel.erased, checkIn.erased, attendees.erased, attendeesCSV.erased, people.erased,
            calendar.erased, metForm.erased, met.erased,
        ]
    }

    static let all: [AnyEndpoint] = API.all + Pages.all
}
