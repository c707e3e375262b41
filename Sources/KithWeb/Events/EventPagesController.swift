import Foundation
import Hummingbird
import KithDomain

/// Events as pages: the list, an event with RSVP, the organiser's tools, the forms.
struct EventPagesController {
    let services: Services
    let publicURL: String

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.on(EventRoutes.Pages.list, use: list)
        router.on(EventRoutes.Pages.newEvent, use: newEvent)
        router.on(EventRoutes.Pages.attended, use: attended)
        router.on(EventRoutes.Pages.calendarAddress, use: calendarAddress)
        router.on(EventRoutes.Pages.resetCalendarAddress, use: resetCalendarAddress)
        router.on(EventRoutes.Pages.create, use: create)
        router.on(EventRoutes.Pages.show, use: show)
        router.on(EventRoutes.Pages.editForm, use: editForm)
        router.on(EventRoutes.Pages.edit, use: edit)
        router.on(EventRoutes.Pages.rsvp, use: rsvp)
        router.on(EventRoutes.Pages.cancel, use: cancel)
        router.on(EventRoutes.Pages.checkIn, use: checkIn)
        router.on(EventRoutes.Pages.attendees, use: attendees)
        router.on(EventRoutes.Pages.attendeesCSV, use: attendeesCSV)
        router.on(EventRoutes.Pages.people, use: people)
        router.on(EventRoutes.Pages.calendar, use: calendar)
        router.on(EventRoutes.Pages.metForm, use: metForm)
        router.on(EventRoutes.Pages.met, use: met)
    }

    private func id(_ context: AppRequestContext) -> String { context.parameters.get("id") ?? "" }

    /// The id in the address, typed (for links back to it); an id that is not one is "not found".
    private func eventID(_ context: AppRequestContext) throws -> Event.ID {
        guard let id = Event.ID(id(context)) else { throw DomainError.notFound("event") }
        return id
    }

    /// A `datetime-local` value ("2026-12-01T18:30") read in the event's time zone, as ISO-8601.
    static func instant(_ local: String, zone: String) -> String {
        let trimmed = local.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, let timeZone = TimeZone(identifier: zone) else { return trimmed }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        for format in ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: trimmed) { return Moment.format(date) }
        }
        return trimmed
    }

    static func local(_ date: Date?, zone: String) -> String {
        guard let date else { return "" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: zone) ?? .gmt
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return formatter.string(from: date)
    }

    private static func input(_ data: FormData, creating: Bool) throws -> EventInput {
        let zone = data.text("timezone").trimmingCharacters(in: .whitespaces)
        var capacity: Int?
        let rawCapacity = data.text("capacity").trimmingCharacters(in: .whitespaces)
        if rawCapacity.isEmpty {
            capacity = creating ? nil : 0
        } else {
            guard let value = Int(rawCapacity) else {
                throw DomainError.invalid(field: "capacity", reason: "must be a whole number from 1 to 100000, or empty for no limit")
            }
            capacity = value
        }
        return EventInput(
            title: data["title"],
            description: data["description"],
            format: data["format"],
            startsAt: instant(data.text("starts_at"), zone: zone),
            endsAt: instant(data.text("ends_at"), zone: zone),
            timeZone: zone,
            location: data["location"],
            onlineURL: data["online_url"],
            capacity: capacity,
            audienceCohort: data["cohort"],
            rsvpDeadline: instant(data.text("rsvp_deadline"), zone: zone)
        )
    }

    private static func values(_ data: FormData) -> [String: String] {
        Dictionary(uniqueKeysWithValues: EventFormPage.fields.map { ($0, data.text($0)) })
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        let member = try context.requireMember()
        let query = request.uri.queryParameters
        let mine = query.get("mine") == "true"
        let format = query.get("format") ?? ""
        let page = try await services.events.list(
            upcoming: "true",
            format: format,
            cohort: nil,
            mine: mine ? "true" : nil,
            after: query.get("after"),
            limit: "20",
            viewer: member
        )
        return HTMLResponse(EventsPage(chrome: context.chrome(), page: page, filter: (mine, format)).document())
    }

    @Sendable func calendarAddress(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        let member = try context.requireMember()
        let active = try await services.events.calendarFeed(of: member)
        return HTMLResponse(CalendarAddressPage(chrome: context.chrome(), active: active, newURL: nil).document())
    }

    /// Shows the new address in the answer to the POST itself (never in a URL or a redirect).
    @Sendable func resetCalendarAddress(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        let member = try context.requireMember()
        _ = try await VerifiedForm.read(request, context: context)
        let token = try await services.events.resetCalendarFeed(for: member)
        let url = "\(publicURL)/calendar/\(token).ics"
        return HTMLResponse(CalendarAddressPage(chrome: context.chrome(), active: Date(), newURL: url).document())
    }

    @Sendable func attended(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        let member = try context.requireMember()
        return HTMLResponse(AttendancePage(chrome: context.chrome(), history: try await services.events.attendance(of: member)).document())
    }

    @Sendable func newEvent(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        _ = try context.requireMember()
        return HTMLResponse(
            EventFormPage(
                chrome: context.chrome(),
                action: EventRoutes.Pages.create.path,
                title: "Organise an event",
                values: [:],
                errors: FieldErrors()
            )
            .document()
        )
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        do {
            let view = try await services.events.create(try Self.input(data, creating: true), by: member)
            return Pages.redirect(EventRoutes.Pages.show.path(view.event.id))
        } catch DomainError.invalid(let errors) {
            return try HTMLResponse(
                EventFormPage(
                    chrome: context.chrome(),
                    action: EventRoutes.Pages.create.path,
                    title: "Organise an event",
                    values: Self.values(data),
                    errors: FieldErrors(errors: errors)
                )
                .document(),
                status: .unprocessableContent
            ).response(from: request, context: context)
        }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        let member = try context.requireMember()
        let view = try await services.events.event(id(context), viewer: member)
        let classmates = try await services.events.classmatesGoing(id(context), viewer: member)
        return HTMLResponse(EventPage(chrome: context.chrome(), view: view, classmatesGoing: classmates).document())
    }

    @Sendable func editForm(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        let member = try context.requireMember()
        let view = try await services.events.event(id(context), viewer: member)
        guard view.isOrganizer || member.role != .member else { throw DomainError.forbidden("Only the organiser can change this event.") }
        let event = view.event
        let values = [
            "title": event.title, "description": event.description, "format": event.format.rawValue,
            "starts_at": Self.local(event.startsAt, zone: event.timeZone), "ends_at": Self.local(event.endsAt, zone: event.timeZone),
            "timezone": event.timeZone, "location": event.location, "online_url": event.onlineURL,
            "capacity": event.capacity.map(String.init) ?? "", "cohort": event.audienceCohort,
            "rsvp_deadline": Self.local(event.rsvpDeadline, zone: event.timeZone),
        ]
        return HTMLResponse(
            EventFormPage(
                chrome: context.chrome(),
                action: EventRoutes.Pages.edit.path(event.id),
                title: "Edit \(event.title)",
                values: values,
                errors: FieldErrors()
            )
            .document()
        )
    }

    @Sendable func edit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        do {
            _ = try await services.events.update(id(context), with: try Self.input(data, creating: false), by: member)
            return Pages.redirect(EventRoutes.Pages.show.path(try eventID(context)))
        } catch DomainError.invalid(let errors) {
            return try HTMLResponse(
                EventFormPage(
                    chrome: context.chrome(),
                    action: EventRoutes.Pages.edit.path(try eventID(context)),
                    title: "Edit event",
                    values: Self.values(data),
                    errors: FieldErrors(errors: errors)
                ).document(),
                status: .unprocessableContent
            ).response(from: request, context: context)
        }
    }

    @Sendable func rsvp(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        _ = try await services.events.respond(data["status"], to: id(context), by: member)
        return Pages.redirect(EventRoutes.Pages.show.path(try eventID(context)) + "#rsvp")
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        _ = try await VerifiedForm.read(request, context: context)
        _ = try await services.events.cancel(id(context), by: member)
        return Pages.redirect(EventRoutes.Pages.show.path(try eventID(context)))
    }

    @Sendable func checkIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        let handle = data["member"]
        do {
            _ = try await services.events.checkIn(handle: handle, code: data["code"], event: id(context), by: member)
        } catch DomainError.invalid(let errors) where handle == nil {
            let view = try await services.events.event(id(context), viewer: member)
            return try HTMLResponse(
                EventPage(chrome: context.chrome(), view: view, errors: FieldErrors(errors: errors)).document(),
                status: .unprocessableContent
            ).response(from: request, context: context)
        }
        return Pages.redirect(
            handle == nil ? EventRoutes.Pages.show.path(try eventID(context)) : EventRoutes.Pages.attendees.path(try eventID(context))
        )
    }

    @Sendable func attendees(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        let member = try context.requireMember()
        let list = try await services.events.attendees(id(context), by: member)
        let view = try await services.events.event(id(context), viewer: member)
        return HTMLResponse(AttendeesPage(chrome: context.chrome(), view: view, attendees: list).document())
    }

    @Sendable func calendar(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        return EventsAPIController.calendar(try await services.events.iCalendar(id(context), viewer: member, publicURL: publicURL))
    }

    @Sendable func people(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        let member = try context.requireMember()
        let people = try await services.eventNetworking.peopleToMeet(id(context), viewer: member)
        let view = try await services.events.event(id(context), viewer: member)
        return HTMLResponse(PeopleToMeetPage(chrome: context.chrome(), event: view.event, people: people).document())
    }

    private func metPage(
        _ context: AppRequestContext,
        member: Member,
        done: Int? = nil,
        errors: FieldErrors = FieldErrors()
    ) async throws
        -> WhoIMetPage
    {
        let view = try await services.events.event(id(context), viewer: member)
        let attendees = try await services.events.attendeeList(id(context), viewer: member).filter { $0.member.id != member.id }
        return WhoIMetPage(chrome: context.chrome(), event: view.event, attendees: attendees, done: done, errors: errors)
    }

    @Sendable func metForm(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        let member = try context.requireMember()
        return HTMLResponse(try await metPage(context, member: member).document())
    }

    @Sendable func met(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        do {
            let report = try await services.eventNetworking.met(data.all("members"), note: data["note"], event: id(context), viewer: member)
            return try HTMLResponse(try await metPage(context, member: member, done: report.contacts.count).document())
                .response(from: request, context: context)
        } catch let error as DomainError {
            switch error {
            case .invalid(let errors):
                return try HTMLResponse(
                    try await metPage(context, member: member, errors: FieldErrors(errors: errors)).document(),
                    status: .unprocessableContent
                )
                .response(from: request, context: context)
            case .conflict(_, let message):
                return try HTMLResponse(
                    try await metPage(
                        context,
                        member: member,
                        errors: FieldErrors(errors: [FieldError(field: "members", message: message)])
                    ).document(),
                    status: .conflict
                ).response(from: request, context: context)
            default: throw error
            }
        }
    }

    @Sendable func attendeesCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let list = try await services.events.attendees(id(context), by: member)
        func field(_ value: String) -> String {
            // Quoted, and a leading formula character neutralised (CSV injection in spreadsheets).
            var text = value
            if let first = text.first, "=+-@".contains(first) { text = "'" + text }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        var csv = "name,handle,status,waitlist_position,checked_in,responded_at\r\n"
        for rsvp in list {
            csv +=
                [
                    field(rsvp.member.name), field(rsvp.member.handle.rawValue), rsvp.status.rawValue,
                    rsvp.waitlistPosition.map(String.init) ?? "",
                    rsvp.checkedInAt == nil ? "no" : "yes", Moment.format(rsvp.respondedAt),
                ].joined(separator: ",") + "\r\n"
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"attendees.csv\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: csv)))
    }
}
