import Foundation
import Hummingbird
import HummingbirdTesting
import KithApp
import KithDomain
import KithStorage
import KithTestSupport
import Logging
import Testing

@testable import KithWeb

@Suite struct APITests {
    @Test func registerThenReadAndEditTheProfile() async throws {
        try await withApp { client, _ in
            let token = try await client.register("ada", name: "Ada Lovelace")

            let patched = try await client.send(
                .patch,
                "/api/v1/me/profile",
                token: token,
                json:
                    #"{"headline":"Engineer","career_stage":"mid_career","skills":["Swift","SQL"],"open_to":["mentoring"],"visibility":{"bio":"only_me"}}"#
            )
            #expect(patched.status == 200)
            #expect(patched.json["career_stage"] as? String == "mid_career")

            let added = try await client.send(
                .post,
                "/api/v1/me/affiliations",
                token: token,
                json:
                    #"{"kind":"school","organization":"Northfield University","cohort":"Class of 2015","start_year":2011,"end_year":2015}"#
            )
            #expect(added.status == 201)
            let me = try await client.send(.get, "/api/v1/me", token: token).json
            #expect(me["email"] as? String == "ada@example.org")
            #expect((me["visibility"] as? [String: String])?["bio"] == "only_me")
            #expect((me["affiliations"] as? [[String: Any]])?.first?["cohort"] as? String == "Class of 2015")

            let id = added.json["id"] as? String ?? ""
            #expect(try await client.send(.delete, "/api/v1/me/affiliations/\(id)", token: token).status == 204)
            #expect(try await client.send(.delete, "/api/v1/me/affiliations/\(id)", token: token).status == 404)
        }
    }

    @Test func tokensAreIssuedOnSignInAndRevoked() async throws {
        try await withApp { client, _ in
            _ = try await client.register("ada")
            let signIn = try await client.send(.post, "/api/v1/auth/token", json: #"{"email":"ADA@example.org","password":"password-ada"}"#)
            #expect(signIn.status == 200)
            let token = signIn.json["token"] as? String ?? ""

            #expect(try await client.send(.delete, "/api/v1/auth/token", token: token).status == 204)

            let after = try await client.send(.get, "/api/v1/me", token: token)
            #expect(after.status == 401)
            #expect(after.headers[.contentType] == "application/problem+json")
        }
    }

    @Test func wrongPasswordAndUnknownEmailAnswerAlikeThenRateLimit() async throws {
        try await withApp { client, _ in
            _ = try await client.register("ada")
            let wrong = try await client.send(.post, "/api/v1/auth/token", json: #"{"email":"ada@example.org","password":"nope-nope"}"#)
            let unknown = try await client.send(.post, "/api/v1/auth/token", json: #"{"email":"who@example.org","password":"nope-nope"}"#)
            #expect(wrong.status == 401 && unknown.status == 401)
            #expect(wrong.json["detail"] as? String == unknown.json["detail"] as? String)

            for _ in 0..<4 {
                _ = try await client.send(.post, "/api/v1/auth/token", json: #"{"email":"ada@example.org","password":"nope-nope"}"#)
            }
            let limited = try await client.send(
                .post,
                "/api/v1/auth/token",
                json: #"{"email":"ada@example.org","password":"password-ada"}"#
            )
            #expect(limited.status == 429)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 > 0)
        }
    }

    @Test func duplicatesConflictAndInviteOnlyNeedsAnInvitation() async throws {
        try await withApp { client, _ in
            _ = try await client.register("ada")
            let again = try await client.send(
                .post,
                "/api/v1/auth/register",
                json: #"{"email":"Ada@Example.org","password":"password-x","name":"X","handle":"other"}"#
            )
            #expect(again.status == 409)
            #expect((again.json["errors"] as? [[String: String]])?.first?["field"] == "email")
        }
        try await withApp(registration: .invite) { client, services in
            let body = #"{"email":"new@example.org","password":"password-x","name":"New","handle":"newbie"}"#
            #expect(try await client.send(.post, "/api/v1/auth/register", json: body).status == 403)
            let code = try await services.accounts.invite(email: nil, by: nil).value
            let withCode = #"{"email":"new@example.org","password":"password-x","name":"New","handle":"newbie","invitation":"\#(code)"}"#
            #expect(try await client.send(.post, "/api/v1/auth/register", json: withCode).status == 201)
        }
    }

    @Test func badInputGetsProblemDetailsNamingTheFieldAndTheRule() async throws {
        try await withApp { client, _ in
            let token = try await client.register("ada")
            let cases: [(String, Int, String?)] = [
                ("{not json", 400, nil),
                ("[1,2]", 400, nil),
                (#"{"headline":5}"#, 422, "headline"),
                (#"{"nickname":"x"}"#, 422, "nickname"),
                (#"{"career_stage":"wizard"}"#, 422, "career_stage"),
                (#"{"open_to":["napping"]}"#, 422, "open_to"),
                (#"{"visibility":{"bio":"friends"}}"#, 422, "visibility.bio"),
                (#"{"headline":"\#(String(repeating: "x", count: 121))"}"#, 422, "headline"),
                (#"{"website":"javascript:alert(1)"}"#, 422, "website"),
            ]
            for (body, status, field) in cases {
                let reply = try await client.send(.patch, "/api/v1/me/profile", token: token, json: body)
                #expect(reply.status == status, "\(body)")
                #expect(reply.headers[.contentType] == "application/problem+json")
                #expect(reply.json["status"] as? Int == status)
                if let field {
                    let fields = (reply.json["errors"] as? [[String: String]])?.compactMap { $0["field"] } ?? []
                    #expect(fields.contains(field), "\(body) → \(reply.text)")
                }
            }
            let huge = try await client.send(
                .patch,
                "/api/v1/me/profile",
                token: token,
                json: #"{"bio":"\#(String(repeating: "x", count: 300_000))"}"#
            )
            #expect(huge.status == 413)
            #expect(try await client.send(.get, "/api/v1/me", token: token).json["headline"] as? String == "")
        }
    }

    @Test func listsAreKeysetPaginatedWithAValidatedLimit() async throws {
        try await withApp { client, _ in
            var token = ""
            for handle in ["ada", "bea", "cyd", "dan", "eve"] { token = try await client.register(handle) }
            var seen: [String] = []
            var next: String? = nil
            repeat {
                let uri = "/api/v1/members?limit=2" + (next.map { "&after=\($0)" } ?? "")
                let page = try await client.send(.get, uri, token: token).json
                seen += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["handle"] as? String }
                next = page["next"] as? String
            } while next != nil
            #expect(seen == ["ada", "bea", "cyd", "dan", "eve"])
            #expect(try await client.send(.get, "/api/v1/members?limit=500", token: token).status == 422)
            #expect(try await client.send(.get, "/api/v1/members?after=garbage!", token: token).status == 422)
            #expect(try await client.send(.get, "/api/v1/members").status == 401)
        }
    }

    @Test func healthMetricsAndRequestIDs() async throws {
        try await withApp { client, _ in
            let health = try await client.send(.get, "/health")
            #expect(health.status == 200)
            #expect(health.json["status"] as? String == "ok")
            #expect(health.headers[.init("X-Request-Id")!]?.isEmpty == false)
            let metrics = try await client.send(.get, "/metrics")
            #expect(metrics.text.contains("kith_http_requests_total"))
            // The member cache's counts: a profile read twice is found in memory the second time.
            func cacheHits() async throws -> Double {
                let text = try await client.send(.get, "/metrics").text
                let line = text.split(separator: "\n").first { $0.hasPrefix("kith_member_cache_hits ") }
                return Double(line?.split(separator: " ").last ?? "") ?? -1
            }
            let token = try await client.register("ada")
            _ = try await client.register("bea")
            #expect(try await client.send(.get, "/api/v1/members/bea", token: token).status == 200)
            let before = try await cacheHits()
            #expect(before >= 0)
            #expect(try await client.send(.get, "/api/v1/members/bea", token: token).status == 200)
            #expect(try await cacheHits() > before)
        }
    }
}

@Suite struct OpenAPITests {
    @Test func everyAPIRouteIsDescribed() async throws {
        try await withMigratedStore { store async throws in
            let router = buildRouter(services: testServices(store), configuration: AppConfiguration(bcryptCost: 4))
            let document = try await openAPIDocument(store)
            let paths = document["paths"] as? [String: [String: Any]] ?? [:]
            let routes = router.routes.filter {
                let path = $0.path.description
                return path.hasPrefix("/api/") || path == "/health" || path == "/metrics"
            }
            #expect(routes.count >= 14)
            for route in routes {
                let path = route.path.description.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
                    .joined(separator: "/")
                let openAPIPath = "/" + path
                let operation = paths[openAPIPath]?[route.method.rawValue.lowercased()] as? [String: Any]
                #expect(operation != nil, "\(route.method) \(openAPIPath) is missing from /api/openapi.json")
                // Its summary comes from the route table, where the route is written.
                let key = "\(route.method.rawValue) \(route.path.description.replacing(/\{([a-z_]+)\}/) { ":" + $0.output.1 })"
                #expect(
                    operation?["summary"] as? String == RouteCatalog.byKey[key]?.summary && operation?["summary"] != nil,
                    "\(key) has no summary from its route table"
                )
            }
            // And nothing is described that no route serves.
            let served = Set(router.routes.map { "\($0.method.rawValue.lowercased()) \($0.path.description)" })
            let unserved = paths.flatMap { path, operations in operations.keys.map { "\($0) \(path)" } }.filter { !served.contains($0) }
            #expect(unserved.isEmpty, "/api/openapi.json describes what nothing serves: \(unserved)")
        }
    }

    /// Each JSON body an API route reads (its route table names the type) is described with
    /// exactly the fields that type accepts: a field added to the type but not to the document,
    /// or left in the document after it went, fails here.
    @Test func everyRequestBodyIsDescribedWithTheFieldsItsTypeAccepts() async throws {
        try await withMigratedStore { store async throws in
            let paths = try await openAPIDocument(store)["paths"] as? [String: [String: Any]] ?? [:]
            let withBodies = RouteCatalog.all.filter { $0.input != nil }
            #expect(withBodies.count >= 20)
            for endpoint in withBodies {
                let path = endpoint.template.replacing(/:([a-z_]+)/) { "{" + $0.output.1 + "}" }
                let operation = paths[path]?[endpoint.method.rawValue.lowercased()] as? [String: Any]
                let body = operation?["requestBody"] as? [String: Any]
                let schema = ((body?["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any]
                let described = Set((schema?["properties"] as? [String: Any] ?? [:]).keys)
                #expect(
                    described == endpoint.input?.fields,
                    "\(endpoint.key): the document says \(described.sorted()), the type takes \(endpoint.input?.fields.sorted() ?? [])"
                )
            }
        }
    }

    /// Every rule a body type states names one of its own fields: a field renamed or removed
    /// without its rule fails here.
    @Test func fieldRulesNameRealFields() {
        let types: [any Decodable.Type] = RouteCatalog.all.compactMap(\.input) + [RelationshipDTO.self]
        var checked = 0
        for type in types {
            guard let rules = type as? any FieldRules.Type else { continue }
            let fields = SchemaReader.fields(of: type)
            let named = Set(rules.rules.keys).union(rules.required)
            #expect(named.isSubset(of: fields), "\(type): rules for \(named.subtracting(fields).sorted()), which it does not take")
            checked += 1
        }
        #expect(checked >= 15)
    }

    /// A schema is read from the type's declaration: required and optional keys, nulls, domain
    /// enums, arrays, dictionaries, named components, and the rules on top.
    @Test func schemasAreReadFromTheTypes() throws {
        let reader = SchemaReader()
        let schema = reader.read(SchemaSample.self, inline: true).schema
        let properties = try #require(schema["properties"] as? [String: [String: Any]])
        #expect(Set(properties.keys) == ["title", "stage", "stages", "due_at", "note", "counts", "member", "level"])
        #expect(Set(schema["required"] as? [String] ?? []) == ["title", "stage", "stages", "due_at", "counts", "member", "level"])
        #expect(properties["title"]?["type"] as? String == "string")
        #expect(properties["title"]?["maxLength"] as? Int == 40)
        #expect(properties["stage"]?["enum"] as? [String] == CareerStage.allCases.map(\.rawValue))
        #expect((properties["stages"]?["items"] as? [String: Any])?["enum"] as? [String] == OpenTo.allCases.map(\.rawValue))
        #expect(properties["due_at"]?["type"] as? [String] == ["string", "null"])
        #expect(properties["due_at"]?["format"] as? String == "date-time")
        #expect(properties["note"]?["type"] as? String == "string")
        #expect((properties["counts"]?["additionalProperties"] as? [String: Any])?["type"] as? String == "integer")
        #expect(properties["member"]?["$ref"] as? String == "#/components/schemas/Member")
        #expect(properties["level"]?["minimum"] as? Int == 1 && properties["level"]?["maximum"] as? Int == 5)
        let member = try #require(reader.components["Member"]?["properties"] as? [String: [String: Any]])
        #expect(member["role"]?["enum"] as? [String] == Role.allCases.map(\.rawValue))
        #expect(
            SchemaReader.fields(of: AccountAPIController.RegisterRequest.self) == ["email", "password", "name", "handle", "invitation"]
        )
    }

    /// A handler must answer with what its route table says; the router refuses to register one
    /// that does not (checked here without crashing the test process).
    @Test func handlersAnswerWhatTheirRouteTableSays() throws {
        let show = try #require(ContactRoutes.API.show.operation)
        #expect(show.admits(ContactDetailDTO.self))
        #expect(!show.admits(ContactRecordDTO.self))
        #expect(!show.admits(HTTPResponse.Status.self))
        let create = try #require(ContactRoutes.API.create.operation)
        #expect(create.admits(EditedResponse<ContactRecordDTO>.self))
        #expect(!create.admits(EditedResponse<FollowUpDTO>.self))
        let delete = try #require(ContactRoutes.API.delete.operation)
        #expect(delete.admits(HTTPResponse.Status.self))
        #expect(!delete.admits(ContactRecordDTO.self))
        // Every API route the catalogue lists carries its operation.
        let undocumented = RouteCatalog.all.filter { ($0.isAPI || $0.template == "/health") && $0.operation == nil }.map(\.key)
        #expect(undocumented.isEmpty, "API routes without an operation: \(undocumented)")
    }

    private func openAPIDocument(_ store: any Store) async throws -> [String: Any] {
        let app = try await buildApplication(configuration: AppConfiguration(bcryptCost: 4, logLevel: .critical), store: store)
        return try await app.test(.router) { client in
            let reply = try await Client(client: client).send(.get, "/api/openapi.json")
            #expect(reply.json["openapi"] as? String == "3.1.0")
            return reply.json
        }
    }
}

/// A type that exercises what `SchemaReader` reads.
private struct SchemaSample: Decodable, FieldRules {
    var title: String
    var stage: CareerStage
    var stages: [OpenTo]
    @Nullable var dueAt: Date?
    var note: String?
    var counts: [String: Int]
    var member: MemberDTO
    var level: Int

    static let rules: [String: FieldRule] = ["title": .maxLength(40), "level": .range(1...5)]
}
