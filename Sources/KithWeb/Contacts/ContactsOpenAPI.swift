import Foundation
import KithDomain

/// The relationship manager's part of the OpenAPI document.
extension OpenAPIDocument {
    static let interactionKinds = values(of: InteractionKind.self)
    static let helpKinds = values(of: HelpKind.self)
    static var dateTime: JSON { ["type": "string", "format": "date-time"] }
    static var nullableDateTime: JSON { ["type": ["string", "null"], "format": "date-time"] }
    static var limit: JSON { query("limit", ["type": "integer", "minimum": 1, "maximum": 100]) }

    static var contactSchema: JSON {
        [
            "type": "object",
            "required": [
                "id", "name", "member", "emails", "phones", "organization", "title", "how_we_met", "tags", "notes", "cadence_days",
                "effective_cadence_days", "last_interaction_at", "next_due_at", "snoozed_until", "status", "interaction_count",
                "created_at", "updated_at",
            ],
            "properties": [
                "id": string, "name": string, "member": nullable("string"), "emails": stringArray, "phones": stringArray,
                "organization": string, "title": string, "how_we_met": string, "tags": stringArray, "notes": string,
                "cadence_days": nullable("integer"), "effective_cadence_days": nullable("integer"),
                "last_interaction_at": nullableDateTime, "next_due_at": nullableDateTime, "snoozed_until": nullableDateTime,
                "status": enumeration(ContactStatus.self), "interaction_count": ["type": "integer"],
                "created_at": dateTime, "updated_at": dateTime,
            ],
        ]
    }

    static var interactionSchema: JSON {
        [
            "type": "object", "required": ["id", "contact_id", "kind", "occurred_at", "note"],
            "properties": [
                "id": string, "contact_id": string, "kind": enumeration(interactionKinds), "help": enumeration(helpKinds),
                "occurred_at": dateTime, "note": string,
            ],
        ]
    }

    static var followUpSchema: JSON {
        [
            "type": "object", "required": ["id", "contact_id", "due_at", "text", "done"],
            "properties": [
                "id": string, "contact_id": string, "due_at": dateTime, "text": string, "done": ["type": "boolean"], "done_at": dateTime,
            ],
        ]
    }

    static var ledgerSchema: JSON {
        let counts: JSON = ["type": "object", "additionalProperties": ["type": "integer"]]
        return [
            "type": "object", "required": ["given", "received", "balance", "given_by_kind", "received_by_kind"],
            "properties": [
                "given": ["type": "integer"], "received": ["type": "integer"], "balance": ["type": "integer"],
                "given_by_kind": counts, "received_by_kind": counts,
            ],
        ]
    }

    static var contactBody: JSON {
        object([
            "name": ["type": "string", "maxLength": 120], "member": string, "emails": stringArray, "phones": stringArray,
            "organization": string, "title": string, "how_we_met": string, "tags": stringArray, "notes": string,
            "cadence_days": ["type": "integer", "minimum": 0, "maximum": 3650],
        ])
    }

    static func list(_ item: JSON) -> JSON {
        [
            "type": "object", "required": ["items", "next"],
            "properties": ["items": ["type": "array", "items": item], "next": nullable("string")],
        ]
    }

    static var contactPaths: JSON {
        let id = pathParameter("id")
        return [
            "/api/v1/contacts": [
                "get": operation(
                    "listContacts",
                    parameters: [
                        query("q"), query("tag"), query("status", enumeration(ContactStatus.self)), query("after"), limit,
                    ],
                    responses: ok("200", "Contacts", list(ref("Contact"))),
                    errors: ["422"]
                ),
                "post": operation(
                    "createContact",
                    body: body(contactBody),
                    responses: ok("201", "Created", ref("Contact")),
                    errors: ["400", "409", "413", "422"]
                ),
            ],
            "/api/v1/contacts/{id}": [
                "get": operation(
                    "showContact",
                    parameters: [id],
                    responses: ok(
                        "200",
                        "Contact",
                        [
                            "type": "object", "required": ["contact", "interactions", "follow_ups", "ledger", "give_before_you_ask"],
                            "properties": [
                                "contact": ref("Contact"), "interactions": ["type": "array", "items": ref("Interaction")],
                                "follow_ups": ["type": "array", "items": ref("FollowUp")], "ledger": ref("Ledger"),
                                "give_before_you_ask": ["type": "boolean"],
                                "profile": [
                                    "type": "object", "required": ["handle", "name", "headline", "industry"],
                                    "properties": [
                                        "handle": string, "name": string, "headline": string, "industry": string, "career_stage": string,
                                    ],
                                ],
                            ],
                        ]
                    ),
                    errors: ["404"]
                ),
                "patch": operation(
                    "updateContact",
                    parameters: [id],
                    body: body(contactBody),
                    responses: ok("200", "Updated", ref("Contact")),
                    errors: ["400", "404", "409", "413", "422"]
                ),
                "delete": operation(
                    "deleteContact",
                    parameters: [id],
                    responses: ["204": ["description": "Deleted"]],
                    errors: ["404"]
                ),
            ],
            "/api/v1/contacts/{id}/interactions": [
                "post": operation(
                    "logInteraction",
                    parameters: [id],
                    body: body(
                        object(
                            ["kind": enumeration(interactionKinds), "occurred_at": string, "note": string, "help": enumeration(helpKinds)],
                            required: ["kind"]
                        )
                    ),
                    responses: ok(
                        "201",
                        "Logged",
                        [
                            "type": "object", "required": ["id", "kind", "occurred_at", "interaction", "contact"],
                            "properties": [
                                "id": string, "kind": enumeration(interactionKinds), "occurred_at": dateTime,
                                "interaction": ref("Interaction"),
                                "contact": ref("Contact"),
                            ],
                        ]
                    ),
                    errors: ["400", "404", "413", "422"]
                ),
                "get": operation(
                    "listInteractions",
                    parameters: [id],
                    responses: ok("200", "Interactions", list(ref("Interaction"))),
                    errors: ["404"]
                ),
            ],
            "/api/v1/contacts/{id}/follow-ups": [
                "post": operation(
                    "addFollowUp",
                    parameters: [id],
                    body: body(object(["due_at": dateTime, "text": text(max: 500)], required: ["due_at", "text"])),
                    responses: ok("201", "Planned", ref("FollowUp")),
                    errors: ["400", "404", "413", "422"]
                )
            ],
            "/api/v1/contacts/{id}/snooze": [
                "post": operation(
                    "snoozeContact",
                    parameters: [id],
                    body: body(object(["days": ["type": "integer", "minimum": 1, "maximum": 365]], required: ["days"])),
                    responses: ok("200", "Snoozed", ref("Contact")),
                    errors: ["400", "404", "413", "422"]
                )
            ],
            "/api/v1/contacts/{id}/done": [
                "post": operation(
                    "markInTouch",
                    parameters: [id],
                    responses: ok("200", "In touch", ref("Contact")),
                    errors: ["404"]
                )
            ],
            "/api/v1/contacts/{id}/merge": [
                "post": operation(
                    "mergeContacts",
                    parameters: [id],
                    body: body(object(["from": string], required: ["from"])),
                    responses: ok("200", "Merged", ref("Contact")),
                    errors: ["400", "404", "413", "422"]
                )
            ],
            "/api/v1/contacts/duplicates": [
                "get": operation(
                    "contactDuplicates",
                    responses: ok(
                        "200",
                        "Possible duplicates",
                        [
                            "type": "object", "required": ["items"],
                            "properties": [
                                "items": [
                                    "type": "array",
                                    "items": [
                                        "type": "object", "required": ["first", "second", "reason"],
                                        "properties": ["first": ref("Contact"), "second": ref("Contact"), "reason": string],
                                    ],
                                ]
                            ],
                        ]
                    ),
                    errors: []
                )
            ],
            "/api/v1/follow-ups": [
                "get": operation(
                    "listFollowUps",
                    responses: ok("200", "Follow-ups", list(ref("FollowUp"))),
                    errors: []
                )
            ],
            "/api/v1/follow-ups/{id}/done": [
                "post": operation(
                    "completeFollowUp",
                    parameters: [id],
                    responses: ok("200", "Done", ref("FollowUp")),
                    errors: ["404"]
                )
            ],
            "/api/v1/keep-in-touch": [
                "get": operation(
                    "keepInTouch",
                    responses: ok(
                        "200",
                        "Keep in touch",
                        [
                            "type": "object", "required": ["due", "overdue", "dormant_worth_reviving", "follow_ups"],
                            "properties": [
                                "due": ["type": "array", "items": ref("Contact")], "overdue": ["type": "array", "items": ref("Contact")],
                                "follow_ups": ["type": "array", "items": ref("FollowUp")],
                                "dormant_worth_reviving": [
                                    "type": "array",
                                    "items": [
                                        "type": "object", "required": ["contact", "value", "reasons", "message"],
                                        "properties": [
                                            "contact": ref("Contact"), "value": ["type": "number"], "reasons": stringArray,
                                            "message": string,
                                        ],
                                    ],
                                ],
                            ],
                        ]
                    ),
                    errors: []
                )
            ],
            "/api/v1/reciprocity": [
                "get": operation(
                    "reciprocity",
                    responses: ok(
                        "200",
                        "Ledger",
                        [
                            "type": "object", "required": ["items", "totals"],
                            "properties": [
                                "totals": ref("Ledger"),
                                "items": [
                                    "type": "array",
                                    "items": [
                                        "type": "object",
                                        "required": [
                                            "contact_id", "name", "given", "received", "balance", "given_by_kind", "received_by_kind",
                                        ],
                                        "properties": [
                                            "contact_id": string, "name": string, "given": ["type": "integer"],
                                            "received": ["type": "integer"],
                                            "balance": ["type": "integer"],
                                            "given_by_kind": ["type": "object", "additionalProperties": ["type": "integer"]],
                                            "received_by_kind": ["type": "object", "additionalProperties": ["type": "integer"]],
                                        ],
                                    ],
                                ],
                            ],
                        ]
                    ),
                    errors: []
                )
            ],
            "/api/v1/cadences": [
                "get": operation(
                    "listCadences",
                    responses: ok(
                        "200",
                        "Cadences",
                        list([
                            "type": "object", "required": ["tag", "ideal_days", "max_days", "is_default"],
                            "properties": [
                                "tag": string, "ideal_days": ["type": "integer"], "max_days": ["type": "integer"],
                                "is_default": ["type": "boolean"],
                            ],
                        ])
                    ),
                    errors: []
                )
            ],
            "/api/v1/cadences/{tag}": [
                "put": operation(
                    "setCadence",
                    parameters: [pathParameter("tag")],
                    body: body(
                        object(
                            [
                                "ideal_days": ["type": "integer", "minimum": 1, "maximum": 3650],
                                "max_days": ["type": "integer", "minimum": 1, "maximum": 3650],
                            ],
                            required: ["ideal_days"]
                        )
                    ),
                    responses: ok(
                        "200",
                        "Set",
                        [
                            "type": "object", "required": ["tag", "ideal_days", "max_days", "is_default"],
                            "properties": [
                                "tag": string, "ideal_days": ["type": "integer"], "max_days": ["type": "integer"],
                                "is_default": ["type": "boolean"],
                            ],
                        ]
                    ),
                    errors: ["400", "413", "422"]
                ),
                "delete": operation(
                    "deleteCadence",
                    parameters: [pathParameter("tag")],
                    responses: ["204": ["description": "Removed"]],
                    errors: ["404"]
                ),
            ],
            "/api/v1/contacts/import": [
                "post": operation(
                    "importContacts",
                    parameters: [query("format", enumeration(ContactFileFormat.self))],
                    body: [
                        "required": true,
                        "content": [
                            "text/vcard": ["schema": string], "text/csv": ["schema": string], "text/plain": ["schema": string],
                            "multipart/form-data": [
                                "schema": [
                                    "type": "object", "properties": ["file": ["type": "string", "format": "binary"], "format": string],
                                ]
                            ],
                        ],
                    ],
                    responses: ok(
                        "200",
                        "Import report",
                        [
                            "type": "object", "required": ["created", "merged", "skipped", "errors"],
                            "properties": [
                                "created": ["type": "integer"], "merged": ["type": "integer"], "skipped": ["type": "integer"],
                                "errors": [
                                    "type": "array",
                                    "items": [
                                        "type": "object", "required": ["line", "message"],
                                        "properties": ["line": ["type": "integer"], "message": string],
                                    ],
                                ],
                            ],
                        ]
                    ),
                    errors: ["413", "422"]
                )
            ],
            "/api/v1/contacts/export": [
                "get": [
                    "operationId": "exportContacts", "summary": "The caller's contacts as vCards",
                    "parameters": [query("format", enumeration(["vcard"])), query("version", enumeration(["3.0", "4.0"]))],
                    "responses": [
                        "200": ["description": "vCards", "content": ["text/vcard": ["schema": string]]],
                        "401": ["description": "Problem", "content": ["application/problem+json": ["schema": ref("Problem")]]],
                        "422": ["description": "Problem", "content": ["application/problem+json": ["schema": ref("Problem")]]],
                    ],
                ] as JSON
            ],
            "/api/v1/notifications": [
                "get": operation(
                    "listNotifications",
                    responses: ok(
                        "200",
                        "Notifications",
                        [
                            "type": "object", "required": ["items", "unread"],
                            "properties": [
                                "unread": ["type": "integer"],
                                "items": [
                                    "type": "array",
                                    "items": [
                                        "type": "object", "required": ["id", "title", "body", "link", "created_at", "read"],
                                        "properties": [
                                            "id": string, "title": string, "body": string, "link": string, "created_at": dateTime,
                                            "read": ["type": "boolean"],
                                        ],
                                    ],
                                ],
                            ],
                        ]
                    ),
                    errors: []
                )
            ],
            "/api/v1/notifications/read": [
                "post": operation(
                    "markNotificationsRead",
                    responses: ["204": ["description": "Done"]],
                    errors: []
                )
            ],
        ]
    }
}
