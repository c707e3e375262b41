import Foundation
import Hummingbird
import KithDomain

/// Events, RSVPs, check-in and calendars (shared/API.md, "HTTP: events").
struct EventsAPIController {
    let services: Services
    let publicURL: String

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.on(EventRoutes.API.create, use: create)
        router.on(EventRoutes.API.list, use: list)
        router.on(EventRoutes.API.show, use: show)
        router.on(EventRoutes.API.update, use: update)
        router.on(EventRoutes.API.cancel, use: cancel)
        router.on(EventRoutes.API.rsvp, use: rsvp)
        router.on(EventRoutes.API.checkIn, use: checkIn)
        router.on(EventRoutes.API.attendees, use: attendees)
        router.on(EventRoutes.API.peopleToMeet, use: peopleToMeet)
        router.on(EventRoutes.API.met, use: met)
        router.on(EventRoutes.API.calendarStatus, use: calendarStatus)
        router.on(EventRoutes.API.resetCalendar, use: resetCalendar)
        router.on(EventRoutes.API.attendance, use: attendance)
        router.on(EventRoutes.API.feed, use: feed)
    }

    struct Audience: Decodable {
        var cohort: String?
        var group: String?
    }

    struct EventBody: APIInput {
        var title: String?
        var description: String?
        var format: String?
        var startsAt: String?
        var endsAt: String?
        var timezone: String?
        var location: String?
        var onlineUrl: String?
        var capacity: Int?
        var audience: Audience?
        var rsvpDeadline: String?

        func input() throws -> EventInput {
            if audience?.group != nil {
                throw DomainError.invalid(field: "audience.group", reason: "groups are not available yet; leave it out")
            }
            return EventInput(
                title: title,
                description: description,
                format: format,
                startsAt: startsAt,
                endsAt: endsAt,
                timeZone: timezone,
                location: location,
                onlineURL: onlineUrl,
                capacity: capacity,
                audienceCohort: audience?.cohort,
                rsvpDeadline: rsvpDeadline
            )
        }
    }

    struct RSVPBody: APIInput {
        var status: String?
    }

    struct MetBody: APIInput {
        var members: [String]?
        var note: String?
    }

    struct CheckInBody: APIInput {
        var member: String?
        var code: String?
    }

    private func id(_ context: AppRequestContext) -> String {
        let raw = context.parameters.get("id") ?? ""
        return raw.hasSuffix(".ics") ? String(raw.dropLast(4)) : raw
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<EventDTO> {
        let member = try context.requireMember()
        let body = try await JSONBody.decode(EventBody.self, from: request, context: context)
        return EditedResponse(status: .created, response: EventDTO(try await services.events.create(try body.input(), by: member)))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> ListDTO<EventDTO> {
        let member = try context.requireMember()
        let query = request.uri.queryParameters
        let page = try await services.events.list(
            upcoming: query.get("upcoming"),
            format: query.get("format"),
            cohort: query.get("cohort"),
            mine: query.get("mine"),
            after: query.get("after"),
            limit: query.get("limit"),
            viewer: member
        )
        return ListDTO(items: page.items.map(EventDTO.init), next: page.next)
    }

    /// `GET /api/v1/events/{id}` answers JSON; `GET /api/v1/events/{id}.ics` the iCalendar file.
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        if (context.parameters.get("id") ?? "").hasSuffix(".ics") {
            return Self.calendar(try await services.events.iCalendar(id(context), viewer: member, publicURL: publicURL))
        }
        return try EventDTO(try await services.events.event(id(context), viewer: member)).response(from: request, context: context)
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> EventDTO {
        let member = try context.requireMember()
        let body = try await JSONBody.decode(EventBody.self, from: request, context: context)
        return EventDTO(try await services.events.update(id(context), with: try body.input(), by: member))
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> EventDTO {
        let member = try context.requireMember()
        return EventDTO(try await services.events.cancel(id(context), by: member))
    }

    @Sendable func rsvp(_ request: Request, context: AppRequestContext) async throws -> RSVPOutcomeDTO {
        let member = try context.requireMember()
        let body = try await JSONBody.decode(RSVPBody.self, from: request, context: context)
        return RSVPOutcomeDTO(try await services.events.respond(body.status, to: id(context), by: member))
    }

    @Sendable func checkIn(_ request: Request, context: AppRequestContext) async throws -> AttendeeDTO {
        let member = try context.requireMember()
        let body = try await JSONBody.decode(CheckInBody.self, from: request, context: context)
        if body.member == nil && body.code == nil {
            throw DomainError.invalid(field: "code", reason: "send either member (organisers) or code (your own check-in)")
        }
        return AttendeeDTO(try await services.events.checkIn(handle: body.member, code: body.code, event: id(context), by: member))
    }

    @Sendable func attendees(_ request: Request, context: AppRequestContext) async throws -> ListDTO<AttendeeDTO> {
        let member = try context.requireMember()
        return ListDTO(items: try await services.events.attendees(id(context), by: member).map(AttendeeDTO.init), next: nil)
    }

    @Sendable func peopleToMeet(_ request: Request, context: AppRequestContext) async throws -> PeopleToMeetDTO {
        let member = try context.requireMember()
        return PeopleToMeetDTO(
            items: try await services.eventNetworking.peopleToMeet(id(context), viewer: member).map(PersonToMeetDTO.init)
        )
    }

    @Sendable func met(_ request: Request, context: AppRequestContext) async throws -> MetDTO {
        let member = try context.requireMember()
        let body = try await JSONBody.decode(MetBody.self, from: request, context: context)
        let report = try await services.eventNetworking.met(body.members ?? [], note: body.note, event: id(context), viewer: member)
        return MetDTO(contacts: report.contacts.map(\.description), followUpDueAt: report.followUpDue)
    }

    @Sendable func attendance(_ request: Request, context: AppRequestContext) async throws -> ListDTO<AttendanceDTO> {
        let member = try context.requireMember()
        return ListDTO(items: try await services.events.attendance(of: member).map(AttendanceDTO.init), next: nil)
    }

    /// Whether the caller has a feed address, and since when. The address itself is kept only as
    /// a digest, so it is never shown again after it is made.
    @Sendable func calendarStatus(_ request: Request, context: AppRequestContext) async throws -> CalendarStatusDTO {
        let member = try context.requireMember()
        let created = try await services.events.calendarFeed(of: member)
        return CalendarStatusDTO(active: created != nil, createdAt: created.flatMap { $0.timeIntervalSince1970 > 0 ? $0 : nil })
    }

    /// A new secret feed address, shown this once; the previous one stops working.
    @Sendable func resetCalendar(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<CalendarLinkDTO> {
        let member = try context.requireMember()
        let token = try await services.events.resetCalendarFeed(for: member)
        return EditedResponse(status: .created, response: CalendarLinkDTO(url: "\(publicURL)/calendar/\(token).ics"))
    }

    /// The personal feed: the secret in the address is the credential (calendar apps send no cookies).
    @Sendable func feed(_ request: Request, context: AppRequestContext) async throws -> Response {
        let file = context.parameters.get("file") ?? ""
        guard file.hasSuffix(".ics") else { throw DomainError.notFound("calendar") }
        let plans = services.plans
        let feed = try await services.events.feed(token: String(file.dropLast(4)), publicURL: publicURL) { member in
            [try await plans.calendarEntry(for: member)]
        }
        return Self.calendar(feed)
    }

    static func calendar(_ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/calendar; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

struct EventDTO: APIOutput {
    var id: String
    var title: String
    var description: String
    var format: EventFormat
    var startsAt: Date
    var endsAt: Date
    var timezone: String
    var location: String
    var onlineUrl: String
    @Nullable var capacity: Int?
    var audience: AudienceDTO
    @Nullable var rsvpDeadline: Date?
    @Nullable var organizer: String?
    var goingCount: Int
    var waitlistCount: Int
    var maybeCount: Int
    @Nullable var myRsvp: RSVPStatus?
    @Nullable var myWaitlistPosition: Int?
    var cancelled: Bool
    var checkInCode: String?

    init(_ view: EventView) {
        let event = view.event
        id = event.id.description
        title = event.title
        description = event.description
        format = event.format
        startsAt = event.startsAt
        endsAt = event.endsAt
        timezone = event.timeZone
        location = event.location
        onlineUrl = event.onlineURL
        capacity = event.capacity
        audience = AudienceDTO(cohort: event.audienceCohort.isEmpty ? nil : event.audienceCohort)
        rsvpDeadline = event.rsvpDeadline
        organizer = view.organizer?.handle.rawValue
        goingCount = view.goingCount
        waitlistCount = view.waitlistCount
        maybeCount = view.maybeCount
        myRsvp = view.myRSVP
        myWaitlistPosition = view.myWaitlistPosition
        cancelled = event.cancelledAt != nil
        checkInCode = view.isOrganizer ? event.checkInCode : nil
    }

}

struct RSVPOutcomeDTO: APIOutput {
    var status: RSVPStatus
    var waitlistPosition: Int?

    init(_ outcome: RSVPOutcome) {
        status = outcome.status
        waitlistPosition = outcome.waitlistPosition
    }
}

struct AttendeeDTO: APIOutput {
    var handle: String
    var name: String
    var status: RSVPStatus
    var waitlistPosition: Int?
    var checkedIn: Bool
    var respondedAt: Date

    init(_ rsvp: RSVP) {
        handle = rsvp.member.handle.rawValue
        name = rsvp.member.name
        status = rsvp.status
        waitlistPosition = rsvp.waitlistPosition
        checkedIn = rsvp.checkedInAt != nil
        respondedAt = rsvp.respondedAt
    }
}

struct AttendanceDTO: Codable, Sendable {
    var eventId: String
    var title: String
    var format: EventFormat
    var startsAt: Date
    var endsAt: Date
    var timezone: String
    var checkedIn: Bool
    @Nullable var checkedInAt: Date?

    init(_ attendance: Attendance) {
        eventId = attendance.event.id.description
        title = attendance.event.title
        format = attendance.event.format
        startsAt = attendance.event.startsAt
        endsAt = attendance.event.endsAt
        timezone = attendance.event.timeZone
        checkedIn = attendance.checkedInAt != nil
        checkedInAt = attendance.checkedInAt
    }

}

struct CalendarLinkDTO: APIOutput {
    var url: String
}

struct CalendarStatusDTO: APIOutput {
    var active: Bool
    var createdAt: Date?
}

struct PersonToMeetDTO: Codable, Sendable {
    var member: PersonDTO
    var score: Double
    var reasons: [String]
    var conversationStarter: String

    init(_ person: PersonToMeet) {
        member = PersonDTO(handle: person.member.handle.rawValue, name: person.member.name, headline: person.headline)
        score = (person.score * 1000).rounded() / 1000
        reasons = person.reasons
        conversationStarter = person.conversationStarter
    }
}

/// Whom an event is for (absent: the whole community).
struct AudienceDTO: Codable, Sendable {
    var cohort: String?
}

/// Who someone is, in a list of people to meet.
struct PersonDTO: Codable, Sendable {
    var handle: String
    var name: String
    var headline: String
}

struct PeopleToMeetDTO: APIOutput {
    var items: [PersonToMeetDTO]
}

struct MetDTO: APIOutput {
    var contacts: [String]
    var followUpDueAt: Date
}

// The domain's rules for each body's fields, for the OpenAPI document.
extension EventsAPIController.EventBody: FieldRules {
    static let rules: [String: FieldRule] = [
        "title": .text(max: 150), "format": .oneOf(EventFormat.self), "starts_at": .dateTime, "ends_at": .dateTime,
        "timezone": .timeZone, "capacity": .range(0...100_000), "rsvp_deadline": .dateTime,
    ]
}

extension EventsAPIController.RSVPBody: FieldRules {
    static let rules: [String: FieldRule] = ["status": .oneOf(RSVPChoice.self)]
    static let required: Set<String> = ["status"]
}

extension EventsAPIController.MetBody: FieldRules {
    static let rules: [String: FieldRule] = [:]
    static let required: Set<String> = ["members"]
}

extension EventsAPIController.CheckInBody: FieldRules {
    static let rules: [String: FieldRule] = ["member": .handle, "code": .pattern("^[A-Za-z0-9]{6}$")]
}
