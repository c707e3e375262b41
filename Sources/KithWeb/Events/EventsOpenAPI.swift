import Foundation
import KithDomain

/// The events part of the OpenAPI document.
extension OpenAPIDocument {
    static let eventFormats = values(of: EventFormat.self)

    static var eventSchema: JSON {
        [
            "type": "object",
            "required": [
                "id", "title", "description", "format", "starts_at", "ends_at", "timezone", "location", "online_url", "capacity",
                "audience", "rsvp_deadline", "organizer", "going_count", "waitlist_count", "maybe_count", "my_rsvp",
                "my_waitlist_position", "cancelled",
            ],
            "properties": [
                "id": string, "title": string, "description": string, "format": enumeration(eventFormats), "starts_at": dateTime,
                "ends_at": dateTime, "timezone": string, "location": string, "online_url": string, "capacity": nullable("integer"),
                "audience": ["type": "object", "properties": ["cohort": string]], "rsvp_deadline": nullableDateTime,
                "organizer": nullable("string"), "going_count": ["type": "integer"], "waitlist_count": ["type": "integer"],
                "maybe_count": ["type": "integer"],
                "my_rsvp": ["type": ["string", "null"], "enum": ["going", "waitlisted", "maybe", "not_going", NSNull()]],
                "my_waitlist_position": nullable("integer"), "cancelled": ["type": "boolean"], "check_in_code": string,
            ],
        ]
    }

    static var eventBody: JSON {
        object([
            "title": text(max: 150), "description": string, "format": enumeration(eventFormats),
            "starts_at": dateTime, "ends_at": dateTime, "timezone": timeZone, "location": string, "online_url": string,
            "capacity": ["type": "integer", "minimum": 0, "maximum": 100_000],
            "audience": object(["cohort": string, "group": string]), "rsvp_deadline": dateTime,
        ])
    }

    static var attendeeSchema: JSON {
        [
            "type": "object", "required": ["handle", "name", "status", "checked_in", "responded_at"],
            "properties": [
                "handle": string, "name": string, "status": enumeration(RSVPStatus.self),
                "waitlist_position": ["type": "integer"], "checked_in": ["type": "boolean"], "responded_at": dateTime,
            ],
        ]
    }

    static var eventPaths: JSON {
        let id = pathParameter("id")
        let calendar: JSON = ["200": ["description": "iCalendar (RFC 5545)", "content": ["text/calendar": ["schema": string]]]]
        return [
            "/api/v1/events": [
                "post": operation(
                    "createEvent",
                    body: body(eventBody),
                    responses: ok("201", "Created", eventSchema),
                    errors: ["400", "413", "422"]
                ),
                "get": operation(
                    "listEvents",
                    parameters: [
                        query("upcoming", enumeration(["true", "false"])), query("mine", enumeration(["true", "false"])),
                        query("format", enumeration(eventFormats)), query("cohort"), query("after"), limit,
                    ],
                    responses: ok("200", "Events", list(eventSchema)),
                    errors: ["422"]
                ),
            ],
            "/api/v1/events/{id}": [
                "get": operation(
                    "showEvent",
                    parameters: [id],
                    responses: [
                        "200": [
                            "description": "Event",
                            "content": ["application/json": ["schema": eventSchema], "text/calendar": ["schema": string]],
                        ]
                    ],
                    errors: ["404"]
                ),
                "patch": operation(
                    "updateEvent",
                    parameters: [id],
                    body: body(eventBody),
                    responses: ok("200", "Updated", eventSchema),
                    errors: ["400", "403", "404", "409", "413", "422"]
                ),
            ],
            "/api/v1/events/{id}/cancel": [
                "post": operation(
                    "cancelEvent",
                    parameters: [id],
                    responses: ok("200", "Cancelled", eventSchema),
                    errors: ["403", "404"]
                )
            ],
            "/api/v1/events/{id}/rsvp": [
                "put": operation(
                    "rsvp",
                    parameters: [id],
                    body: body(object(["status": enumeration(RSVPChoice.self)], required: ["status"])),
                    responses: ok(
                        "200",
                        "Standing",
                        [
                            "type": "object", "required": ["status"],
                            "properties": [
                                "status": enumeration(RSVPStatus.self),
                                "waitlist_position": ["type": "integer"],
                            ],
                        ]
                    ),
                    errors: ["400", "404", "409", "413", "422"]
                )
            ],
            "/api/v1/events/{id}/check-in": [
                "post": operation(
                    "checkIn",
                    parameters: [id],
                    body: body(object(["member": handle, "code": ["type": "string", "pattern": "^[A-Za-z0-9]{6}$"]])),
                    responses: ok("200", "Checked in", attendeeSchema),
                    errors: ["400", "403", "404", "409", "413", "422"]
                )
            ],
            "/api/v1/events/{id}/attendees": [
                "get": operation(
                    "attendees",
                    parameters: [id],
                    responses: ok("200", "Attendees", list(attendeeSchema)),
                    errors: ["403", "404"]
                )
            ],
            "/api/v1/events/{id}/people-to-meet": [
                "get": operation(
                    "peopleToMeet",
                    parameters: [id],
                    responses: ok(
                        "200",
                        "People to meet",
                        [
                            "type": "object", "required": ["items"],
                            "properties": [
                                "items": [
                                    "type": "array",
                                    "items": [
                                        "type": "object", "required": ["member", "score", "reasons", "conversation_starter"],
                                        "properties": [
                                            "member": object(["handle": string, "name": string, "headline": string]),
                                            "score": ["type": "number"], "reasons": stringArray, "conversation_starter": string,
                                        ],
                                    ],
                                ]
                            ],
                        ]
                    ),
                    errors: ["403", "404"]
                )
            ],
            "/api/v1/events/{id}/met": [
                "post": operation(
                    "whoIMet",
                    parameters: [id],
                    body: body(object(["members": stringArray, "note": string], required: ["members"])),
                    responses: ok(
                        "200",
                        "Recorded",
                        object(["contacts": stringArray, "follow_up_due_at": dateTime], required: ["contacts", "follow_up_due_at"])
                    ),
                    errors: ["400", "403", "404", "409", "413", "422"]
                )
            ],
            "/api/v1/me/calendar": [
                "get": operation(
                    "calendarStatus",
                    responses: ok(
                        "200",
                        "Feed status",
                        object(
                            ["active": ["type": "boolean"], "created_at": ["type": ["string", "null"], "format": "date-time"]],
                            required: ["active"]
                        )
                    ),
                    errors: []
                ),
                "post": operation(
                    "resetCalendar",
                    responses: ok("201", "Feed address", object(["url": string], required: ["url"])),
                    errors: []
                ),
            ],
            "/api/v1/me/attendance": [
                "get": operation(
                    "attendance",
                    responses: ok(
                        "200",
                        "Attendance",
                        list([
                            "type": "object",
                            "required": ["event_id", "title", "format", "starts_at", "ends_at", "timezone", "checked_in", "checked_in_at"],
                            "properties": [
                                "event_id": string, "title": string, "format": enumeration(eventFormats), "starts_at": dateTime,
                                "ends_at": dateTime, "timezone": string, "checked_in": ["type": "boolean"],
                                "checked_in_at": nullableDateTime,
                            ],
                        ])
                    ),
                    errors: []
                )
            ],
            "/calendar/{file}": [
                "get": [
                    "operationId": "calendarFeed", "summary": "A personal calendar feed: {token}.ics (the token is the credential)",
                    "security": [JSON](), "parameters": [pathParameter("file")],
                    "responses": calendar.merging([
                        "404": ["description": "Problem", "content": ["application/problem+json": ["schema": ref("Problem")]]]
                    ]) { a, _ in a },
                ] as JSON
            ],
        ]
    }
}
