import Foundation
import KithDomain

/// The OpenAPI 3.1 description of the JSON API, served at /api/openapi.json. A test checks
/// that every /api route the router knows is described here.
enum OpenAPIDocument {
    typealias JSON = [String: Any]

    static func json(serverURL: String) -> String {
        let document: JSON = [
            "openapi": "3.1.0",
            "info": [
                "title": "Kith API", "version": "1.0.0",
                "description": "Kith's JSON API. Errors are RFC 9457 problem details; lists are keyset-paginated.",
            ],
            "servers": [["url": serverURL]],
            "components": components,
            "security": [["bearer": [String]()]],
            "paths": summarized(paths),
        ]
        let data = try! JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// Each operation's summary from its route table (`Endpoint.summary`): written once, there.
    static func summarized(_ paths: JSON) -> JSON {
        var paths = paths
        for (path, value) in paths {
            guard var operations = value as? JSON else { continue }
            let template = path.replacing(/\{([a-z_]+)\}/) { ":" + $0.output.1 }
            for (method, operation) in operations {
                guard var operation = operation as? JSON,
                    let endpoint = RouteCatalog.byKey["\(method.uppercased()) \(template)"]
                else { continue }
                operation["summary"] = endpoint.summary
                operations[method] = operation
            }
            paths[path] = operations
        }
        return paths
    }

    static func ref(_ name: String) -> JSON { ["$ref": "#/components/schemas/\(name)"] }
    static var string: JSON { ["type": "string"] }
    static var stringArray: JSON { ["type": "array", "items": string] }
    static func nullable(_ type: String) -> JSON { ["type": [type, "null"]] }
    static func enumeration(_ values: [String]) -> JSON { ["type": "string", "enum": values] }
    /// A domain enum's values, from the enum itself (never typed again here).
    static func enumeration<E: CaseIterable & RawRepresentable>(_ type: E.Type) -> JSON where E.RawValue == String {
        enumeration(values(of: type))
    }
    static func values<E: CaseIterable & RawRepresentable>(of type: E.Type) -> [String] where E.RawValue == String {
        type.allCases.map(\.rawValue)
    }
    /// The rules the domain applies, written where generated clients and fuzzers can read them.
    static var handle: JSON { ["type": "string", "minLength": 3, "maxLength": 30, "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"] }
    static func text(max: Int) -> JSON { ["type": "string", "minLength": 1, "maxLength": max, "pattern": "\\S"] }
    static var timeZone: JSON { enumeration(TimeZone.knownTimeZoneIdentifiers.sorted()) }

    private static let careerStages = values(of: CareerStage.self)
    private static let openTo = values(of: OpenTo.self)
    private static let visibilities = values(of: Visibility.self)

    private static var components: JSON {
        [
            "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]],
            "schemas": [
                "Problem": [
                    "type": "object", "required": ["title", "status", "detail"],
                    "properties": [
                        "type": string, "title": string, "status": ["type": "integer"], "detail": string,
                        "request_id": string, "retry_after": ["type": "integer"],
                        "errors": [
                            "type": "array",
                            "items": [
                                "type": "object", "required": ["field", "message"], "properties": ["field": string, "message": string],
                            ],
                        ],
                    ],
                ],
                "Member": [
                    "type": "object", "required": ["id", "handle", "name", "email", "role", "created_at"],
                    "properties": [
                        "id": string, "handle": string, "name": string, "email": string,
                        "role": enumeration(Role.self), "created_at": ["type": "string", "format": "date-time"],
                    ],
                ],
                "Affiliation": [
                    "type": "object", "required": ["id", "kind", "organization", "title", "cohort"],
                    "properties": [
                        "id": string, "kind": enumeration(AffiliationKind.self),
                        "organization": string, "title": string, "cohort": string,
                        "start_year": ["type": "integer"], "end_year": ["type": "integer"],
                    ],
                ],
                "Profile": [
                    "type": "object",
                    "required": ["handle", "name", "role", "headline", "industry", "interests", "open_to", "member_since", "relation"],
                    "properties": [
                        "id": string, "email": string,
                        "handle": string, "name": string, "role": string, "headline": string, "industry": string,
                        "career_stage": enumeration(careerStages), "interests": stringArray,
                        "open_to": ["type": "array", "items": enumeration(openTo)],
                        "member_since": ["type": "string", "format": "date-time"],
                        "relation": enumeration(ViewerRelation.self),
                        "bio": string, "location": string, "skills": stringArray,
                        "affiliations": ["type": "array", "items": ref("Affiliation")],
                        "contact": ["type": "object", "properties": ["email": string, "website": string, "phone": string]],
                        "visibility": ["type": "object", "additionalProperties": enumeration(visibilities)],
                    ],
                ],
                "MemberSummary": [
                    "type": "object", "required": ["handle", "name", "headline", "industry", "open_to"],
                    "properties": [
                        "handle": string, "name": string, "headline": string, "industry": string,
                        "career_stage": enumeration(careerStages), "location": string, "skills": stringArray,
                        "open_to": ["type": "array", "items": enumeration(openTo)],
                    ],
                ],
                "ConnectionRequest": [
                    "type": "object", "required": ["id", "from", "to", "note", "status", "created_at"],
                    "properties": [
                        "id": string, "from": string, "to": string, "note": string,
                        "status": enumeration(RequestStatus.self),
                        "created_at": ["type": "string", "format": "date-time"],
                    ],
                ],
                "ConnectionRequestList": [
                    "type": "object", "required": ["items", "next"],
                    "properties": ["items": ["type": "array", "items": ref("ConnectionRequest")], "next": nullable("string")],
                ],
                "Relationship": [
                    "type": "object", "required": ["degree", "mutual_count", "mutuals", "paths"],
                    "properties": [
                        "degree": ["type": ["integer", "null"], "enum": [1, 2, 3, NSNull()]],
                        "mutual_count": ["type": "integer"],
                        "mutuals": ["type": "array", "items": ref("MemberSummary"), "maxItems": 10],
                        "paths": ["type": "array", "maxItems": 3, "items": stringArray],
                    ],
                ],
                "Suggestions": [
                    "type": "object", "required": ["items"],
                    "properties": [
                        "items": [
                            "type": "array",
                            "items": [
                                "type": "object", "required": ["member", "score", "reasons"],
                                "properties": ["member": ref("MemberSummary"), "score": ["type": "number"], "reasons": stringArray],
                            ],
                        ]
                    ],
                ],
                "Contact": contactSchema,
                "Interaction": interactionSchema,
                "FollowUp": followUpSchema,
                "Ledger": ledgerSchema,
                "MemberList": [
                    "type": "object", "required": ["items", "next"],
                    "properties": ["items": ["type": "array", "items": ref("MemberSummary")], "next": nullable("string")],
                ],
            ],
        ]
    }

    static func body(_ schema: JSON) -> JSON {
        ["required": true, "content": ["application/json": ["schema": schema]]]
    }

    static func ok(_ status: String, _ description: String, _ schema: JSON? = nil) -> JSON {
        var response: JSON = ["description": description]
        if let schema { response["content"] = ["application/json": ["schema": schema]] }
        return [status: response]
    }

    private static func problems(_ statuses: [String]) -> JSON {
        Dictionary(
            uniqueKeysWithValues: statuses.map {
                ($0, ["description": "Problem", "content": ["application/problem+json": ["schema": ref("Problem")]]] as JSON)
            }
        )
    }

    static func operation(
        _ id: String,
        public isPublic: Bool = false,
        parameters: [JSON] = [],
        body requestBody: JSON? = nil,
        responses: JSON,
        errors: [String]
    ) -> JSON {
        var op: JSON = [
            "operationId": id,
            // A body in any type but JSON is refused with 415 (`JSONWrites`).
            "responses": responses.merging(problems(Array(Set(errors + (isPublic ? [] : ["401"]) + (requestBody == nil ? [] : ["415"]))))) {
                a,
                _ in a
            },
        ]
        if isPublic { op["security"] = [JSON]() }
        if !parameters.isEmpty { op["parameters"] = parameters }
        if let requestBody { op["requestBody"] = requestBody }
        return op
    }

    static func pathParameter(_ name: String) -> JSON {
        ["name": name, "in": "path", "required": true, "schema": string]
    }

    static func query(_ name: String, _ schema: JSON = string) -> JSON {
        ["name": name, "in": "query", "required": false, "schema": schema]
    }

    static func object(_ properties: JSON, required: [String] = []) -> JSON {
        ["type": "object", "properties": properties, "required": required, "additionalProperties": false]
    }

    static var paths: JSON {
        foundationPaths.merging(contactPaths) { first, _ in first }.merging(eventPaths) { first, _ in first }
    }

    private static var foundationPaths: JSON {
        [
            "/health": [
                "get": operation(
                    "health",
                    public: true,
                    responses: ok("200", "Healthy", object(["status": string])),
                    errors: []
                )
            ],
            "/metrics": [
                "get": [
                    "operationId": "metrics", "security": [JSON](),
                    "responses": ["200": ["description": "Prometheus text format", "content": ["text/plain": ["schema": string]]]],
                ] as JSON
            ],
            "/api/openapi.json": [
                "get": operation(
                    "openapi",
                    public: true,
                    responses: ok("200", "The OpenAPI document", ["type": "object"]),
                    errors: []
                )
            ],
            "/api/v1/auth/register": [
                "post": operation(
                    "register",
                    public: true,
                    body: body(
                        object(
                            [
                                "email": ["type": "string", "format": "email", "maxLength": 254],
                                "password": ["type": "string", "minLength": 8, "maxLength": 72], "name": text(max: 100),
                                "handle": handle, "invitation": string,
                            ],
                            required: ["email", "password", "name", "handle"]
                        )
                    ),
                    responses: ok("201", "Registered", object(["member": ref("Member"), "token": string], required: ["member", "token"]))
                        .merging(
                            ok(
                                "202",
                                "Registration `confirm`: a confirmation link is on its way (the same answer when the address has an account)",
                                object(["status": string, "detail": string], required: ["status", "detail"])
                            )
                        ) { first, _ in first },
                    errors: ["400", "403", "409", "413", "422", "429"]
                )
            ],
            "/api/v1/auth/register/confirm": [
                "post": operation(
                    "confirmRegistration",
                    public: true,
                    body: body(object(["token": string], required: ["token"])),
                    responses: ok("201", "Registered", object(["member": ref("Member"), "token": string], required: ["member", "token"])),
                    errors: ["400", "409", "413", "415", "422"]
                )
            ],
            "/api/v1/auth/token": [
                "post": operation(
                    "createToken",
                    public: true,
                    body: body(
                        object(
                            [
                                "email": string, "password": string, "name": string,
                                "expires_in_days": ["type": "integer", "minimum": 1, "maximum": 3650], "totp": string,
                            ],
                            required: ["email", "password"]
                        )
                    ),
                    responses: ok("200", "Signed in", object(["member": ref("Member"), "token": string], required: ["member", "token"])),
                    errors: ["400", "401", "413", "422", "429"]
                ),
                "delete": operation(
                    "revokeToken",
                    responses: ["204": ["description": "Revoked"]],
                    errors: []
                ),
            ],
            "/api/v1/me": [
                "get": operation("me", responses: ok("200", "Profile", ref("Profile")), errors: [])
            ],
            "/api/v1/me/profile": [
                "patch": operation(
                    "updateProfile",
                    body: body(
                        object([
                            "name": string, "headline": string, "bio": string, "location": string, "industry": string,
                            "career_stage": ["type": "string", "enum": careerStages + [""]], "skills": stringArray,
                            "interests": stringArray,
                            "open_to": ["type": "array", "items": enumeration(openTo)], "website": string, "phone": string,
                            "visibility": [
                                "type": "object",
                                "properties": Dictionary(
                                    uniqueKeysWithValues: values(of: ProfileSection.self).map {
                                        ($0, enumeration(visibilities))
                                    }
                                ),
                                "additionalProperties": false,
                            ],
                        ])
                    ),
                    responses: ok("200", "Updated profile", ref("Profile")),
                    errors: ["400", "413", "422"]
                )
            ],
            "/api/v1/me/affiliations": [
                "post": operation(
                    "addAffiliation",
                    body: body(
                        object(
                            [
                                "kind": enumeration(AffiliationKind.self), "organization": string,
                                "title": string, "cohort": string, "start_year": ["type": "integer"], "end_year": ["type": "integer"],
                            ],
                            required: ["kind", "organization"]
                        )
                    ),
                    responses: ok("201", "Added", ref("Affiliation")),
                    errors: ["400", "413", "422"]
                )
            ],
            "/api/v1/auth/password-reset": [
                "post": operation(
                    "requestPasswordReset",
                    public: true,
                    body: body(object(["email": string], required: ["email"])),
                    responses: ["202": ["description": "If the address has an account, a link is on its way"]],
                    errors: ["400", "413", "415", "422", "429"]
                )
            ],
            "/api/v1/auth/password-reset/confirm": [
                "post": operation(
                    "confirmPasswordReset",
                    public: true,
                    body: body(
                        object(["token": string, "password": ["type": "string", "minLength": 8]], required: ["token", "password"])
                    ),
                    responses: ["204": ["description": "Changed"]],
                    errors: ["400", "413", "415", "422"]
                )
            ],
            "/api/v1/me/2fa/totp": [
                "post": operation(
                    "beginTOTP",
                    responses: ok(
                        "200",
                        "Secret",
                        object(["secret": string, "otpauth_uri": string], required: ["secret", "otpauth_uri"])
                    ),
                    errors: ["409"]
                ),
                "delete": operation(
                    "disableTOTP",
                    body: body(object(["password": string], required: ["password"])),
                    responses: ["204": ["description": "Off"]],
                    errors: ["400", "413", "415", "422", "429"]
                ),
            ],
            "/api/v1/me/2fa/totp/confirm": [
                "post": operation(
                    "confirmTOTP",
                    body: body(object(["code": string], required: ["code"])),
                    responses: ok("200", "On", object(["recovery_codes": stringArray], required: ["recovery_codes"])),
                    errors: ["400", "409", "413", "415", "422", "429"]
                )
            ],
            "/api/v1/me/sessions": [
                "get": operation(
                    "sessions",
                    responses: ok(
                        "200",
                        "Sessions and tokens",
                        list([
                            "type": "object", "required": ["id", "kind", "name", "created_at", "current"],
                            "properties": [
                                "id": string, "kind": enumeration(CredentialInfo.Kind.self), "name": string, "created_at": dateTime,
                                "last_used_at": dateTime, "expires_at": dateTime, "current": ["type": "boolean"],
                            ],
                        ])
                    ),
                    errors: []
                )
            ],
            "/api/v1/me/sessions/{id}": [
                "delete": operation(
                    "revokeSession",
                    parameters: [pathParameter("id")],
                    responses: ["204": ["description": "Ended"]],
                    errors: ["404"]
                )
            ],
            "/api/v1/me/password": [
                "post": operation(
                    "changePassword",
                    body: body(
                        object(
                            ["current_password": string, "new_password": ["type": "string", "minLength": 8]],
                            required: ["current_password", "new_password"]
                        )
                    ),
                    responses: ["204": ["description": "Changed"]],
                    errors: ["400", "413", "415", "422", "429"]
                )
            ],
            "/api/v1/me/affiliations/{id}": [
                "delete": operation(
                    "removeAffiliation",
                    parameters: [pathParameter("id")],
                    responses: ["204": ["description": "Removed"]],
                    errors: ["404"]
                )
            ],
            "/api/v1/members": [
                "get": operation(
                    "listMembers",
                    parameters: [
                        query("q"), query("skill"), query("industry"), query("career_stage", enumeration(careerStages)), query("cohort"),
                        query("organization"), query("location"), query("open_to", enumeration(openTo)), query("after"),
                        query("typeahead", enumeration(["true", "false"])),
                        query("limit", ["type": "integer", "minimum": 1, "maximum": 100]),
                    ],
                    responses: ok("200", "Members", ref("MemberList")),
                    errors: ["422"]
                )
            ],
            "/api/v1/members/{handle}": [
                "get": operation(
                    "showMember",
                    parameters: [pathParameter("handle")],
                    responses: ok("200", "Profile", ref("Profile")),
                    errors: ["404"]
                )
            ],
            "/api/v1/connections/requests": [
                "post": operation(
                    "requestConnection",
                    body: body(object(["to": handle, "note": ["type": "string", "maxLength": 300]], required: ["to"])),
                    responses: ok("201", "Request sent, or theirs accepted", ref("ConnectionRequest")),
                    errors: ["400", "404", "409", "413", "422", "429"]
                ),
                "get": operation(
                    "listConnectionRequests",
                    parameters: [
                        query("box", enumeration(["incoming", "outgoing"])), query("after"),
                        query("limit", ["type": "integer", "minimum": 1, "maximum": 100]),
                    ],
                    responses: ok("200", "Requests", ref("ConnectionRequestList")),
                    errors: ["422"]
                ),
            ],
            "/api/v1/connections/requests/{id}/accept": [
                "post": operation(
                    "acceptConnectionRequest",
                    parameters: [pathParameter("id")],
                    responses: ok("200", "Accepted", ref("ConnectionRequest")),
                    errors: ["404"]
                )
            ],
            "/api/v1/connections/requests/{id}/ignore": [
                "post": operation(
                    "ignoreConnectionRequest",
                    parameters: [pathParameter("id")],
                    responses: ["204": ["description": "Ignored"]],
                    errors: ["404"]
                )
            ],
            "/api/v1/connections/requests/{id}": [
                "delete": operation(
                    "withdrawConnectionRequest",
                    parameters: [pathParameter("id")],
                    responses: ["204": ["description": "Withdrawn"]],
                    errors: ["404"]
                )
            ],
            "/api/v1/connections": [
                "get": operation(
                    "listConnections",
                    parameters: [query("member"), query("after"), query("limit", ["type": "integer", "minimum": 1, "maximum": 100])],
                    responses: ok("200", "Connections", ref("MemberList")),
                    errors: ["403", "404", "422"]
                )
            ],
            "/api/v1/connections/{handle}": [
                "delete": operation(
                    "removeConnection",
                    parameters: [pathParameter("handle")],
                    responses: ["204": ["description": "Removed"]],
                    errors: ["404"]
                )
            ],
            "/api/v1/members/{handle}/relationship": [
                "get": operation(
                    "relationship",
                    parameters: [pathParameter("handle")],
                    responses: ok("200", "Relationship", ref("Relationship")),
                    errors: ["404"]
                )
            ],
            "/api/v1/suggestions": [
                "get": operation(
                    "suggestions",
                    parameters: [query("limit", ["type": "integer", "minimum": 1, "maximum": 100])],
                    responses: ok("200", "Suggestions", ref("Suggestions")),
                    errors: ["422"]
                )
            ],
            "/api/v1/members/{handle}/block": [
                "post": operation(
                    "blockMember",
                    parameters: [pathParameter("handle")],
                    responses: ["204": ["description": "Blocked"]],
                    errors: ["404", "422"]
                ),
                "delete": operation(
                    "unblockMember",
                    parameters: [pathParameter("handle")],
                    responses: ["204": ["description": "Unblocked"]],
                    errors: ["404"]
                ),
            ],
        ]
    }
}
